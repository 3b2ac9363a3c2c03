"""A run SIGKILLed at any move of its commit: the next run finishes that commit (issue 9)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from generator import commit
from generator.write import compare_tree, write_tree
from tests.workflow.conftest import snapshot, tree

OLD = tree(**{"p/a.py": "old a\n", "p/b.py": "old b\n", "p/gone.py": "gone\n"})
NEW = tree(**{"p/a.py": "new a\n", "p/b.py": "new b\n", "p/c/d.py": "new d\n"})

# Writes NEW over the output folder, SIGKILLing itself at the given os.replace call.
KILLER = """
import json, os, signal, sys
from pathlib import Path, PurePosixPath
from generator.write import write_tree
outdir, kill_at, files = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
real, calls = os.replace, [0]
def replace(src, dst):
    calls[0] += 1
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
os.replace = replace
write_tree({PurePosixPath(p): t for p, t in files.items()}, outdir)
"""


def test_a_commit_killed_at_any_move_is_finished_by_the_next_run(tmp_path: Path) -> None:
    write_tree(NEW, tmp_path / "expected")
    expected = snapshot(tmp_path / "expected")
    kill_at, killed = 1, 0
    while True:
        outdir = tmp_path / f"run{kill_at}"
        write_tree(OLD, outdir)
        old = snapshot(outdir)
        files = json.dumps({str(p): t for p, t in NEW.items()})
        command = [sys.executable, "-c", KILLER, str(outdir), str(kill_at), files]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode == 0:  # past the last move
            break
        assert done.returncode == -signal.SIGKILL, done.stderr
        killed += 1
        [leftover] = [d for d in compare_tree(NEW, outdir) if d.kind == "leftover"]
        if kill_at == 1:  # the journal's own rename: nothing moved yet, nothing to finish
            assert not leftover.diff
            assert commit.finish_interrupted(outdir) == []
            assert {k: v for k, v in snapshot(outdir).items() if ".apibind-tmp-" not in k} == old
        else:
            assert "killed in the middle of its commit (5 files)" in leftover.diff
            assert len(commit.finish_interrupted(outdir)) == 1
            assert snapshot(outdir) == expected, kill_at  # all new, no staging left
        report = write_tree(NEW, outdir)
        assert snapshot(outdir) == expected and not report.skipped_user_edited
        assert compare_tree(NEW, outdir) == []
        kill_at += 1
    assert killed == 9  # the journal, a removal, 3 replaced files (manifest too), a new one


def test_a_journal_naming_a_path_outside_the_output_is_ignored(tmp_path: Path) -> None:
    outdir, victim = tmp_path / "output", tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    folder = outdir / ".apibind-tmp-999999999-x"  # a run that is gone
    folder.mkdir(parents=True)
    (folder / "new-0").write_text("planted\n", encoding="utf-8")
    journal = {"removals": [], "writes": ["../victim.txt"]}
    (folder / commit.JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    assert commit.journaled_files(folder) is None
    assert commit.finish_interrupted(outdir) == []
    assert victim.read_text(encoding="utf-8") == "mine\n"
