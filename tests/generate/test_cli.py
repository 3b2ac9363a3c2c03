"""``apibind generate`` on the command line: files on disk, located errors, exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

SPECS = Path(__file__).parent / "specs"


def test_generate_writes_the_three_projects(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["generate", str(SPECS / "petstore.yaml"), "-o", str(tmp_path), "--name", "pets"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pets_client",
        "pets_models",
        "pets_server",
    ]
    assert (tmp_path / "pets_client" / "pets_client" / "client.py").is_file()
    again = CliRunner().invoke(
        main, ["generate", str(SPECS / "petstore.yaml"), "-o", str(tmp_path), "--name", "pets"]
    )
    assert again.exit_code == 0 and "0 files written" in again.output


def test_only_selects_packages(tmp_path: Path) -> None:
    args = ["generate", str(SPECS / "features.yaml"), "-o", str(tmp_path), "--only", "models"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["feature_zoo_models"]
    bad = CliRunner().invoke(main, [*args[:4], "--only", "models,docs"])
    assert bad.exit_code == 2


def test_swagger_2_exits_1_with_a_located_message(tmp_path: Path) -> None:
    spec = tmp_path / "old.yaml"
    spec.write_text("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
    result = CliRunner().invoke(main, ["generate", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "old.yaml#/swagger" in result.output and "not supported" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_regeneration_reuses_unedited_models_module(tmp_path: Path, monkeypatch) -> None:
    import generator.generate as pipeline
    from generator import modelsplit

    monkeypatch.setattr(modelsplit, "MODULE_LINES", 1)  # one module per group of classes
    args = ["generate", str(SPECS / "features.yaml"), "-o", str(tmp_path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    package = tmp_path / "feature_zoo_models" / "feature_zoo_models"
    first = {path: path.read_text() for path in package.glob("*.py")}
    assert len(first) > 2  # __init__ and the modules of model classes

    def no_models(*_args: object) -> str:
        raise AssertionError("datamodel-code-generator ran although the schemas did not change")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "build_models", no_models)
        again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "0 files written" in again.output
    assert {path: path.read_text() for path in package.glob("*.py")} == first

    # a hand-edited module is never reused: the models are built again
    module = max(first)
    module.write_text(first[module] + "# my edit\n")
    edited = CliRunner().invoke(main, args)
    assert edited.exit_code == 0, edited.output
    assert "edited by hand" in edited.output and module.name in edited.output
    assert module.read_text() == first[module] + "# my edit\n"  # left as the user wrote it


def test_changed_schemas_are_regenerated(tmp_path: Path) -> None:
    from pathlib import PurePosixPath

    from generator.generate import generate

    first = generate(SPECS / "petstore.yaml")
    module = PurePosixPath("swagger_petstore_models/swagger_petstore_models/_category.py")
    stale = {path: text for path, text in first.files.items() if path.suffix in (".py", ".pyi")}
    stale[module] = stale[module].replace("class Pet(", "class Stale(")
    assert (
        generate(SPECS / "petstore.yaml", previous=stale).files[module] == stale[module]
    )  # same input
    spec = (SPECS / "petstore.yaml").read_text().replace("example: doggie", "example: kitty")
    (tmp_path / "petstore.yaml").write_text(spec)
    assert generate(tmp_path / "petstore.yaml", previous=stale).files[module] != stale[module]


def test_generate_progress_shows_on_a_terminal_or_with_verbose_only(
    tmp_path: Path, monkeypatch
) -> None:
    """CI logs (no terminal) stay quiet unless -v; a terminal gets the stage bar on stderr."""
    args = ["generate", str(SPECS / "petstore.yaml"), "-o", str(tmp_path / "out")]
    args += ["--only", "client"]
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert "apibind generate" not in plain.stderr
    verbose = CliRunner().invoke(main, [*args, "-v"])
    stages = [line for line in verbose.stderr.splitlines() if line.startswith("apibind generate:")]
    assert stages == [
        "apibind generate: reading the spec",
        "apibind generate: building the API model",
        "apibind generate: rendering client",
        "apibind generate: formatting",
        f"apibind generate: writing {tmp_path / 'out'}",
    ]
    assert "apibind generate" not in verbose.stdout  # the summary stays the only stdout line
    monkeypatch.setattr("generator.cli.common.stderr_is_tty", lambda: True)
    terminal = CliRunner().invoke(main, args)
    # one line redrawn in place (click drops the erase codes when the runner is no real terminal)
    assert "\rapibind generate [##...] building the API model" in terminal.stderr
    assert "\n" not in terminal.stderr
