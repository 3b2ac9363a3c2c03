"""The browser fixture itself: pages from loopback load, anything else is blocked."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from tests.browser import OfflinePage


@pytest.fixture
def local_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'<html><body><p id="p">local</p><img src="https://cdn.example.com/x.png"></body></html>'
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_loopback_loads_and_the_network_is_blocked(
    offline_page: OfflinePage, local_server: str
) -> None:
    offline_page.page.goto(local_server)
    assert offline_page.page.inner_text("#p") == "local"
    assert offline_page.blocked == ["https://cdn.example.com/x.png"]
