"""Command-line behaviour a new user and a fault campaign found wrong (issue 9)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import tempfile

import click
import pytest

from generator.cli import main
from tests.workflow.test_cli_build import PAGES, ROOT, built, project, run

__all__ = ["built", "project"]  # fixtures shared with test_cli_build


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_an_interrupted_runs_staging_is_reported_by_check_and_removed_by_build(
    runner, project, tmp_path, monkeypatch
):
    output = project / "output"
    legacy = output / ".apibind-tmp-k3j2h1"  # named before the pid was added
    killed = output / f".apibind-tmp-{dead_pid()}-x9"
    ours = tmp_path / "tmp" / f"apibind-{dead_pid()}-abc"
    for folder in (legacy, killed, ours):
        folder.mkdir(parents=True)
        (folder / "backup-0").write_text("old")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert f"leftover: output/{legacy.name}" in result.output
    assert f"leftover: output/{killed.name}" in result.output
    assert "2 leftover" in result.output

    result = run(runner, project, "build")
    assert result.exit_code == 0, result.output
    assert "[leftover-removed]" in result.output
    assert not legacy.exists() and not killed.exists() and not ours.exists()
    assert run(runner, project, "check").exit_code == 0


def test_a_running_processes_staging_is_left_alone(runner, project):
    alive = project / "output" / f".apibind-tmp-{1}-x"  # pid 1 always runs
    alive.mkdir()
    assert run(runner, project, "build").exit_code == 0
    assert alive.is_dir()


def test_parse_refuses_to_overwrite_a_page_it_reads(runner, tmp_path):
    page = tmp_path / "p.txt"
    shutil.copy(ROOT / "specs" / "scraped" / PAGES[0], page)
    before = page.read_bytes()
    for args in (["-o", str(page)], ["-o", str(tmp_path / "s.yaml"), "--report", str(page)]):
        result = runner.invoke(main, ["parse", str(tmp_path), *args])
        assert result.exit_code == 1
        assert "it is one of the pages being parsed [output-is-input]" in result.output
    assert page.read_bytes() == before


def test_a_long_name_is_a_clean_error_and_a_dashed_one_is_read_as_in_the_config(runner, tmp_path):
    spec = str(ROOT / "tests" / "generate" / "specs" / "petstore.yaml")
    result = runner.invoke(main, ["generate", spec, "-o", str(tmp_path), "--name", "a" * 250])
    assert result.exit_code == 2
    assert "name is 250 characters long; at most 64 are accepted" in result.output
    result = runner.invoke(main, ["generate", spec, "-o", str(tmp_path), "--name", "my-pkg"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "my_pkg_client").is_dir()


def test_a_long_title_gives_a_short_package_name(tmp_path):
    from generator.naming import package_name

    assert len(package_name("W" * 300 + " API")) == 64


def test_messages_say_what_is_wrong(runner, tmp_path):
    cases = {
        "nopaths.json": (
            '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}',
            "nopaths.json#/: error: needs at least one of the keys `paths`, `components`, `webhooks`",
        ),
        "empty.yaml": ("", "empty.yaml#/: error: the file is empty"),
        "tabs.yaml": (
            "openapi: 3.1.0\ninfo:\n\ttitle: t\n",
            "hint: YAML does not allow tabs for indentation: indent with spaces",
        ),
        "required.json": (
            json.dumps(
                {
                    "openapi": "3.0.3",
                    "info": {"title": "t", "version": "1"},
                    "paths": {
                        "/a": {
                            "get": {
                                "responses": {
                                    "200": {
                                        "description": "ok",
                                        "content": {
                                            "application/json": {
                                                "schema": {
                                                    "type": "object",
                                                    "required": "yes",
                                                    "properties": {
                                                        f"p{i}": {
                                                            "type": "string",
                                                            "description": "x" * 40,
                                                        }
                                                        for i in range(20)
                                                    },
                                                }
                                            }
                                        },
                                    }
                                }
                            }
                        }
                    },
                }
            ),
            '/schema/required: error: "yes" is not of type "array" [spec-invalid]',
        ),
    }
    for name, (text, expected) in cases.items():
        (tmp_path / name).write_text(text)
        commands = [["generate", str(tmp_path / name), "-o", str(tmp_path / "out")]]
        if name in ("empty.yaml", "tabs.yaml"):  # diff reads the file, it does not validate it
            commands.append(["diff", str(tmp_path / name), str(tmp_path / name)])
        for command in commands:
            result = runner.invoke(main, command)
            assert result.exit_code == 1
            assert expected in result.output, (name, command[0], result.output)


def test_debug_is_accepted_after_the_subcommand(runner, tmp_path, monkeypatch):
    command = importlib.import_module("generator.cli.generate")

    def boom(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(command, "run_generate", boom)
    spec = str(ROOT / "tests" / "generate" / "specs" / "petstore.yaml")
    result = runner.invoke(main, ["generate", spec, "-o", str(tmp_path), "--debug"])
    assert result.exit_code == 3
    assert "Traceback" in result.output and "RuntimeError: boom" in result.output
    result = runner.invoke(main, ["generate", spec, "-o", str(tmp_path)])
    assert "Traceback" not in result.output and "rerun with --debug" in result.output


def test_ctrl_c_exits_130_with_one_line(runner, tmp_path, monkeypatch):
    command = importlib.import_module("generator.cli.generate")

    def interrupt(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "run_generate", interrupt)
    spec = str(ROOT / "tests" / "generate" / "specs" / "petstore.yaml")
    result = runner.invoke(main, ["generate", spec, "-o", str(tmp_path)])
    assert result.exit_code == 130
    assert result.output == "apibind: interrupted; nothing was left half-written\n"


def test_ctrl_c_while_writing_undoes_the_write(tmp_path, monkeypatch):
    import os

    from generator import write
    from tests.workflow.conftest import snapshot, tree

    write.write_tree(tree(**{"p/a.py": "old a\n", "p/b.py": "old b\n"}), tmp_path)
    before = snapshot(tmp_path)
    calls = []
    real = os.replace

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write.write_tree(tree(**{"p/a.py": "new a\n", "p/b.py": "new b\n"}), tmp_path)
    assert snapshot(tmp_path) == before


def test_a_lost_manifest_is_adopted_explicitly(runner, project):
    (project / "output" / "acme_client" / ".apibind-manifest.json").unlink()
    readme = project / "output" / "acme_client" / "README.md"
    readme.write_text(readme.read_text() + "one more line\n")  # the spec changed since, say
    result = run(runner, project, "build")
    assert result.exit_code == 1
    assert (
        "README.md: it exists but apibind did not write it; it differs from what " in result.output
    )
    assert "apibind would write in 1 line(s)" in result.output
    assert "rerun with --adopt" in result.output
    result = run(runner, project, "build", "--adopt", "-v")
    assert result.exit_code == 0, result.output
    assert "adopted output/acme_client/" in result.output.replace(str(project) + "/", "")
    assert run(runner, project, "check").exit_code == 0


def test_check_names_force_for_a_hand_edited_file_and_force_fixes_it(runner, project):
    readme = project / "output" / "acme_client" / "README.md"
    readme.write_text(readme.read_text() + "my notes\n")
    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert "edited: output/acme_client/README.md" in result.output
    assert "`apibind build --force` overwrites them" in result.output
    assert run(runner, project, "build").exit_code == 0
    assert run(runner, project, "check").exit_code == 1  # plain build keeps the edit
    assert run(runner, project, "build", "--force").exit_code == 0
    assert run(runner, project, "check").exit_code == 0


def test_a_target_dropped_from_the_config_is_removed_by_build(runner, project):
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'targets = ["models", "client"]\n')
    (project / "output" / "acme_server" / "mine.txt").write_text("a file of mine\n")
    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert "unexpected: output/acme_server/pyproject.toml" in result.output
    assert "run `apibind build`" in result.output
    assert run(runner, project, "build").exit_code == 0
    assert sorted(p.name for p in (project / "output" / "acme_server").iterdir()) == ["mine.txt"]
    assert run(runner, project, "check").exit_code == 0


def test_counts_are_pluralized():
    from generator.diff import render_text
    from generator.diff.changes import Change
    from generator.scrape.report import summary_text

    keys = ("pages", "operations", "operations_with_detail_page", "schemas", "shared_responses")
    summary = dict.fromkeys(keys, 1) | {"warnings": 0, "errors": 1, "unplaced_lines": 2}
    text = summary_text({"summary": summary | {"names_by_source": {}}})
    assert "1 page, 1 operation (1 with a detail page), 1 schema, 1 shared response;" in text
    assert "0 warnings, 1 error, 2 unplaced lines" in text
    changes = [Change("operation-removed", True, "a", "/paths/~1a", "gone")]
    assert "1 breaking and 0 non-breaking changes;" in render_text(changes)
    changes.append(Change("operation-added", False, "b", "/paths/~1b", "new"))
    assert "1 breaking and 1 non-breaking change;" in render_text(changes)


def test_quiet_and_verbose_mean_the_same_for_every_command():
    from generator.cli import main as group

    helps = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        options = {o.name: o.help for o in command.params if isinstance(o, click.Option)}
        if name != "diff":  # diff's output is its result
            helps[name] = (options.get("quiet"), options.get("verbose"))
    assert len(set(helps.values())) == 1 and None not in next(iter(helps.values())), helps


def test_parse_help_names_no_path_of_this_repository(runner):
    result = runner.invoke(main, ["parse", "--help"])
    assert "here)" not in result.output


def test_the_spec_title_is_a_config_key_for_parse_and_build(runner, project):
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'title = "Acme Billing"\n')
    assert run(runner, project, "build").exit_code == 0
    spec = (project / "specs" / "acme.openapi.yaml").read_text()
    assert "title: Acme Billing\n" in spec
    out = project / "parsed.yaml"
    result = run(runner, project, "parse", str(project / "specs" / "scraped"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "title: Acme Billing\n" in out.read_text()
    result = run(runner, project, "parse", "-o", str(out), "--title", "Given")
    assert result.exit_code == 0 and "title: Given\n" in out.read_text()
