"""The generated server of ``specs/service.yaml`` with a test implementation, a fake OAuth 2.0
token endpoint, an OpenID Connect discovery document and a log of what each request carried."""

from __future__ import annotations

import asyncio
import base64
import importlib
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

CLIENT_ID, CLIENT_SECRET = "client-id", "client-secret"  # as in the README examples


@dataclass
class Seen:
    """What the requests carried, for the tests to read."""

    requests: list[Request] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    expires_in: int = 3600
    token_delay: float = 0.0
    revoked: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.requests.clear()
        self.token_requests.clear()
        self.attempts.clear()
        self.revoked.clear()
        self.expires_in, self.token_delay = 3600, 0.0

    @property
    def last(self) -> Request:
        return self.requests[-1]


def kiosk_app(seen: Seen) -> Any:
    """The generated ``kiosk_server`` app, extended with the token endpoints and a request log."""
    server = importlib.import_module("kiosk_server")
    models = importlib.import_module("kiosk_models")

    def flaky(name: str, fail: int | None, status: int | None, retry_after: str = "0") -> int:
        seen.attempts[name] = seen.attempts.get(name, 0) + 1
        if seen.attempts[name] <= (fail or 0):
            raise HTTPException(status or 503, "try again", headers={"Retry-After": retry_after})
        return seen.attempts[name]

    class Impl(server.Api):  # type: ignore[misc,name-defined]
        async def whoami(self) -> dict[str, str]:
            authorization = seen.last.headers.get("Authorization", "")
            if authorization.removeprefix("Bearer ") in seen.revoked:
                raise HTTPException(401, "token revoked")
            return {"authorization": authorization}

        async def get_flaky(self, *, fail: int, status: int | None = None) -> int:
            after = seen.last.headers.get("X-Retry-After", "0")
            return flaky("flaky", fail, status, after)

        async def create_order(
            self, *, idempotency_key: str | None = None, fail: int | None = None, body: Any
        ) -> Any:
            attempts = flaky("orders", fail, None)
            return models.Order(item=body.item, key=idempotency_key, attempts=attempts)

        async def create_payment(self, *, fail: int | None = None, body: Any) -> Any:
            attempts = flaky("payments", fail, None)
            key = seen.last.headers.get("Idempotency-Key")
            return models.Order(item=body.item, key=key, attempts=attempts)

    app = server.create_app(Impl())

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        seen.requests.append(request)
        response: Response = await call_next(request)
        return response

    async def token(request: Request) -> Response:
        form = dict((await request.form()).items())
        seen.token_requests.append({k: str(v) for k, v in form.items()})
        if seen.token_delay:
            await asyncio.sleep(seen.token_delay)
        given = request.headers.get("Authorization", "")
        pair = (str(form.get("client_id", "")), str(form.get("client_secret", "")))
        if given.startswith("Basic "):
            pair = tuple(base64.b64decode(given[6:]).decode().split(":", 1))  # type: ignore[assignment]
        if pair != (CLIENT_ID, CLIENT_SECRET) or form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        number = len(seen.token_requests)
        return JSONResponse(
            {"access_token": f"tok-{number}", "token_type": "Bearer", "expires_in": seen.expires_in}
        )

    async def discovery(request: Request) -> Response:
        return JSONResponse({"token_endpoint": str(request.base_url) + "oidc/token"})

    app.add_api_route("/oauth/token", token, methods=["POST"])
    app.add_api_route("/oidc/token", token, methods=["POST"])
    app.add_api_route("/.well-known/openid-configuration", discovery, methods=["GET"])
    return app
