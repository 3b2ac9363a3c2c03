"""``apibind build`` and ``apibind check`` on a small real project, and their failure paths."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.cli.common import Progress
from generator.diagnostics import ApibindError, Diagnostic, Diagnostics, Location
from tests.workflow.conftest import read_only, snapshot

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("001_78098612a190788d.txt", "004_fb73667043af2f7c.txt")  # two detail pages: fast
CONFIG = '[tool.apibind]\nname = "acme"\nreport = "specs/acme.report.json"\n'


def make_project(folder: Path, config: str = CONFIG) -> Path:
    (folder / "specs" / "scraped").mkdir(parents=True)
    for page in PAGES:
        shutil.copy(ROOT / "specs" / "scraped" / page, folder / "specs" / "scraped" / page)
    (folder / "pyproject.toml").write_text(config)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project built once; tests copy it before changing anything."""
    from click.testing import CliRunner

    project = make_project(tmp_path_factory.mktemp("built"))
    result = CliRunner().invoke(main, ["build", "--config", str(project / "pyproject.toml")])
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    return copy


def run(runner, project: Path, *args: str):
    return runner.invoke(main, [*args, "--config", str(project / "pyproject.toml")])


def test_build_writes_spec_report_and_packages(project):
    assert (project / "specs/acme.openapi.yaml").read_text().startswith("openapi: 3.1.0")
    assert (project / "specs/acme.report.json").is_file()
    packages = sorted(p.name for p in (project / "output").iterdir())
    assert packages == ["acme_client", "acme_models", "acme_server"]
    assert all((project / "output" / p / ".apibind-manifest.json").is_file() for p in packages)


def test_rebuild_reports_a_summary_and_changes_nothing(runner, project):
    before = snapshot(project)
    result = run(runner, project, "build")
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("apibind build: 2 operations, ")
    assert "inferred names" in summary and "warning(s)" in summary
    files = sum(
        1
        for p in (project / "output").rglob("*")
        if p.is_file() and p.name != ".apibind-manifest.json"
    )
    assert f"files: 0 written, {files} unchanged, 0 removed; spec unchanged;" in summary
    assert "apibind build: parsing specs/scraped" in result.output
    assert snapshot(project) == before


def test_quiet_build_prints_only_warnings(runner, project):
    result = run(runner, project, "build", "--quiet")
    assert result.exit_code == 0
    [line] = result.output.splitlines()  # the pages' warnings, counted by kind
    assert line.startswith("apibind build: ") and " warning" in line
    assert "details with -v, and the report " in line and line.endswith("specs/acme.report.json")


def test_check_is_quiet_about_a_fresh_project_and_writes_nothing(runner, project):
    before = snapshot(project)
    result = run(runner, project, "check")
    assert result.exit_code == 0, result.output
    assert "apibind check: up to date" in result.output
    assert snapshot(project) == before


def test_check_lists_stale_missing_and_unexpected_files(runner, project):
    client = project / "output/acme_client"
    (client / "README.md").write_text("edited\n")
    (project / "output/acme_models/pyproject.toml").unlink()
    with (project / "specs/acme.openapi.yaml").open("a") as spec:
        spec.write("# drift\n")
    before = snapshot(project)
    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert "stale: specs/acme.openapi.yaml" in result.output
    assert "-# drift" in result.output
    assert "edited: output/acme_client/README.md" in result.output
    assert "+edited" not in result.output and "-edited" in result.output
    assert "missing: output/acme_models/pyproject.toml" in result.output
    assert "run `apibind build`" in result.output
    assert snapshot(project) == before


def test_user_edits_survive_a_build_unless_forced(runner, project):
    readme = project / "output/acme_client/README.md"
    readme.write_text("my notes\n")
    mine = project / "output/acme_client/NOTES.md"
    mine.write_text("mine\n")
    result = run(runner, project, "build")
    assert result.exit_code == 0
    assert "README.md: warning: generated file was edited by hand" in result.output
    assert "1 kept (edited by hand)" in result.output
    assert readme.read_text() == "my notes\n"
    result = run(runner, project, "build", "--force")
    assert result.exit_code == 0 and readme.read_text() != "my notes\n"
    assert mine.read_text() == "mine\n"


def set_spec_version(project: Path, version: str, *, extra_operation: bool = False) -> None:
    spec_path = project / "specs/acme.openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["info"]["version"] = version
    if extra_operation:
        spec["paths"]["/gone"] = {
            "get": {"operationId": "gone", "responses": {"200": {"description": "ok"}}}
        }
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))


def package_version(project: Path) -> str:
    text = (project / "output/acme_models/pyproject.toml").read_text()
    return tomllib.loads(text)["project"]["version"]


def test_build_keeps_the_version_of_the_existing_spec(runner, project):
    set_spec_version(project, "1.2.3")
    assert run(runner, project, "build").exit_code == 0
    assert "version: 1.2.3" in (project / "specs/acme.openapi.yaml").read_text()
    assert package_version(project) == "1.2.3"
    assert run(runner, project, "check").exit_code == 0


@pytest.mark.parametrize(
    ("extra_operation", "expected", "level"), [(False, "1.2.3", "none"), (True, "2.0.0", "major")]
)
def test_bump_applies_the_proposed_bump(runner, project, extra_operation, expected, level):
    set_spec_version(project, "1.2.3", extra_operation=extra_operation)
    result = run(runner, project, "build", "--bump")
    assert result.exit_code == 0, result.output
    assert f"version 1.2.3 -> {expected} ({level} bump)" in result.output
    assert package_version(project) == expected


def test_quiet_and_verbose_exclude_each_other(runner, project):
    assert run(runner, project, "build", "-q", "-v").exit_code == 2


# --- failure paths, with the parser and generator replaced by fakes -----------------------------


@dataclass
class FakeParse:
    spec: dict[str, Any] = field(
        default_factory=lambda: {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
        }
    )
    report: dict[str, Any] = field(default_factory=lambda: {"summary": {}})
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


@dataclass
class FakeGeneration:
    files: dict[PurePosixPath, str]
    name: str = "acme"
    diagnostics: list[Diagnostic] = field(default_factory=list)


@pytest.fixture
def fakes(monkeypatch):
    """Replace parse_sources and generate; tests set ``parsed`` / ``generated`` (or a raiser)."""
    state: dict[str, Any] = {
        "parsed": FakeParse(),
        "generated": FakeGeneration({PurePosixPath("acme_models/x.py"): "x = 1\n"}),
    }

    def parse_sources(sources, *, overrides=None, evidence=None, base=None, title=None):
        return state["parsed"]

    def generate(spec_path, *, name=None, only=None, templates=None, on_step=None, workers=None):
        if isinstance(state["generated"], Exception):
            raise state["generated"]
        return state["generated"]

    module = importlib.import_module("generator.pipeline")
    monkeypatch.setattr(module, "parse_sources", parse_sources)
    monkeypatch.setattr(module, "generate", generate)
    return state


def test_parse_errors_stop_the_build_before_anything_is_written(runner, project, fakes):
    fakes["parsed"].diagnostics.error(
        "page-binary", "binary content", Location(file="p.txt", line=1)
    )
    before = snapshot(project)
    result = run(runner, project, "build")
    assert result.exit_code == 1
    assert "p.txt:1: error: binary content [page-binary]" in result.output
    assert "stopped while parsing because of 1 error(s); nothing was written" in result.output
    assert snapshot(project) == before


def test_strict_stops_on_warnings(runner, project, fakes):
    fakes["parsed"].diagnostics.warning("odd", "something odd", Location(file="p.txt", line=2))
    assert run(runner, project, "build").exit_code == 0
    result = run(runner, project, "build", "--strict")
    assert result.exit_code == 1 and "1 warning(s) (--strict)" in result.output


def test_generator_failure_leaves_everything_untouched(runner, project, fakes):
    before = snapshot(project)
    fakes["generated"] = ApibindError.single("spec-invalid", "bad spec", Location(pointer="/paths"))
    result = run(runner, project, "build")
    assert result.exit_code == 1 and "error: bad spec" in result.output
    fakes["generated"] = RuntimeError("boom")
    result = run(runner, project, "build")
    assert result.exit_code == 3 and "internal error: RuntimeError: boom" in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "/etc/passwd", "C:/evil.py", "acme/../../x.py"]
)
def test_path_traversal_names_are_refused(runner, project, fakes, bad):
    fakes["generated"] = FakeGeneration({PurePosixPath(bad): "x\n"})
    before = snapshot(project)
    result = run(runner, project, "build")
    assert result.exit_code == 1
    assert "error: refusing to write" in result.output
    assert snapshot(project) == before


def test_unwritable_output_folder(runner, tmp_path, fakes):
    project = make_project(tmp_path, CONFIG + 'output = "blocker/out"\n')
    (project / "blocker").write_text("a file, not a folder\n")
    result = run(runner, project, "build")
    assert result.exit_code == 1
    assert "blocker/out: error: cannot create the output folder" in result.output
    assert not (project / "specs/acme.openapi.yaml").exists()


def test_progress_is_a_stage_bar_on_a_terminal_and_plain_lines_otherwise(capsys, monkeypatch):
    with Progress("apibind build", 3) as progress:
        progress.step("parsing")
    assert capsys.readouterr().err == "apibind build: parsing\n"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with Progress("apibind build", 3) as progress:
        progress.step("parsing")
        progress.step("generating")
        progress.note("version 1.0.0 -> 1.1.0")
    err = capsys.readouterr().err
    assert "apibind build [#..] parsing" in err and "apibind build [##.] generating" in err
    assert err.endswith("\r\x1b[K")  # the bar is cleared before anything else is printed
    assert "\r\x1b[Kapibind build: version 1.0.0 -> 1.1.0\n" in err


def test_read_only_specs_folder_leaves_everything_untouched(runner, project, fakes, monkeypatch):
    """The spec, the report and the packages are one transaction: the spec failing stops it all."""
    before = snapshot(project)
    read_only(monkeypatch, project / "specs")
    result = run(runner, project, "build")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert (
        "acme.openapi.yaml: error: cannot write: Permission denied [write-failed]" in result.output
    )
    assert snapshot(project) == before


def test_a_failure_at_any_rename_leaves_everything_untouched(runner, project, fakes, monkeypatch):
    """Inject a failure at each rename a build makes (spec, report, every package file)."""
    real_replace = os.replace
    renames: list[str] = []

    def counting(src, dst, *args, **kwargs):
        renames.append(str(dst))
        return real_replace(src, dst, *args, **kwargs)

    trial = project.parent / "trial"
    shutil.copytree(project, trial)
    monkeypatch.setattr(os, "replace", counting)
    assert run(runner, trial, "build").exit_code == 0
    targets = [name for name in renames if "trial" in name]
    assert any(n.endswith("acme.openapi.yaml") for n in targets)
    assert any(n.endswith("acme.report.json") for n in targets)
    assert sum("/output/" in n for n in targets) >= 3  # package files, manifests, removals
    before = snapshot(project)
    for failing in range(len(targets)):
        calls = iter(range(10**6))

        def failing_replace(src, dst, *args, _at=failing, _calls=calls, **kwargs):
            if next(_calls) == _at:
                raise PermissionError(13, "Permission denied", str(dst))
            return real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "replace", failing_replace)
        result = run(runner, project, "build")
        assert result.exit_code == 1, (failing, result.output)
        assert "Permission denied" in result.output
        assert snapshot(project) == before, f"rename {failing} ({targets[failing]}) left changes"


def test_parse_writes_spec_and_report_or_neither(runner, project, monkeypatch):
    """A failure writing the report puts the spec back as it was."""
    spec, report = project / "specs" / "new.yaml", project / "specs" / "new.report.json"
    real_replace = os.replace

    def fail_on_report(src, dst, *args, **kwargs):
        if Path(dst) == report:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", fail_on_report)
    args = ["parse", str(project / "specs" / "scraped"), "-o", str(spec), "--report", str(report)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "new.report.json: error: cannot write: Permission denied" in result.output
    assert not spec.exists() and not report.exists()


def test_build_and_check_format_json(runner, project):
    """One JSON document on stdout: what was written or is stale, counts, diagnostics."""
    built = run(runner, project, "build", "--format", "json")
    assert built.exit_code == 0, built.output
    document = json.loads(built.stdout)
    assert (document["command"], document["ok"], document["written"]) == ("build", True, [])
    generated = [f for f in (project / "output").rglob("*") if f.is_file()]
    unchanged = sum(f.name != ".apibind-manifest.json" for f in generated)
    assert document["counts"]["operations"] == 2 and document["counts"]["unchanged"] == unchanged
    warnings = [d for d in document["diagnostics"] if d["level"] == "warning"]
    assert document["counts"]["warnings"] == len(warnings) > 0
    assert {"code", "message", "location"} <= set(warnings[0])
    assert built.stderr == ""  # no progress lines around the document

    (project / "output/acme_models/pyproject.toml").unlink()
    checked = run(runner, project, "check", "--format", "json")
    assert checked.exit_code == 1
    document = json.loads(checked.stdout)
    assert document["ok"] is False
    assert document["files"] == [
        {"kind": "missing", "path": "output/acme_models/pyproject.toml", "diff": ""}
    ]
    assert document["counts"] == {
        "stale": 0,
        "edited": 0,
        "missing": 1,
        "unexpected": 0,
        "leftover": 0,
    }
    assert "apibind build" in document["fix"]

    rebuilt = json.loads(run(runner, project, "build", "--format", "json").stdout)
    assert rebuilt["written"] == ["output/acme_models/pyproject.toml"]
    assert rebuilt["counts"]["written"] == 1
    fresh = json.loads(run(runner, project, "check", "--format", "json").stdout)
    assert (fresh["ok"], fresh["files"], fresh["fix"]) == (True, [], None)


@pytest.mark.parametrize("command", ["build", "check"])
def test_format_json_reports_input_problems_as_json(runner, tmp_path, command):
    (tmp_path / "pyproject.toml").write_text('[tool.apibind]\nname = "acme"\nsources = ["nope"]\n')
    result = runner.invoke(
        main, [command, "--config", str(tmp_path / "pyproject.toml"), "--format", "json"]
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["command"], document["ok"]) == (command, False)
    assert [d["code"] for d in document["diagnostics"]] == ["source-missing"]


def test_format_json_reports_a_refused_write_as_json(runner, project):
    """Files in the way of a package that lost its manifest: ok false, nothing written."""
    (project / "output" / "acme_client" / ".apibind-manifest.json").unlink()
    readme = project / "output" / "acme_client" / "README.md"
    readme.write_text(readme.read_text() + "one more line\n")
    before = snapshot(project)
    result = run(runner, project, "build", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["diagnostics"]
    assert "README.md" in document["diagnostics"][0]["location"]
    assert snapshot(project) == before
