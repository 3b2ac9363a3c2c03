"""A corpus of bad inputs: each gives a located, actionable message and the documented exit code."""

from __future__ import annotations

import re

import pytest

from generator.cli import main
from tests.workflow.conftest import FIXTURES

BAD = FIXTURES / "bad"
GOOD = str(FIXTURES / "diff" / "base.yaml")


@pytest.mark.parametrize(
    ("name", "messages"),
    [
        ("invalid_yaml.yaml", ["invalid_yaml.yaml:3: error: invalid YAML"]),
        ("invalid_json.json", ["invalid_json.json:2: error: invalid JSON"]),
        ("not_a_mapping.yaml", ["must be a mapping"]),
        (
            "broken_ref.yaml",
            [
                "broken_ref.yaml#/paths/~1accounts/get/responses/200/content/application~1json/schema",
                "$ref to #/components/schemas/Acount points at nothing",
            ],
        ),
        (
            "ref_cycle.yaml",
            ["$ref cycle: /components/schemas/A -> /components/schemas/B -> /components/schemas/A"],
        ),
        (
            "duplicate_operation_ids.yaml",
            [
                "duplicate_operation_ids.yaml#/paths/~1persons/get/operationId",
                "duplicate operationId 'getThing' (also used by GET /accounts)",
                "hint: give every operation its own operationId",
            ],
        ),
        ("missing.yaml", ["missing.yaml: error: cannot read the spec"]),
    ],
)
def test_bad_specs_for_diff(runner, name, messages):
    result = runner.invoke(main, ["diff", GOOD, str(BAD / name)])
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("config", "messages"),
    [
        (
            '[tool.apibind]\nname = "acme"\noutputs = "gen"\n',
            [
                "pyproject.toml [tool.apibind.outputs]: error: unknown key 'outputs'",
                "hint: known keys:",
            ],
        ),
        (
            '[tool.apibind]\nname = "acme"\ntargets = "models"\n',
            ["[tool.apibind.targets]: error: targets must be a list of str, not str"],
        ),
        (
            '[tool.apibind]\nname = "../../etc"\n',
            ["name '../../etc' is not a valid Python package name"],
        ),
        ('[tool.apibind]\nname = "acme"\noutput = \n', ["pyproject.toml:3: error: invalid TOML"]),
        ('[project]\nname = "x"\n', ["pyproject.toml has no [tool.apibind] table"]),
        (
            '[tool.apibind]\nname = "acme"\nsources = ["nope"]\n',
            ["nope: error: no such file or folder [source-missing]"],
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_configs(runner, tmp_path, config, messages, command):
    (tmp_path / "pyproject.toml").write_text(config)
    result = runner.invoke(main, [command, "--config", str(tmp_path / "pyproject.toml")])
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output


def test_missing_config_is_found_by_walking_up_or_explained(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1
    assert "no pyproject.toml with a [tool.apibind] table" in result.output
    assert (
        "hint: add a [tool.apibind] table (see the README) or pass --config FILE" in result.output
    )


_PROBLEM = re.compile(r"^(?P<where>\S+): error: (?P<message>.*) \[(?P<code>[a-z0-9-]+)\]$", re.M)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir()))
def test_one_problem_one_message_whichever_command_finds_it(runner, tmp_path, monkeypatch, name):
    """generate and diff read specs through one document layer: same code, place and message."""
    monkeypatch.chdir(BAD)
    generated = runner.invoke(main, ["generate", name, "-o", str(tmp_path / "out")])
    diffed = runner.invoke(main, ["diff", GOOD, name])
    assert generated.exit_code == diffed.exit_code == 1, generated.output + diffed.output
    found = [
        [m.group("where", "code", "message") for m in _PROBLEM.finditer(result.output)]
        for result in (generated, diffed)
    ]
    assert found[0], generated.output
    assert found[0] == found[1]
