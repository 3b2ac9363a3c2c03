"""Helpers of the generator tests: generate the models of a small in-memory spec and import them."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import uvicorn

from generator.generate import generate
from generator.render import RUNTIME


def models_text(files: dict[PurePosixPath, str]) -> str:
    """Every module of the generated models package, as one text (for assertions on the code)."""
    return "\n".join(
        text
        for path, text in sorted(files.items())
        if path.parts[0].endswith("_models") and path.suffix == ".py"
    )


def client_text(files: dict[PurePosixPath, str]) -> str:
    """The generated client's own modules (``client.py``, one module per tag), as one text."""
    runtime = {PurePosixPath(name).name for name in RUNTIME["client"]}  # copied, not rendered
    return "\n".join(
        text
        for path, text in sorted(files.items())
        if path.parts[0].endswith("_client") and path.suffix == ".py" and path.name not in runtime
    )


@contextlib.contextmanager
def serve_on_loopback(app: Any) -> Iterator[str]:
    """Run the ASGI ``app`` under uvicorn on 127.0.0.1 (a free port); yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


def models_source(spec: dict[str, Any], tmp_path: Path) -> str:
    """The generated models package of ``spec``, as one text."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return models_text(generate(path, only=frozenset({"models"})).files)


def import_models(spec: dict[str, Any], tmp_path: Path, name: str) -> tuple[str, ModuleType]:
    """The models package ``{name}_models`` of ``spec``, written to ``tmp_path`` and imported."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    files = generate(path, name=name, only=frozenset({"models"})).files
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp_path / f"{name}_models"))
    try:
        return models_text(files), importlib.import_module(f"{name}_models")
    finally:
        sys.path.remove(str(tmp_path / f"{name}_models"))


def call_client(client: Any, method: str, **arguments: Any) -> Any:
    """Call ``method`` on a generated ``Client`` or ``AsyncClient`` (closed afterwards)."""
    if hasattr(client, "aclose"):

        async def run() -> Any:
            async with client:
                return await getattr(client, method)(**arguments)

        return asyncio.run(run())
    with client:
        return getattr(client, method)(**arguments)
