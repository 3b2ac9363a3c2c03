"""Shared fixtures of the generator tests: generated trees, one install of them, one venv-less import path."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from generate_helpers import serve_on_loopback

from generator.generate import Generation, generate

HERE = Path(__file__).parent
SPECS = HERE / "specs"
ROOT = HERE.parents[1]
ORACLE_SPEC = ROOT / "specs" / "oracle_utilities.openapi.yaml"
# Specs whose packages the session installs once (name -> spec path).
INSTALLED = {
    "petstore": SPECS / "petstore.yaml",
    "features": SPECS / "features.yaml",
    "hostile": SPECS / "hostile.yaml",
    "service": SPECS / "service.yaml",
    "oracle": ORACLE_SPEC,
}


# `--update-golden` is registered in tests/conftest.py (one option for the whole suite).
@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    flag = bool(request.config.getoption("--update-golden"))
    return flag or os.environ.get("APIBIND_UPDATE_GOLDEN") == "1"


_CACHE: dict[str, Generation] = {}


@pytest.fixture(scope="session")
def generated() -> Callable[[str], Generation]:
    """``generated("petstore")``: the generation of one of the test specs, computed once."""

    def get(case: str) -> Generation:
        if case not in _CACHE:
            _CACHE[case] = generate(INSTALLED.get(case, SPECS / f"{case}.yaml"))
        return _CACHE[case]

    return get


def write_files(files: dict[PurePosixPath, str], outdir: Path) -> None:
    for relative, text in files.items():
        target = outdir.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def output_root(
    tmp_path_factory: pytest.TempPathFactory, generated: Callable[[str], Generation]
) -> Path:
    """Every installed case written out under ``<root>/<case>/``."""
    root = tmp_path_factory.mktemp("generated")
    for case in INSTALLED:
        write_files(generated(case).files, root / case)
    return root


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, output_root: Path) -> Path:
    """The generated packages installed by pip (wheels built, no deps) into one target folder."""
    target = tmp_path_factory.mktemp("site")
    projects = sorted(str(p) for case in INSTALLED for p in (output_root / case).iterdir())
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*command, "--target", str(target), *projects], check=True, capture_output=True)
    return target


@pytest.fixture(scope="session")
def run_python(site: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run Python code in a fresh interpreter that sees the installed packages (not the sources)."""

    def run(
        code: str, *, cwd: Path | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(site)}
        return subprocess.run(
            [sys.executable, "-c", code],
            check=False,
            env=env,
            cwd=cwd or site,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def on_path(site: Path) -> Iterator[None]:
    """Make the installed packages importable in this process for one test."""
    sys.path.insert(0, str(site))
    try:
        yield
    finally:
        sys.path.remove(str(site))


class Live:
    """One uvicorn server on 127.0.0.1 whose ASGI app tests swap (``serve``)."""

    def __init__(self) -> None:
        self.app: Any = None
        self.url = ""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def serve(self, package: str, impl: Any = None) -> str:
        server = importlib.import_module(f"{package}_server")
        self.app = server.create_app(impl if impl is not None else server.Api())
        return self.url


@pytest.fixture(scope="module")
def kiosk(site: Path) -> Iterator[tuple[str, Any]]:
    """The generated Kiosk server (``specs/service.yaml``) on 127.0.0.1: its URL and its log."""
    from kiosk_service import Seen, kiosk_app

    sys.path.insert(0, str(site))
    seen = Seen()
    try:
        with serve_on_loopback(kiosk_app(seen)) as url:
            yield url, seen
    finally:
        sys.path.remove(str(site))


@pytest.fixture
def seen(kiosk: tuple[str, Any]) -> Any:
    """The Kiosk server's log, emptied for this test."""
    kiosk[1].reset()
    return kiosk[1]


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    switch = Live()
    with serve_on_loopback(switch) as url:
        switch.url = url
        yield switch


@pytest.fixture(scope="module")
def server_of(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Any]]:
    """``server_of("contracts")``: the server package of ``specs/contracts.yaml``, generated into
    a temporary folder and imported (with its models package) for the module's tests."""
    added: list[str] = []

    def load(case: str) -> Any:
        root = tmp_path_factory.mktemp(case)
        generation = generate(SPECS / f"{case}.yaml")
        write_files(generation.files, root)
        paths = [str(root / f"{generation.name}_models"), str(root / f"{generation.name}_server")]
        sys.path[:0] = paths
        added.extend(paths)
        return importlib.import_module(f"{generation.name}_server")

    yield load
    for path in added:
        sys.path.remove(path)
