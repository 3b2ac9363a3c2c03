"""What an interrupted run (SIGKILL, power loss) leaves behind, found and removed by the next run.

apibind's temporary folders carry the id of the process that made them
(``output/.apibind-tmp-<pid>-*``, ``/tmp/apibind-<pid>-*``): a folder whose process is gone is a
leftover; one whose process still runs belongs to a concurrent run and is left alone. Staging
folders named before the pid was added (``.apibind-tmp-<random>``) count as leftovers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

STAGING = ".apibind-tmp-"  # inside the output folder
TEMP = "apibind-"  # in the system's temporary folder


def staging_prefix() -> str:
    """The prefix of this process's staging folders in an output folder."""
    return f"{STAGING}{os.getpid()}-"


def temp_prefix() -> str:
    """The prefix of this process's folders in the system's temporary folder."""
    return f"{TEMP}{os.getpid()}-"


def stale_staging(outdir: Path) -> list[Path]:
    """Staging folders in ``outdir`` whose run is gone."""
    if not outdir.is_dir():
        return []
    return sorted(
        entry
        for entry in outdir.iterdir()
        if entry.name.startswith(STAGING) and entry.is_dir() and not _running(entry.name, STAGING)
    )


def remove_leftovers(outdir: Path) -> list[Path]:
    """Remove the stale staging folders of ``outdir`` and this user's stale temporary folders;
    return the staging folders removed."""
    stale = stale_staging(outdir)
    temp = Path(tempfile.gettempdir())
    for entry in temp.glob(f"{TEMP}*-*"):
        pid = entry.name[len(TEMP) :].partition("-")[0]
        if pid.isdigit() and entry.is_dir() and _mine(entry) and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def _running(name: str, prefix: str) -> bool:
    pid, sep, _ = name[len(prefix) :].partition("-")
    return bool(sep) and pid.isdigit() and _alive(int(pid))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _mine(path: Path) -> bool:
    return path.stat().st_uid == os.getuid()
