"""``apibind review --serve``: the page from 127.0.0.1, saving decisions into the overrides file.

The URL carries a random token; every request without it (or for another host) is refused. A save
sends the whole new overrides text the page computed; it is refused when the file changed since
the page was made, checked with the overrides loader, then written atomically, and the next page
load re-parses.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.diagnostics import ApibindError
from generator.scrape.overrides import load_overrides
from generator.write import write_text_atomic

MAX_BODY = 16 * 1024 * 1024


class ReviewServer(http.server.ThreadingHTTPServer):
    """Serves ``render(token)`` at ``/`` and saves ``POST /save`` into ``overrides``."""

    def __init__(self, render: Callable[[str], str], overrides: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.render, self.overrides = render, overrides
        self.token = secrets.token_urlsafe(24)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/?token={self.token}"

    def save(self, text: str, sha256: str) -> tuple[int, str]:
        """Write ``text`` as the overrides file; (HTTP status, message)."""
        try:
            current = self.overrides.read_bytes()
        except FileNotFoundError:
            current = b""
        if hashlib.sha256(current).hexdigest() != sha256:
            return 409, f"{self.overrides} changed since this page was made; reload it first"
        with tempfile.TemporaryDirectory(prefix="apibind-review-") as folder:
            candidate = Path(folder) / self.overrides.name
            candidate.write_text(text, encoding="utf-8")
            try:
                load_overrides(candidate)
            except ApibindError as exc:
                return 400, "; ".join(d.message for d in exc.diagnostics)
        write_text_atomic(self.overrides, text)
        return 200, f"saved {self.overrides}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ReviewServer

    def do_GET(self) -> None:
        if not self._allowed("/"):
            return
        try:
            page = self.server.render(self.server.token)
        except ApibindError as exc:  # e.g. a saved override that no longer loads: say so
            self._send(500, "text/plain; charset=utf-8", str(exc))
            return
        self._send(200, "text/html; charset=utf-8", page)

    def do_POST(self) -> None:
        if not self._allowed("/save"):
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413, "too large")
            return
        try:
            body = json.loads(self.rfile.read(length))
            status, message = self.server.save(str(body["text"]), str(body["sha256"]))
        except (ValueError, KeyError, TypeError):
            status, message = 400, "expected {text, sha256}"
        self._answer(status, message)

    def _allowed(self, path: str) -> bool:
        parts = urlsplit(self.path)
        token = parse_qs(parts.query).get("token", [""])[0]
        host = self.headers.get("Host", "")
        if parts.path != path:
            self._answer(404, "not found")
        elif not secrets.compare_digest(token, self.server.token) or not host.startswith(
            ("127.0.0.1:", "localhost:")
        ):
            self._answer(403, "forbidden: open the URL apibind printed")
        else:
            return True
        return False

    def _answer(self, status: int, message: str) -> None:
        self._send(status, "application/json", json.dumps({"message": message}))

    def _send(self, status: int, kind: str, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the command prints what matters
