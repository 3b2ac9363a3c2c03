"""Helpers of the generator tests: generate the models of a small in-memory spec and import them."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import uvicorn

from generator.generate import generate


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
    """The generated models module of ``spec``."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    files = generate(path, only=frozenset({"models"})).files
    (source,) = [text for name, text in files.items() if name.name == "models.py"]
    return source


def import_source(source: str, tmp_path: Path, name: str) -> ModuleType:
    """Import ``source`` as module ``name`` (registered, so pydantic resolves its annotations)."""
    module_path = tmp_path / f"{name}.py"
    module_path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def call_client(client: Any, method: str, **arguments: Any) -> Any:
    """Call ``method`` on a generated ``Client`` or ``AsyncClient`` (closed afterwards)."""
    if hasattr(client, "aclose"):

        async def run() -> Any:
            async with client:
                return await getattr(client, method)(**arguments)

        return asyncio.run(run())
    with client:
        return getattr(client, method)(**arguments)
