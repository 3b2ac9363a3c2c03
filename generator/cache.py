"""apibind's cache folder, outside every project: stamps, datamodel-code-generator and ruff output.

The folder is ``$APIBIND_CACHE_DIR`` when set, else the user cache folder (platformdirs). An
entry is one file named by the sha256 of what determines it, written atomically; a missing or
unreadable entry is a miss, and a cache that cannot be written is skipped. Deleting the folder
is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir

ENVIRONMENT = "APIBIND_CACHE_DIR"
_METADATA = (".dist-info", ".egg-info")


def cache_dir() -> Path:
    """Where the cache lives: ``$APIBIND_CACHE_DIR``, else the user cache folder."""
    return Path(os.environ.get(ENVIRONMENT) or user_cache_dir("apibind"))


def key(*parts: str | bytes) -> str:
    """The sha256 of ``parts``, each length-prefixed so no two lists of parts share a key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(b"%d:" % len(data) + data)
    return digest.hexdigest()


def read(kind: str, name: str) -> bytes | None:
    """The entry ``name`` of the ``kind`` folder, or None."""
    try:
        return (cache_dir() / kind / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Store ``data`` as entry ``name`` of the ``kind`` folder (atomically; best effort)."""
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def read_text(kind: str, name: str) -> str | None:
    """The entry ``name`` of the ``kind`` folder as text, or None (also when it is no UTF-8)."""
    data = read(kind, name)
    try:
        return None if data is None else data.decode()
    except UnicodeDecodeError:
        return None


def write_text(kind: str, name: str, text: str) -> None:
    """Store ``text`` (UTF-8) as entry ``name``; text UTF-8 cannot hold (a lone surrogate from a
    spec) is not stored."""
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return
    write(kind, name, data)


@functools.cache
def environment() -> str:
    """The Python version and every distribution installed where this Python imports from (its
    ``*.dist-info`` and ``*.egg-info`` folder names carry name and version): what the output of
    the tools apibind runs may depend on, beyond their input. Read once per process: what is
    installed while apibind runs is not what it imported."""
    installed: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as entries:
                installed.update(e.name for e in entries if e.name.endswith(_METADATA))
        except OSError:
            continue
    return "\n".join([sys.version, sys.platform, *sorted(installed)])
