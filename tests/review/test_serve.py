"""`apibind review --serve`: token-guarded; saves the overrides file atomically, not over news."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator.review.serve import ReviewServer

GOOD = "# kept\noverrides:\n  - operation: getBill\n    pointer: /requestBody\n    remove: true\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReviewServer]:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("# kept\noverrides: []\n")
    instance = ReviewServer(lambda token: f"<p>{token}</p>", overrides)
    thread = threading.Thread(target=instance.serve_forever, daemon=True)
    thread.start()
    yield instance
    instance.shutdown()
    instance.server_close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_only_the_token_url_answers(server: ReviewServer) -> None:
    assert httpx.get(server.url).text == f"<p>{server.token}</p>"
    base = server.url.split("?")[0]
    assert httpx.get(base).status_code == 403
    assert httpx.get(base + "?token=wrong").status_code == 403
    assert httpx.post(base + "save", json={"text": GOOD, "sha256": ""}).status_code == 403


def test_save_writes_the_file_and_refuses_bad_or_stale_text(server: ReviewServer) -> None:
    url = server.url.replace("/?", "/save?")
    sha = _sha(server.overrides)
    bad = httpx.post(url, json={"text": "overrides: 3\n", "sha256": sha})
    assert bad.status_code == 400 and server.overrides.read_text() == "# kept\noverrides: []\n"
    assert httpx.post(url, json={"text": GOOD, "sha256": sha}).status_code == 200
    assert server.overrides.read_text() == GOOD
    stale = httpx.post(url, json={"text": GOOD, "sha256": sha})
    assert stale.status_code == 409
