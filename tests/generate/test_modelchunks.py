"""The models are the same however the schemas are chunked, and only changed chunks run again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator import modelchunks, modelworkers
from generator.build import build_api
from generator.cache import ENVIRONMENT
from generator.diagnostics import Diagnostics
from generator.generate import generate
from generator.modelgen import build_models
from generator.modelworkers import Workers
from generator.spec import load_spec

SPECS = Path(__file__).parent / "specs"
# allOf inheritance, a discriminated union, enums with defaults, inline objects, unions
INHERITANCE = {
    "openapi": "3.0.3",
    "info": {"title": "Zoo", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Animal": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {"type": "string"},
                    "size": {"$ref": "#/components/schemas/Size"},
                },
                "discriminator": {"propertyName": "kind"},
            },
            "Zoo": {
                "type": "object",
                "properties": {
                    "animals": {
                        "type": "array",
                        "items": {
                            "oneOf": [
                                {"$ref": "#/components/schemas/Cat"},
                                {"$ref": "#/components/schemas/Dog"},
                            ],
                            "discriminator": {
                                "propertyName": "kind",
                                "mapping": {
                                    "cat": "#/components/schemas/Cat",
                                    "dog": "#/components/schemas/Dog",
                                },
                            },
                        },
                    },
                    "keeper": {"$ref": "#/components/schemas/Keeper"},
                },
            },
            "Size": {"type": "string", "enum": ["small", "large"], "default": "small"},
            "Cat": {
                "allOf": [
                    {"$ref": "#/components/schemas/Animal"},
                    {"type": "object", "properties": {"lives": {"type": "integer"}}},
                ]
            },
            "Keeper": {
                "type": "object",
                "properties": {
                    "zoo": {"$ref": "#/components/schemas/Zoo"},
                    "size": {"$ref": "#/components/schemas/Size", "default": "large"},
                    "contact": {
                        "oneOf": [
                            {"type": "object", "properties": {"email": {"type": "string"}}},
                            {"type": "object", "properties": {"phone": {"type": "string"}}},
                        ]
                    },
                },
            },
            "Dog": {
                "allOf": [
                    {"$ref": "#/components/schemas/Animal"},
                    {"type": "object", "properties": {"good": {"type": "boolean"}}},
                ]
            },
        }
    },
}


def _classes(spec: Path) -> dict[str, str]:
    api = build_api(load_spec(spec), name=None, diagnostics=Diagnostics())
    found = {}
    with Workers() as workers:
        modules = build_models(api.models, "zoo_models", workers)
    for module in modules:
        tree = ast.parse(module.source)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = ast.unparse(node)
    return found


@pytest.fixture
def one_per_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modelchunks, "CHUNK", 1)
    monkeypatch.setattr(modelchunks, "_MIN", 1)
    monkeypatch.setattr(modelchunks, "_MAX", 1)


@pytest.fixture
def zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import json

    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    path = tmp_path / "zoo.json"
    path.write_text(json.dumps(INHERITANCE))
    return path


@pytest.mark.parametrize("spec", ["zoo", "features", "wrapped_enum", "petstore"])
def test_every_schema_alone_gives_the_classes_of_one_chunk(spec, zoo, monkeypatch, tmp_path):
    path = zoo if spec == "zoo" else SPECS / f"{spec}.yaml"
    whole = _classes(path)
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "other-cache"))
    monkeypatch.setattr(modelchunks, "CHUNK", 1)
    monkeypatch.setattr(modelchunks, "_MIN", 1)
    monkeypatch.setattr(modelchunks, "_MAX", 1)
    assert _classes(path) == whole


def test_a_union_member_is_written_with_its_discriminator(zoo, one_per_chunk):
    classes = _classes(zoo)
    assert "kind: Literal['cat']" in classes["Cat"]
    assert "size: Size | None = Size.large" in classes["Keeper"]


def test_only_the_changed_chunk_runs_again_and_matches_a_fresh_run(
    zoo, one_per_chunk, monkeypatch, tmp_path
):
    import json

    generate(zoo, only=frozenset({"models"}))
    changed = json.loads(zoo.read_text())
    changed["components"]["schemas"]["Dog"]["allOf"][1]["properties"]["name"] = {"type": "string"}
    zoo.write_text(json.dumps(changed))
    runs: list[tuple[str, ...]] = []
    real = modelchunks.run

    def counted(chunk: modelchunks.Chunk) -> dict[str, object]:
        runs.append(chunk.owners)
        return real(chunk)

    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 1)  # in this process: counted
    monkeypatch.setattr(modelchunks, "run", counted)
    again = generate(zoo, only=frozenset({"models"})).files
    # Zoo discriminates Cat and Dog: their chunks hold one another whole; Keeper holds Zoo as a
    # stub (an object's name only), Animal and Size hold none of them
    assert runs == [("Zoo",), ("Cat",), ("Dog",)]
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "fresh"))
    assert generate(zoo, only=frozenset({"models"})).files == again


def test_chunks_run_in_worker_processes_give_what_one_process_gives(zoo, monkeypatch, tmp_path):
    monkeypatch.setattr(modelchunks, "CHUNK", 1)
    monkeypatch.setattr(modelchunks, "_MIN", 1)
    monkeypatch.setattr(modelchunks, "_MAX", 1)
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 2)
    parallel = generate(zoo, only=frozenset({"models"})).files
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "serial"))
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 1)
    assert generate(zoo, only=frozenset({"models"})).files == parallel


def test_a_worker_started_ahead_takes_even_a_single_changed_chunk(zoo, one_per_chunk, monkeypatch):
    generate(zoo, only=frozenset({"models"}))
    changed = zoo.read_text().replace('"email"', '"mail"')  # in a class of its own
    zoo.write_text(changed)
    in_process: list[tuple[str, ...]] = []
    real = modelchunks.run
    monkeypatch.setattr(
        modelchunks, "run", lambda chunk: in_process.append(chunk.owners) or real(chunk)
    )
    started: list[object] = []
    start = modelworkers._start
    monkeypatch.setattr(
        modelworkers, "_start", lambda **warm: started.append(warm) or start(**warm)
    )
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 2)  # one worker ahead
    files = generate(zoo, only=frozenset({"models"})).files
    assert (
        started == [{"warm": True}] and in_process == []
    )  # the one changed chunk ran in the worker
    assert any("mail: str | None = None" in text for text in files.values())


def test_workers_no_run_took_are_stopped():
    with Workers(ahead=2) as workers:
        processes = list(workers._idle)
    assert [process.poll() is not None for process in processes] == [True, True]
    assert Workers(ahead=0).run([]) == []


def test_little_work_waits_for_the_worker_started_ahead_instead_of_starting_more(
    zoo, one_per_chunk, monkeypatch
):
    api = build_api(load_spec(zoo), name=None, diagnostics=Diagnostics())
    document, enums = modelchunks.enumclasses.prepare(api.models.document())
    chunks = modelchunks.plan(document, enums)[:3]
    assert len(chunks) == 3 and sum(map(modelworkers._size, chunks)) < modelworkers.WORTH
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 2)
    started: list[object] = []
    start = modelworkers._start
    monkeypatch.setattr(
        modelworkers, "_start", lambda **warm: started.append(warm) or start(**warm)
    )
    with Workers(ahead=1) as workers:
        made = workers.run(chunks)
    assert started == [{"warm": True}]  # the three chunks went to the one worker started ahead
    assert made == [modelchunks.run(chunk) for chunk in chunks]


def test_a_failing_worker_gives_an_error_for_each_of_its_chunks(zoo, one_per_chunk, monkeypatch):
    api = build_api(load_spec(zoo), name=None, diagnostics=Diagnostics())
    document, enums = modelchunks.enumclasses.prepare(api.models.document())
    chunks = modelchunks.plan(document, enums)[:3]
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(modelworkers, "WORTH", 1)  # small chunks still worth a worker each
    monkeypatch.setenv("PYTHONPATH", "/nonexistent")
    monkeypatch.setattr(modelworkers.sys, "executable", "/bin/false")
    made = Workers().run(chunks)
    assert [result["error"] for result in made] == ["a models worker failed: 1"] * 3


def _result(owner: str, field: str) -> dict[str, object]:
    """A chunk's result: ``owner`` uses the extra ``Contact1`` that holds ``field``."""
    text = f"class {owner}(BaseModel):\n    contact: Contact1 | None = None"
    extra = f"class Contact1(BaseModel):\n    {field}: str"
    return {
        "imports": ["from __future__ import annotations", "from pydantic import BaseModel"],
        "statements": [
            {
                "text": extra,
                "defines": ["Contact1"],
                "uses": ["BaseModel"],
                "sites": [[6, "Contact1"]],
            },
            {
                "text": text,
                "defines": [owner],
                "uses": ["BaseModel", "Contact1"],
                "sites": [[text.index("Contact1"), "Contact1"]],
            },
        ],
        "extras": ["Contact1"],
    }


def test_extras_of_different_chunks_get_one_name_each_wherever_they_are_used():
    made = [_result("Keeper", "email"), _result("Vet", "phone")]
    imports, statements = modelchunks.assemble(made, ["Keeper", "Vet"])
    assert imports[0] == "from __future__ import annotations"
    assert [s.text for s in statements] == [
        "class Contact(BaseModel):\n    email: str",
        "class Keeper(BaseModel):\n    contact: Contact | None = None",
        "class Contact1(BaseModel):\n    phone: str",
        "class Vet(BaseModel):\n    contact: Contact1 | None = None",
    ]
    assert statements[3].uses == {"BaseModel", "Contact1"}


def test_an_extra_written_alike_in_two_chunks_is_one_class():
    made = [_result("Keeper", "email"), _result("Vet", "email")]
    _, statements = modelchunks.assemble(made, ["Keeper", "Vet", "Contact"])
    assert [s.text for s in statements] == [
        "class Contact1(BaseModel):\n    email: str",
        "class Keeper(BaseModel):\n    contact: Contact1 | None = None",
        "class Vet(BaseModel):\n    contact: Contact1 | None = None",
    ]


def test_content_defined_boundaries_do_not_move_when_a_schema_is_added():
    names = [f"Schema{i}" for i in range(2000)]
    before = [tuple(c) for c in modelchunks._cuts(names)]
    after = [tuple(c) for c in modelchunks._cuts([*names[:1000], "Added", *names[1000:]])]
    assert len(before) > 5
    assert len(set(before) - set(after)) <= 2  # the chunk that got it (and one it may split)


def test_a_component_renamed_by_datamodel_code_generator_gets_its_name_back():
    source = (
        "from __future__ import annotations\n\n"
        "class Error(RootModel[str]):\n    root: str\n\n"
        "class Error1(BaseModel):\n    message: str\n\n"
        "class Body(BaseModel):\n    errors: list[Error]\n    error: Error1 | None = None\n"
    )
    schemas = {
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
        "Body": {},
    }
    fixed = modelchunks._names_given_back(source, schemas)
    assert "class Error1(RootModel[str]):" in fixed
    assert "class Error(BaseModel):\n    message: str" in fixed
    assert "errors: list[Error1]\n    error: Error | None = None" in fixed
    assert modelchunks._names_given_back(fixed, schemas) == fixed  # right already: unchanged


def test_a_damaged_chunk_entry_is_made_again(zoo, monkeypatch, tmp_path):
    first = generate(zoo, only=frozenset({"models"})).files
    entries = list((tmp_path / "cache" / modelworkers.KIND).iterdir())
    assert entries
    for entry in entries:
        entry.write_bytes(b'{"imports": ')  # cut short
    assert generate(zoo, only=frozenset({"models"})).files == first
    assert all(entry.read_bytes().startswith(b'{"imports": [') for entry in entries)
