"""The generated server of ``specs/service.yaml`` with a test implementation, a fake OAuth 2.0
token endpoint, an OpenID Connect discovery document and a log of what each request carried."""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import importlib
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

ZOO = [
    {"name": "Tom", "kind": "cat", "born": "2019-04-01"},
    {"name": "Rex", "kind": "dog", "born": "2020-06-15"},
    {"name": "Coo", "kind": "rock pigeon", "born": "2021-01-30"},
    {"name": "Kit", "kind": "cat", "born": "2022-03-03"},
    {"name": "Ace", "kind": "dog", "born": "2023-11-11"},
]
BILLS = [{"id": n, "status": "open" if n % 2 else "paid"} for n in range(1, 8)]
EVENTS = [f"event-{n}" for n in range(7)]
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
    refresh_tokens: set[str] = field(default_factory=set)  # the refresh tokens the server takes
    rotate: bool = False  # answer a new refresh token for each one used (and forget the old)
    challenge: str = ""  # the PKCE challenge of the authorization code "the-code"
    received: dict[str, Any] = field(default_factory=dict)  # parameters as the server parsed them
    bodies: list[bytes] = field(default_factory=list)  # of the /bills/search requests

    def reset(self) -> None:
        self.requests.clear()
        self.token_requests.clear()
        self.attempts.clear()
        self.revoked.clear()
        self.refresh_tokens.clear()
        self.rotate, self.challenge = False, ""
        self.bodies.clear()
        self.expires_in, self.token_delay = 3600, 0.0

    @property
    def last(self) -> Request:
        return self.requests[-1]


def sent_credentials(request: Request) -> dict[str, str]:
    """The credentials a request carried, by where they go (absent ones left out)."""
    found = {
        "authorization": request.headers.get("Authorization"),
        "x-api-key": request.headers.get("X-Api-Key"),
        "api_key": request.query_params.get("api_key"),
        "session": request.cookies.get("session"),
    }
    return {key: value for key, value in found.items() if value is not None}


def kiosk_app(seen: Seen) -> Any:
    """The generated ``kiosk_server`` app, extended with the token endpoints and a request log."""
    server = importlib.import_module("kiosk_server")
    models = importlib.import_module("kiosk_models")

    def flaky(name: str, fail: int | None, status: int | None, retry_after: str = "0") -> int:
        seen.attempts[name] = seen.attempts.get(name, 0) + 1
        if seen.attempts[name] <= (fail or 0):
            after = {"Retry-After": retry_after} if retry_after else {}  # "": backoff and jitter
            raise HTTPException(status or 503, "try again", headers=after)
        return seen.attempts[name]

    class Impl(server.Api):  # type: ignore[misc,name-defined]
        async def authenticate(self, scheme: str, credentials: Any) -> Any:
            return credentials  # every credential is accepted: the tests read what was sent

        async def whoami(self) -> dict[str, str]:
            authorization = seen.last.headers.get("Authorization", "")
            if authorization.removeprefix("Bearer ") in seen.revoked:
                raise HTTPException(401, "token revoked")
            return {"authorization": authorization}

        async def whoami_pair(self) -> dict[str, str]:
            return sent_credentials(seen.last)

        async def whoami_maybe(self) -> dict[str, str]:
            return sent_credentials(seen.last)

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

        async def list_animals(
            self,
            *,
            sort: Any = None,
            kind: Any = None,
            born_after: datetime.date | None = None,
            updated_since: datetime.datetime | None = None,
            offset: int | None = None,
            limit: int | None = None,
        ) -> Any:
            seen.received = {"kind": kind, "born_after": born_after, "updated_since": updated_since}
            found = [a for a in ZOO if kind is None or a["kind"] == kind.value]
            found = [a for a in found if born_after is None or a["born"] > born_after.isoformat()]
            start, size = offset or 0, 2 if limit is None else limit
            return models.AnimalPage(items=found[start : start + size], total=len(found))

        async def list_kinds(self, *, sort: Any = None) -> list[Any]:
            return list(models.Kind)

        async def count_animals(self) -> dict[str, int]:
            return {kind.value: sum(a["kind"] == kind.value for a in ZOO) for kind in models.Kind}

        async def search_bills(self, *, body: Any) -> Any:
            found = [b for b in BILLS if body.status is None or b["status"] == body.status]
            start, size = body.offset or 0, body.limit or 3
            return {"bills": found[start : start + size], "total": len(found)}

        async def list_events(self, *, cursor: str | None = None) -> Any:
            start = int(cursor or 0)
            following = str(start + 3) if start + 3 < len(EVENTS) else None
            if seen.last.headers.get("X-Paging") == "cycle":  # the cursors go round: 3, 0, 3
                following = "0" if start else "3"
            return {"data": EVENTS[start : start + 3], "next_cursor": following}

        async def list_pets(self, *, page: int | None = None, per_page: int | None = None) -> Any:
            start = ((page or 1) - 1) * (per_page or 2)
            return ZOO[start : start + (per_page or 2)]

        async def list_numbers(
            self, *, page: int | None = None, page_size: int | None = None
        ) -> list[int]:
            if seen.last.headers.get("X-Paging") == "ignored":  # always the first page
                page = 1
            start = ((page or 1) - 1) * (page_size or 4)
            return list(range(10))[start : start + (page_size or 4)]

    app = server.create_app(Impl())

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        seen.requests.append(request)
        if request.url.path == "/bills/search":
            seen.bodies.append(await request.body())
        response: Response = await call_next(request)
        if request.url.path == "/pets":  # the next page, as GitHub does: a Link header
            page, size = int(request.query_params.get("page", 1)), 2
            if page * size < len(ZOO):
                following = request.url.include_query_params(page=page + 1, per_page=size)
                response.headers["Link"] = f'<{following}>; rel="next"'
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
        grant = form.get("grant_type")
        public = grant != "client_credentials" and pair == (CLIENT_ID, "")  # PKCE apps
        if pair != (CLIENT_ID, CLIENT_SECRET) and not public:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        answer: dict[str, Any] = {"token_type": "Bearer", "expires_in": seen.expires_in}
        if grant == "refresh_token":
            if form.get("refresh_token") not in seen.refresh_tokens:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            if seen.rotate:
                seen.refresh_tokens.discard(str(form["refresh_token"]))
                answer["refresh_token"] = f"r-{len(seen.token_requests)}"
        elif grant == "authorization_code":
            verifier = str(form.get("code_verifier", "")).encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if form.get("code") != "the-code" or digest.decode() != seen.challenge:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            answer["refresh_token"] = "r-0"
        elif grant != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if "refresh_token" in answer:
            seen.refresh_tokens.add(str(answer["refresh_token"]))
        answer["access_token"] = f"tok-{len(seen.token_requests)}"
        return JSONResponse(answer)

    async def discovery(request: Request) -> Response:
        return JSONResponse({"token_endpoint": str(request.base_url) + "oidc/token"})

    app.add_api_route("/oauth/token", token, methods=["POST"])
    app.add_api_route("/oidc/token", token, methods=["POST"])
    app.add_api_route("/.well-known/openid-configuration", discovery, methods=["GET"])
    return app
