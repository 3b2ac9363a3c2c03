"""``apibind diff`` through the command line: formats, --fail-on, git:REV:PATH and folders."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.workflow.conftest import FIXTURES

PAIRS = FIXTURES / "diff"


def pair(case: str) -> list[str]:
    return [str(PAIRS / "base.yaml"), str(PAIRS / f"{case}.yaml")]


def test_text_is_the_default_and_exit_is_0_without_fail_on(runner):
    result = runner.invoke(main, ["diff", *pair("path_action_to_lifecycle")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("BREAKING stopServiceAgreement: POST /rest/apis")
    assert "proposed version bump: major." in result.output


@pytest.mark.parametrize(("case", "code"), [("property_removed", 1), ("additions", 0), ("base", 0)])
def test_fail_on_breaking(runner, case, code):
    result = runner.invoke(main, ["diff", *pair(case), "--fail-on", "breaking"])
    assert result.exit_code == code, result.output


def test_json_format(runner):
    result = runner.invoke(main, ["diff", *pair("additions"), "--format", "json"])
    document = json.loads(result.output)
    assert document["proposed_bump"] == "minor" and document["breaking"] == 0
    assert {c["kind"] for c in document["changes"]} >= {"operation-added", "parameter-added"}


def test_markdown_format(runner):
    result = runner.invoke(main, ["diff", *pair("enum_value_removed"), "--format", "markdown"])
    assert result.output.startswith("## API changes")
    assert "| updateAccount | request property 'status': enum value(s) removed: 'PENDING' |" in (
        result.output
    )


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(main, ["diff", *pair("base"), "--format", "html"])
    assert result.exit_code == 2


@pytest.fixture
def git_repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "specs").mkdir()
    shutil.copy(PAIRS / "base.yaml", tmp_path / "specs/api.yaml")
    git("add", "specs/api.yaml")
    git("commit", "-q", "-m", "v1")
    shutil.copy(PAIRS / "parameter_required.yaml", tmp_path / "specs/api.yaml")
    return tmp_path


def test_git_revision_against_the_working_copy(runner, git_repo):
    result = runner.invoke(main, ["diff", "git:HEAD:specs/api.yaml", "specs/api.yaml"])
    assert result.exit_code == 0, result.output
    assert "query parameter 'includeBalance' became required" in result.output


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("git:HEAD", "expected git:REV:PATH"),
        ("git:nosuchrev:specs/api.yaml", "git:nosuchrev:specs/api.yaml: error:"),
        ("git:HEAD:specs/missing.yaml", "check the revision and the path"),
    ],
)
def test_bad_git_sources(runner, git_repo, source, message):
    result = runner.invoke(main, ["diff", source, "specs/api.yaml"])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_folders_of_scraped_pages_are_parsed_on_the_fly(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no project here: plain parsing
    scraped = FIXTURES.parents[2] / "specs" / "scraped"
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, pages in (
        (old, ["001_78098612a190788d.txt"]),
        (new, ["001_78098612a190788d.txt", "004_fb73667043af2f7c.txt"]),
    ):
        folder.mkdir()
        for page in pages:
            shutil.copy(scraped / page, folder / page)
    result = runner.invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["proposed_bump"] == "major"
    # page 004 adds an operation, and evidence that names placeholder properties of a shared schema
    assert {c["kind"] for c in document["changes"]} == {
        "operation-added",
        "schema-added",
        "property-renamed",
    }
    assert any(
        "'unnamedProperty1' renamed to 'detail'" in c["message"] for c in document["changes"]
    )


def _split_spec(folder, properties):
    """A spec whose response schema lives in ``common.yaml`` next to it."""
    folder.mkdir(parents=True, exist_ok=True)
    response = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "common.yaml#/Pet"}}},
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"get": {"operationId": "getPet", "responses": {"200": response}}}},
    }
    (folder / "api.yaml").write_text(yaml.safe_dump(spec))
    pet = {"type": "object", "properties": {name: {"type": "string"} for name in properties}}
    (folder / "common.yaml").write_text(yaml.safe_dump({"Pet": pet}))
    return folder / "api.yaml"


def test_refs_to_files_next_to_the_spec_are_followed(runner, tmp_path):
    old = _split_spec(tmp_path / "old", ["id", "name"])
    new = _split_spec(tmp_path / "new", ["id"])
    result = runner.invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.output)["changes"]
    assert (change["kind"], change["operation"], change["pointer"]) == (
        "property-removed",
        "getPet",
        "common.yaml#/Pet/properties/name",
    )


def test_a_git_side_reads_the_files_next_to_its_spec_from_its_revision(runner, git_repo):
    _split_spec(git_repo / "specs", ["id", "name"])
    subprocess.run(["git", "add", "specs"], check=True, capture_output=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v2"],
        check=True,
        capture_output=True,
    )
    _split_spec(git_repo / "specs", ["id"])  # the worktree drops `name`; HEAD still has it
    result = runner.invoke(main, ["diff", "git:HEAD:specs/api.yaml", "specs/api.yaml"])
    assert result.exit_code == 0, result.output
    assert "property 'name' removed" in result.output, result.output


SECURED = """overrides: []
spec:
  components: {securitySchemes: {basic: {type: http, scheme: basic}}}
  security: [{basic: []}]
"""


@pytest.fixture
def secured_project(tmp_path, monkeypatch):
    """A project whose overrides add authentication, with its spec parsed from its pages."""
    from tests.workflow.test_cli_build import make_project

    project = make_project(tmp_path / "project", '[tool.apibind]\nname = "acme"\n')
    (project / "specs" / "overrides.yaml").write_text(SECURED)
    (project / "specs" / "none.yaml").write_text("overrides: []\n")
    monkeypatch.chdir(project)
    args = ["parse", "specs/scraped", "--overrides", "specs/overrides.yaml"]
    parsed = CliRunner().invoke(main, [*args, "-o", "specs/acme.openapi.yaml", "-q"])
    assert parsed.exit_code == 0, parsed.output
    return project


def test_a_folder_side_is_parsed_with_the_projects_overrides(runner, secured_project):
    result = runner.invoke(main, ["diff", "specs/acme.openapi.yaml", "specs/scraped"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No changes"), result.output


def test_diff_overrides_and_config_choose_another_project_setup(
    runner, secured_project, tmp_path, monkeypatch
):
    args = ["diff", "specs/acme.openapi.yaml", "specs/scraped", "--format", "json"]
    plain = runner.invoke(main, [*args, "--overrides", "specs/none.yaml"])
    assert plain.exit_code == 0, plain.output
    assert "security-removed" in {c["kind"] for c in json.loads(plain.output)["changes"]}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no project found from here: --config names it
    spec, pages = (
        secured_project / "specs" / "acme.openapi.yaml",
        secured_project / "specs" / "scraped",
    )
    configured = runner.invoke(
        main,
        ["diff", str(spec), str(pages), "--config", str(secured_project / "pyproject.toml")],
        catch_exceptions=False,
    )
    assert configured.output.startswith("No changes"), configured.output
