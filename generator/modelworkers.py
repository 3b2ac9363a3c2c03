"""The chunks' results: from the cache, else from worker processes started ahead.

``generate`` starts the workers when it starts reading the spec (``build`` before it parses the
pages): by the time the chunks are planned they have imported and warmed up
datamodel-code-generator (half a second or more each), so a
regeneration that misses one chunk runs it at once on another core, while the client and server
are rendered. A worker is a plain ``python -m generator.modelworkers`` fed pickled chunks
through a pipe, never a copy of the calling program (whose main module may be unguarded). A
chunk's result is a pure function of the chunk and apibind's code (``modelchunks.run``): it is
cached under their digest.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from generator import cache, modelchunks
from generator.modelchunks import Chunk

KIND = "models-chunk"  # the cache folder of chunk results
MAX_WORKERS = 8
# schemas of work that outweigh starting a worker (importing datamodel-code-generator takes as
# long as writing about this many): below it, the chunks wait for the workers already running
WORTH = 200


def cores() -> int:
    """The processes worth running datamodel-code-generator in at once."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def ahead() -> int:
    """The workers worth starting before the chunks are known: a core each, but for the one
    that reads the spec meanwhile."""
    return cores() - 1


class Workers:
    """Worker processes, ``ahead`` of them started at once; more start when a run needs them.

    Use it as a context manager: the workers no run took are stopped at the end.
    """

    def __init__(self, ahead: int = 0) -> None:
        self._lock = threading.Lock()
        self._idle = [_start(warm=True) for _ in range(ahead)]

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers no run took (they hold no work)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for process in idle:
            process.kill()
            process.communicate()

    def run(self, chunks: Sequence[Chunk]) -> list[dict[str, Any]]:
        """``modelchunks.run`` on each chunk, shared out over the workers (largest first, each to
        the least loaded): the waiting ones, and more up to a core each when the chunks hold
        ``WORTH`` schemas a worker; in this process when one worker would do and none waits."""
        if not chunks:
            return []
        with self._lock:
            waiting = len(self._idle)
        # a worker started now must earn its start
        wanted = max(1, sum(map(_size, chunks)) // WORTH)
        count = min(len(chunks), max(waiting, min(cores(), wanted)))
        if count <= 1 and not waiting:
            return [modelchunks.run(chunk) for chunk in chunks]
        loads = [0] * count
        shares: list[list[int]] = [[] for _ in range(count)]
        for i in sorted(range(len(chunks)), key=lambda i: -_size(chunks[i])):
            worker = loads.index(min(loads))
            shares[worker].append(i)
            loads[worker] += _size(chunks[i])
        with ThreadPoolExecutor(count) as pool:
            done = list(pool.map(lambda share: self._work([chunks[i] for i in share]), shares))
        found: dict[int, dict[str, Any]] = {}
        for share, made in zip(shares, done, strict=True):
            if len(made) != len(share):  # the worker failed: its error stands for its chunks
                made = made * len(share)
            found.update(zip(share, made, strict=True))
        return [found[i] for i in range(len(chunks))]

    def _work(self, chunks: list[Chunk]) -> list[dict[str, Any]]:
        with self._lock:
            process = self._idle.pop() if self._idle else _start()
        payload = pickle.dumps((gc.get_threshold(), chunks))
        out, err = process.communicate(payload)
        if process.returncode != 0:
            text = err.decode(errors="replace").strip().splitlines()
            return [
                {"error": f"a models worker failed: {text[-1] if text else process.returncode}"}
            ]
        made: list[dict[str, Any]] = pickle.loads(out)  # written by _serve, in a child of ours
        return made


def results(
    chunks: Sequence[Chunk], options: str, steps: str, workers: Workers
) -> list[dict[str, Any]]:
    """Each chunk's result (``modelchunks.run``), from the cache where it was made before."""
    keys = [_key(chunk, options, steps) for chunk in chunks]
    found = [_cached(key) if key else None for key in keys]
    missing = [i for i, result in enumerate(found) if result is None]
    made = workers.run([chunks[i] for i in missing])
    for i, result in zip(missing, made, strict=True):
        found[i] = result
        key = keys[i]
        if key and "error" not in result:
            cache.write_text(KIND, key, json.dumps(result))
    return [result for result in found if result is not None]


def _cached(key: str) -> dict[str, Any] | None:
    """The result stored under ``key``, or None (none, or a damaged entry: made again)."""
    text = cache.read_text(KIND, key)
    try:
        stored = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return stored if isinstance(stored, dict) else None


def _key(chunk: Chunk, options: str, steps: str) -> str | None:
    try:  # key order kept: it decides the order of the classes
        text = json.dumps([chunk.document, chunk.owners], ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a value JSON cannot hold: not cached
        return None
    return cache.key(text, repr(chunk.enums), options, steps, cache.environment())


def _size(chunk: Chunk) -> int:
    return len(chunk.document["components"]["schemas"])


def _start(*, warm: bool = False) -> subprocess.Popen[bytes]:
    """A worker; ``warm``: one started ahead, that warms up while it waits for work."""
    package_root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "generator.modelworkers", *(["--warm"] if warm else [])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )


# a small document that takes datamodel-code-generator through what it imports and sets up on
# its first run (about half a second, a third of a typical chunk's run)
_WARM_UP = Chunk(
    owners=("Pet", "Kind", "Cat"),
    document={
        "openapi": "3.0.3",
        "info": {"title": "warm-up", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "tags": {"type": "array", "items": {"type": "string", "format": "uri"}},
                        "born": {"type": "string", "format": "date-time", "nullable": True},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                    },
                    "discriminator": {"propertyName": "kind"},
                },
                "Kind": {"type": "string", "enum": ["cat"]},
                "Cat": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Pet"},
                        {"type": "object", "properties": {"lives": {"type": "integer"}}},
                    ]
                },
                "Owner": {"type": "object"},
            }
        },
    },
    enums=(),
)


def _serve() -> None:
    """A worker: pickled ``(collector thresholds, chunks)`` on stdin, their results on stdout;
    with ``--warm``, a warm-up run first."""
    if "--warm" in sys.argv:
        with contextlib.suppress(Exception):  # only ever a head start: the real runs report
            modelchunks.run(_WARM_UP)
    try:
        thresholds, chunks = pickle.load(sys.stdin.buffer)  # written by Workers._work, our parent
    except EOFError:  # stopped before any work came
        return
    gc.set_threshold(*thresholds)
    sys.stdout.buffer.write(pickle.dumps([modelchunks.run(chunk) for chunk in chunks]))


if __name__ == "__main__":
    _serve()
