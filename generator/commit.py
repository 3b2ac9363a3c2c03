"""The commit of a staged tree: journaled moves into place, undone on failure, finished if killed.

Staged files sit in ``output/.apibind-tmp-<pid>-*``. Before the first move a journal lists every
move (``journal.json``, written atomically), so a run killed in the middle of them (SIGKILL; nothing
is fsync'd, so a power loss is not covered) leaves a tree the next run can finish: the journal is
rolled forward, a move at a time, each step read from what is on disk (a staged file still there
has not been moved; a target not yet set aside has not been). Rolling forward, never back, keeps
the packages consistent with the spec and report, which are written before the packages. A failing
commit moves every file back to where it was, new files back into the staging folder, so even a
rollback killed half-way is finished the same way; the journal goes only once the folder holds
nothing the output needs. A journal naming a path outside the output is ignored.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.diagnostics import ApibindError, Location
from generator.leftovers import staging_prefix, stale_staging

JOURNAL = "journal.json"
Undo = list[tuple[str, Path, Path]]  # (restore | unplace | rmdir, path, where it was kept)


def commit(
    writes: Mapping[PurePosixPath, bytes], removals: list[PurePosixPath], outdir: Path
) -> None:
    """Stage ``writes``, then move them (and ``removals``) into place; undo everything on failure."""
    if not writes and not removals:
        return
    try:
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(), dir=outdir))
    except OSError as exc:
        raise os_error(exc, outdir, "cannot write to the output folder") from exc
    undo: Undo = []
    try:
        staged = _stage(writes, staging)
        _write_journal(staging, sorted(removals), sorted(writes))
        for number, path in enumerate(sorted(removals)):
            _move_aside(outdir / path, staging / f"removed-{number}", undo)
        for number, path in enumerate(sorted(writes)):
            _place(staged[path], outdir / path, staging / f"backup-{number}", undo)
    except KeyboardInterrupt:
        _rollback(undo, staging)
        raise
    except OSError as exc:
        _rollback(undo, staging)
        raise ApibindError.single(
            "write-failed",
            f"could not write the output ({exc}); the previous output is left as it was",
            Location(file=str(outdir)),
            "check that the output folder is writable and the disk is not full",
        ) from exc
    _finished(staging)
    _prune_empty_dirs(removals, outdir)


def finish_interrupted(outdir: Path) -> list[Path]:
    """Finish the commits of killed runs in ``outdir`` from their journals; return their folders."""
    finished = []
    for folder in stale_staging(outdir):
        journal = _read_journal(folder)
        if journal is None:
            continue
        removals, writes = journal
        try:
            for number, path in enumerate(removals):
                if (outdir / path).exists() and not (folder / f"removed-{number}").exists():
                    os.replace(outdir / path, folder / f"removed-{number}")
            for number, path in enumerate(writes):
                staged, target = folder / f"new-{number}", outdir / path
                if not staged.exists():
                    continue  # already in place
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists() and not (folder / f"backup-{number}").exists():
                    os.replace(target, folder / f"backup-{number}")
                os.replace(staged, target)
        except OSError as exc:
            hint = "the new files and the backups are kept in this folder; move them by hand"
            raise rollback_failed(exc, folder, hint, "finishing an interrupted commit") from exc
        _finished(folder)
        _prune_empty_dirs(removals, outdir)
        finished.append(folder)
    return finished


def journaled_files(folder: Path) -> int | None:
    """How many files the interrupted commit in ``folder`` moves, or None without a journal."""
    journal = _read_journal(folder)
    return None if journal is None else len(journal[0]) + len(journal[1])


def os_error(exc: OSError, path: Path, what: str = "cannot write") -> ApibindError:
    return ApibindError.single(
        "write-failed",
        f"{what}: {exc.strerror or exc}",
        Location(file=str(path)),
        "check that the output folder exists, is a folder and is writable",
    )


def rollback_failed(
    exc: OSError, where: Path, hint: str, what: str = "writing failed and so did undoing it"
) -> ApibindError:
    message = f"{what} ({exc})"
    return ApibindError.single("rollback-failed", message, Location(file=str(where)), hint)


def _write_journal(
    staging: Path, removals: list[PurePosixPath], writes: list[PurePosixPath]
) -> None:
    """Record every move before the first: removals, then writes, numbered as staged."""
    text = json.dumps({"removals": [str(p) for p in removals], "writes": [str(p) for p in writes]})
    temp = staging / f"{JOURNAL}.tmp"
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, staging / JOURNAL)


def _read_journal(folder: Path) -> tuple[list[PurePosixPath], list[PurePosixPath]] | None:
    """The journal's moves; None without one, or when one names a path outside the output."""
    try:
        data = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
        removals = [PurePosixPath(p) for p in data["removals"]]
        writes = [PurePosixPath(p) for p in data["writes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    inside = all(not p.is_absolute() and ".." not in p.parts for p in removals + writes)
    return (removals, writes) if inside else None


def _finished(staging: Path) -> None:
    """The journal first: once it is gone, nothing in ``staging`` is needed."""
    (staging / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _stage(writes: Mapping[PurePosixPath, bytes], staging: Path) -> dict[PurePosixPath, Path]:
    staged = {}
    for number, (path, data) in enumerate(sorted(writes.items())):
        staged[path] = staging / f"new-{number}"
        with open(staged[path], "xb") as handle:
            handle.write(data)
    return staged


def _move_aside(target: Path, backup: Path, undo: Undo) -> None:
    os.replace(target, backup)
    undo.append(("restore", target, backup))


def _place(staged: Path, target: Path, backup: Path, undo: Undo) -> None:
    for folder in _missing_parents(target):
        folder.mkdir()
        undo.append(("rmdir", folder, folder))
    if target.exists():
        _move_aside(target, backup, undo)
    os.replace(staged, target)
    undo.append(("unplace", target, staged))


def _missing_parents(target: Path) -> list[Path]:
    missing = [p for p in target.parents if not p.exists()]
    return sorted(missing, key=lambda p: len(p.parts))


def _rollback(undo: Undo, staging: Path) -> None:
    """Undo the moves of a failed commit, newest first; keep the backups if that fails too."""
    try:
        for action, path, kept in reversed(undo):
            if action == "rmdir":
                path.rmdir()
            elif action == "unplace":  # a new file goes back to the staging folder
                os.replace(path, kept)
            else:
                os.replace(kept, path)
    except OSError as exc:
        hint = "the previous versions of the files are kept in this folder; restore them by hand"
        raise rollback_failed(exc, staging, hint) from exc
    _finished(staging)


def _prune_empty_dirs(removals: list[PurePosixPath], outdir: Path) -> None:
    """Remove folders emptied by removals, up to (not including) the package folder."""
    for path in removals:
        folder = outdir / path.parent
        while folder.parent != outdir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
