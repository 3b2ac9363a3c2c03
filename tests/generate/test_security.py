"""Declared security schemes are checked by the generated server (uvicorn on 127.0.0.1): each
kind, alternatives, combinations, optional and open operations; 401/403 with documented bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.generate.conftest import Live

OPERATIONS = [
    "via_basic",
    "via_bearer",
    "via_header_key",
    "via_query_key",
    "via_cookie_key",
    "via_oauth",
    "via_oidc",
    "via_either",
    "via_both",
    "via_optional",
    "open",
    "via_global",
]


@pytest.fixture(scope="module")
def server(server_of: Callable[[str], Any]) -> Any:
    return server_of("security")


@pytest.fixture(scope="module")
def guarded(server: Any) -> Any:
    """An implementation accepting secrets that start with "good", refusing "forbidden" (403);
    OAuth tokens are granted every scope but "good-narrow" (none) and "good-plain" (returned
    without ``Granted``); every operation answers what ``caller()`` holds."""

    async def authenticate(self: Any, scheme: str, credentials: Any) -> str | None:
        secret = credentials.password if credentials.kind == "basic" else credentials.token
        if secret == "forbidden":
            raise server.HttpError(403, detail="not for you")
        if not secret.startswith("good"):
            return None
        who = ":".join([credentials.username or credentials.kind, secret, *credentials.scopes])
        if credentials.kind not in ("oauth2", "openidconnect") or secret == "good-plain":
            return who
        return server.Granted(who, () if secret == "good-narrow" else ("pets:read", "openid"))

    async def answer(self: Any) -> dict[str, str]:
        return dict(server.caller())

    methods = dict.fromkeys(OPERATIONS, answer) | {"authenticate": authenticate}
    return server.create_app(type("Guarded", (server.Api,), methods)())


BEARER = {"Authorization": "Bearer good-token"}


@pytest.mark.parametrize(
    ("path", "sent", "expected"),
    [
        ("/basic", {"auth": ("ann", "good-pw")}, {"basic": "ann:good-pw"}),
        ("/bearer", {"headers": BEARER}, {"bearer": "bearer:good-token"}),
        ("/header-key", {"headers": {"X-Api-Key": "good-k"}}, {"headerKey": "apikey:good-k"}),
        ("/query-key", {"params": {"api_key": "good-q"}}, {"queryKey": "apikey:good-q"}),
        ("/cookie-key", {"cookies": {"session": "good-c"}}, {"cookieKey": "apikey:good-c"}),
        ("/oauth", {"headers": BEARER}, {"oauth": "oauth2:good-token:pets:read"}),
        ("/oidc", {"headers": BEARER}, {"oidc": "openidconnect:good-token:openid"}),
        ("/either", {"auth": ("ann", "good-pw")}, {"basic": "ann:good-pw"}),
        ("/either", {"headers": {"X-Api-Key": "good-k"}}, {"headerKey": "apikey:good-k"}),
        (
            "/both",
            {"auth": ("ann", "good-pw"), "headers": {"X-Api-Key": "good-k"}},
            {"basic": "ann:good-pw", "headerKey": "apikey:good-k"},
        ),
        ("/optional", {}, {}),
        ("/optional", {"headers": BEARER}, {"bearer": "bearer:good-token"}),
        ("/public", {}, {}),
        ("/global", {"headers": BEARER}, {"bearer": "bearer:good-token"}),
    ],
)
def test_accepted_credentials_reach_the_operation(
    live: Live, guarded: Any, path: str, sent: dict[str, Any], expected: dict[str, str]
) -> None:
    live.app = guarded
    cookies = sent.pop("cookies", None)
    with httpx.Client(base_url=live.url, cookies=cookies) as client:
        answer = client.get(path, **sent)
    assert (answer.status_code, answer.json()) == (200, expected), answer.text


@pytest.mark.parametrize(
    ("path", "sent", "challenge", "detail"),
    [
        ("/basic", {}, "Basic", "credentials missing"),
        ("/basic", {"auth": ("ann", "wrong")}, "Basic", "credentials rejected"),
        (
            "/basic",
            {"headers": {"Authorization": "Basic !!not-base64"}},
            "Basic",
            "credentials rejected",
        ),
        ("/bearer", {"auth": ("ann", "good-pw")}, "Bearer", "credentials missing"),
        ("/header-key", {"params": {"X-Api-Key": "good-k"}}, "APIKey", "credentials missing"),
        ("/query-key", {"headers": {"api_key": "good-q"}}, "APIKey", "credentials missing"),
        (
            "/oauth",
            {"headers": {"Authorization": "Bearer expired"}},
            "Bearer",
            "credentials rejected",
        ),
        ("/either", {}, "Basic, APIKey", "credentials missing"),
        ("/both", {"auth": ("ann", "good-pw")}, "Basic, APIKey", "credentials rejected"),
        (
            "/optional",
            {"headers": {"Authorization": "Bearer expired"}},
            "Bearer",
            "credentials rejected",
        ),
        ("/global", {}, "Bearer", "credentials missing"),
    ],
)
def test_missing_or_rejected_credentials_answer_401_with_a_challenge(
    live: Live, guarded: Any, path: str, sent: dict[str, Any], challenge: str, detail: str
) -> None:
    live.app = guarded
    answer = httpx.get(f"{live.url}{path}", **sent)
    assert answer.status_code == 401, answer.text
    assert answer.headers["WWW-Authenticate"] == challenge
    body = answer.json()
    if path in ("/basic", "/global"):  # they document 401 / 4XX as Failure {status, message}
        assert body == {"status": 401, "message": detail}
    else:  # RFC 9457 problem details where the spec documents no error body
        assert body == {"title": "Unauthorized", "status": 401, "detail": detail}


def test_valid_credentials_that_are_not_enough_answer_403(live: Live, guarded: Any) -> None:
    live.app = guarded
    answer = httpx.get(f"{live.url}/basic", auth=("ann", "forbidden"))
    assert (answer.status_code, answer.json()) == (403, {"status": 403, "message": "not for you"})


def test_until_authenticate_is_overridden_credentials_answer_501(live: Live, server: Any) -> None:
    live.app = server.create_app(server.Api())
    assert httpx.get(f"{live.url}/bearer").status_code == 401
    answer = httpx.get(f"{live.url}/bearer", headers=BEARER)
    assert answer.status_code == 501
    assert answer.json()["detail"] == "operation authenticate is not implemented"
    assert httpx.get(f"{live.url}/public").status_code == 501  # the operation itself


@pytest.mark.parametrize(("path", "scope"), [("/oauth", "pets:read"), ("/oidc", "openid")])
@pytest.mark.parametrize("token", ["good-narrow", "good-plain"])
def test_a_token_without_the_required_scopes_answers_403_insufficient_scope(
    live: Live, guarded: Any, path: str, scope: str, token: str
) -> None:
    live.app = guarded
    answer = httpx.get(f"{live.url}{path}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403, answer.text
    challenge = f'Bearer error="insufficient_scope", scope="{scope}"'
    assert answer.headers["WWW-Authenticate"] == challenge
    detail = f"insufficient scope: needs {scope}"
    assert answer.json() == {"title": "Forbidden", "status": 403, "detail": detail}
