"""Shared fixtures for the workflow tests (write, diff, config, build/check/diff commands)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative POSIX path -> bytes), symlinks not followed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` act read-only, for root too (root ignores permission bits)."""

    def refused(path: object) -> bool:
        return Path(str(path)).resolve().is_relative_to(folder.resolve())

    def denied(path: object) -> PermissionError:
        return PermissionError(13, "Permission denied", str(path))

    def refusing(real):
        def refuse(path, *args, **kwargs):
            if refused(path):
                raise denied(path)
            return real(path, *args, **kwargs)

        return refuse

    for name in ("mkdir", "replace", "rename"):
        monkeypatch.setattr(os, name, refusing(getattr(os, name)))
    real_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wxa+") and refused(file):
            raise denied(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_)


def tree(**files: str) -> dict[PurePosixPath, str]:
    """A rendered tree from keyword arguments: ``tree(**{"pkg/a.py": "x"})``."""
    return {PurePosixPath(path): text for path, text in files.items()}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def rendered() -> dict[PurePosixPath, str]:
    """A small generated tree of two packages."""
    return tree(
        **{
            "acme_models/__init__.py": "from .models import Account\n",
            "acme_models/models.py": "class Account:\n    id: str\n",
            "acme_client/__init__.py": "",
            "acme_client/api/accounts.py": "def get_account(): ...\n",
        }
    )
