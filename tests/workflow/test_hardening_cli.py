"""Command-line behaviour a new user and a fault campaign found wrong (issue 9)."""

from __future__ import annotations

import subprocess
import sys
import tempfile

from tests.workflow.test_cli_build import built, project, run

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
