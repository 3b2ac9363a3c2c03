"""A real headless Chromium (Debian's package) driven by playwright, with the network blocked.

Only requests to 127.0.0.1/localhost and ``file://``/``data:``/``blob:`` URLs go through; every
other request is aborted and recorded, so a page that reaches for a CDN fails the test that
checks ``blocked``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_path() -> str | None:
    """Debian's Chromium, if installed (`.ci/run` installs it)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class OfflinePage:
    """A page whose requests leave only for loopback; `blocked` lists the refused URLs."""

    page: Page
    blocked: list[str] = field(default_factory=list)


def _route(blocked: list[str]) -> object:
    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"file", "data", "blob", "about"} or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    return handle


# Module scope: playwright's sync API runs an event loop in this thread while it is open, which
# would break ``asyncio.run`` in the tests of other modules.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[OfflinePage]:
    context = browser.new_context(accept_downloads=True)
    result = OfflinePage(page=context.new_page())
    context.route("**/*", _route(result.blocked))  # type: ignore[arg-type]
    yield result
    context.close()
