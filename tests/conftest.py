"""Options shared by the whole suite."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files (committed expected outputs) instead of comparing with them.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """apibind's cache (stamps, model sources) in a folder of this run, not the user's."""
    import os

    from generator.cache import ENVIRONMENT

    os.environ[ENVIRONMENT] = str(tmp_path_factory.mktemp("apibind-cache"))
