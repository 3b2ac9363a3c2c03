"""The pipeline as a library: ``parse_config`` reads a project from anywhere, in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import parse_config
from tests.workflow.test_cli_build import PAGES, make_project

CONFIG = '[tool.apibind]\nname = "acme"\nevidence = ["specs/scraped"]\n'
OVERRIDES = (
    "overrides:\n  - operation: noSuchOperation\n    pointer: /requestBody\n    remove: true\n"
)


def test_parse_config_names_files_relative_to_the_project_without_changing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", CONFIG)
    (project / "specs" / "overrides.yaml").write_text(OVERRIDES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    def refuse(path: object) -> None:
        raise AssertionError(f"parse_config changed the working folder to {path}")

    monkeypatch.setattr(os, "chdir", refuse)
    parsed = parse_config(load_config(project / "pyproject.toml"))
    assert [page["file"] for page in parsed.report["pages"]] == [
        f"specs/scraped/{page}" for page in PAGES
    ]
    unmatched = [d for d in parsed.diagnostics if d.code == "override-unmatched"]
    assert [(d.location.file, d.location.line) for d in unmatched if d.location] == [
        ("specs/overrides.yaml", 2)
    ]
    assert Path.cwd() == elsewhere


def test_build_starts_the_models_workers_before_it_parses_and_generates_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import generate, modelworkers, pipeline

    monkeypatch.setenv("APIBIND_CACHE_DIR", str(tmp_path / "cache"))
    project = make_project(tmp_path / "project", CONFIG)
    events: list[str] = []
    start, parse = modelworkers._start, pipeline.parse_config
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 2)  # one worker ahead
    monkeypatch.setattr(modelworkers, "_start", lambda **kw: events.append("worker") or start(**kw))
    monkeypatch.setattr(pipeline, "parse_config", lambda c: events.append("parse") or parse(c))
    monkeypatch.setattr(generate, "Workers", None)  # generate must not start its own
    built = pipeline.build_in_memory(load_config(project / "pyproject.toml"))
    assert events[:2] == ["worker", "parse"]
    assert any(str(path).endswith("_models/__init__.py") for path in built.files)
