"""Client and server files are rendered again only when what their templates see changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import render
from generator.cache import ENVIRONMENT
from generator.generate import generate

SPECS = Path(__file__).parent / "specs"
CODE = frozenset({"client", "server"})


@pytest.fixture
def petstore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    path = tmp_path / "petstore.yaml"
    path.write_text((SPECS / "petstore.yaml").read_text())
    return path


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates rendered (a tag's module as ``_ops.py.jinja:<tag>``)."""
    names: list[str] = []
    real = render.Renderer.render

    def counted(self: render.Renderer, name: str, **context: object) -> str:
        tag = context.get("tag")
        names.append(f"{name}:{tag.ident}" if tag is not None else name)  # type: ignore[attr-defined]
        return real(self, name, **context)

    monkeypatch.setattr(render.Renderer, "render", counted)
    return names


def _edit(path: Path, change: object) -> None:
    document = yaml.safe_load(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def _fresh(path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[object, str]:
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "fresh"))
    return dict(generate(path, only=CODE).files)


def test_a_changed_schema_renders_no_client_or_server_file_again(
    petstore: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generate(petstore, only=CODE)
    assert "client/package/_ops.py.jinja:pet" in rendered
    _edit(petstore, lambda d: d["components"]["schemas"]["Tag"]["properties"].pop("name"))
    rendered.clear()
    again = generate(petstore, only=CODE).files
    assert rendered == []
    rendered_fresh = _fresh(petstore, monkeypatch, tmp_path)
    assert rendered  # the fresh cache rendered everything
    assert again == rendered_fresh


def test_a_changed_operation_renders_its_tag_and_the_package_files_only(
    petstore: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generate(petstore, only=CODE)
    _edit(petstore, lambda d: d["paths"]["/store/inventory"]["get"].update(summary="Stock."))
    rendered.clear()
    again = generate(petstore, only=CODE).files
    tags = sorted(name for name in rendered if "_ops.py.jinja" in name)
    assert tags == ["client/package/_ops.py.jinja:store"]
    assert "client/package/client.py.jinja" in rendered
    assert "server/package/app.py.jinja" in rendered
    assert any("Stock." in text for text in again.values())
    assert again == _fresh(petstore, monkeypatch, tmp_path)


def test_an_overridden_template_is_rendered_again(
    petstore: Path, rendered: list[str], tmp_path: Path
) -> None:
    generate(petstore, only=CODE)
    user = tmp_path / "templates" / "client" / "package"
    user.mkdir(parents=True)
    builtin = render.builtin_templates() / "client" / "package" / "_ops.py.jinja"
    (user / "_ops.py.jinja").write_text(builtin.read_text() + "# mine\n")
    rendered.clear()
    files = generate(petstore, only=CODE, templates=tmp_path / "templates").files
    assert "client/package/_ops.py.jinja:pet" in rendered
    assert "server/package/app.py.jinja" in rendered  # any template may import another
    assert all(text.endswith("# mine\n") for path, text in files.items() if "_ops_" in str(path))


def test_client_and_server_templates_see_no_schema(petstore: Path) -> None:
    seen: list[object] = []
    real = render.Renderer.render

    def spy(self: render.Renderer, name: str, **context: object) -> str:
        seen.append(context["api"])
        return real(self, name, **context)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render.Renderer, "render", spy)
        generate(petstore, only=CODE)
    assert seen and all(api.models.source == "" and api.models.names for api in seen)  # type: ignore[attr-defined]


def test_a_damaged_entry_is_rendered_again(
    petstore: Path, rendered: list[str], tmp_path: Path
) -> None:
    first = generate(petstore, only=CODE).files
    for entry in (tmp_path / "cache" / "rendered").iterdir():
        entry.write_bytes(b"\xff{")
    rendered.clear()
    assert generate(petstore, only=CODE).files == first
    assert "client/package/client.py.jinja" in rendered


def test_the_package_key_tells_apart_apis_that_differ_only_in_operation_order(
    petstore: Path,
) -> None:
    import dataclasses

    from generator import rendered
    from generator.build import build_api
    from generator.diagnostics import Diagnostics
    from generator.spec import load_spec

    api = build_api(load_spec(petstore), name=None, diagnostics=Diagnostics())
    alone = repr(dataclasses.replace(api, operations=(), tags=()))
    tags = [repr(tag) for tag in api.tags]
    swapped = dataclasses.replace(api, operations=api.operations[::-1])
    assert rendered._spelled(api, alone, tags) != rendered._spelled(swapped, alone, tags)
    untagged = dataclasses.replace(api, tags=api.tags[1:])  # not every operation in a tag
    assert rendered._spelled(untagged, alone, tags[1:]) == repr(untagged)
