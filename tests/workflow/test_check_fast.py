"""``apibind check``'s fast path: it answers without rebuilding only when nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import stamp
from generator.cli import main
from generator.config import load_config
from tests.workflow.test_cli_build import make_project, run

FAST = "nothing changed since the last full check"
PAGE = "specs/scraped/004_fb73667043af2f7c.txt"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("built"))
    result = CliRunner().invoke(main, ["build", "--config", str(project / "pyproject.toml")])
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    """A copy of the built project (a new path: no stamp of its own yet)."""
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy)
    return copy


def test_check_after_build_answers_from_the_stamp(runner, project):
    assert run(runner, project, "build").exit_code == 0
    result = run(runner, project, "check")
    assert result.exit_code == 0 and FAST in result.output, result.output
    full = run(runner, project, "check", "--full")
    assert full.exit_code == 0 and FAST not in full.output and "comparing" in full.output


def test_a_full_check_records_the_stamp_for_the_next(runner, project):
    first = run(runner, project, "check")  # a copied project: no stamp for its path yet
    assert first.exit_code == 0 and FAST not in first.output
    assert FAST in run(runner, project, "check").output


def test_a_changed_page_means_a_full_check(runner, project):
    assert run(runner, project, "build").exit_code == 0
    page = project / PAGE
    page.write_text(page.read_text().replace("Description", "Describes", 1))
    result = run(runner, project, "check")
    assert result.exit_code == 1 and FAST not in result.output
    assert "stale: specs/acme.openapi.yaml" in result.output


def test_a_template_override_means_a_full_check(runner, project):
    assert run(runner, project, "build").exit_code == 0
    (project / "templates/models").mkdir(parents=True)
    (project / "templates/models/README.md.jinja").write_text("# my models\n")
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'templates = "templates"\n')
    assert run(runner, project, "build").exit_code == 0
    assert FAST in run(runner, project, "check").output
    (project / "templates/models/README.md.jinja").write_text("# our models\n")
    result = run(runner, project, "check")
    assert result.exit_code == 1 and "stale: output/acme_models/README.md" in result.output


def test_an_edited_or_removed_output_means_a_full_check(runner, project):
    assert run(runner, project, "build").exit_code == 0
    readme = project / "output/acme_client/README.md"
    readme.write_text(readme.read_text() + "\n")
    assert "edited: output/acme_client/README.md" in run(runner, project, "check").output
    readme.unlink()
    assert "missing: output/acme_client/README.md" in run(runner, project, "check").output


def test_the_digest_covers_installed_versions_and_refuses_git_evidence(project, monkeypatch):
    config = load_config(project / "pyproject.toml")
    before = stamp.input_digest(config)
    assert before is not None and stamp.input_digest(config) == before
    real = stamp.cache.environment
    monkeypatch.setattr(stamp.cache, "environment", lambda: real() + "\nruff-0.0.1.dist-info")
    assert stamp.input_digest(config) != before
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + 'evidence = ["git:HEAD:specs"]\n'
    )
    assert stamp.input_digest(load_config(project / "pyproject.toml")) is None


def test_a_stamp_is_never_read_for_another_project(runner, project, tmp_path: Path):
    assert run(runner, project, "build").exit_code == 0
    other = tmp_path / "other"
    project.rename(other)
    result = run(runner, other, "check")  # the same files at another path: compared in full
    assert result.exit_code == 0 and FAST not in result.output, result.output
    assert "comparing" in result.output


def test_check_imports_no_generator_machinery_until_it_rebuilds():
    import subprocess
    import sys

    heavy = ("datamodel_code_generator", "jinja2", "openapi_spec_validator", "networkx", "yaml")
    code = (
        "import sys, generator.cli, generator.cli.check\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
