"""datamodel-code-generator's output comes from apibind's cache only for the same document."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cache, modelgen, modelworkers
from generator.cache import ENVIRONMENT
from generator.generate import generate

SPECS = Path(__file__).parent / "specs"


def _refuse(*_args: object, **_kwargs: object) -> str:
    raise AssertionError("datamodel-code-generator ran")


def test_the_same_schemas_are_generated_once_and_identically(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    first = generate(SPECS / "petstore.yaml", only=frozenset({"models"})).files
    monkeypatch.setattr(modelgen.dcg, "generate", _refuse)
    assert generate(SPECS / "petstore.yaml", only=frozenset({"models"})).files == first


def test_a_changed_schema_runs_datamodel_code_generator_again(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    generate(SPECS / "petstore.yaml", only=frozenset({"models"}))
    changed = tmp_path / "petstore.yaml"
    text = (SPECS / "petstore.yaml").read_text()
    changed.write_text(text.replace("complete: {type: boolean}", "complete: {type: integer}"))
    assert changed.read_text() != text
    monkeypatch.setattr(modelworkers.os, "cpu_count", lambda: 1)  # no worker: runs here, refused
    monkeypatch.setattr(modelgen.dcg, "generate", _refuse)
    with pytest.raises(AssertionError, match="datamodel-code-generator ran"):
        generate(changed, only=frozenset({"models"}))


def test_the_environment_is_read_once_per_process(monkeypatch):
    cache.environment.cache_clear()
    first = cache.environment()
    assert "dist-info" in first
    monkeypatch.setattr(cache.os, "scandir", _refuse)
    assert cache.environment() == first
