"""OAuth 2.0 refresh token and authorization code (PKCE) flows, against the fake token endpoint
of the generated Kiosk server over real HTTP on 127.0.0.1, sync and async."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from generate_helpers import call_client
from kiosk_service import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.usefixtures("on_path")
REDIRECT = "http://127.0.0.1/callback"


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest, kiosk: tuple[str, Any]) -> Any:
    import kiosk_client

    cls = getattr(kiosk_client, request.param)
    return lambda **options: cls(kiosk[0], **options)


def refreshing(token: str, **options: Any) -> Any:
    import kiosk_client

    return kiosk_client.RefreshToken(CLIENT_ID, token, client_secret=CLIENT_SECRET, **options)


def test_a_refresh_token_keeps_access_tokens_fresh_and_follows_rotation(
    make: Any, seen: Any
) -> None:
    seen.refresh_tokens.add("r-start")
    seen.rotate, seen.expires_in = True, 20  # within the refresh margin: every call refreshes
    rotated: list[str] = []
    provider = refreshing("r-start", on_rotate=rotated.append)
    assert call_client(make(oauth=provider), "whoami") == {"authorization": "Bearer tok-1"}
    assert call_client(make(oauth=provider), "whoami") == {"authorization": "Bearer tok-2"}
    assert [r["grant_type"] for r in seen.token_requests] == ["refresh_token"] * 2
    assert [r["refresh_token"] for r in seen.token_requests] == ["r-start", "r-1"]
    assert rotated == ["r-1", "r-2"] and "r-" not in repr(provider)


def test_a_rejected_refresh_token_raises_token_error_without_showing_it(
    make: Any, seen: Any
) -> None:
    import kiosk_client

    with pytest.raises(kiosk_client.TokenError, match="400 \\(invalid_grant\\)") as caught:
        call_client(make(oauth=refreshing("r-stolen")), "whoami")
    assert "r-stolen" not in str(caught.value) and isinstance(
        caught.value, kiosk_client.BaseApiError
    )


def test_the_authorization_url_carries_the_pkce_challenge_not_the_verifier() -> None:
    import kiosk_client

    pkce = kiosk_client.Pkce.new()
    url = kiosk_client.authorization_url(
        "https://login.example.test/authorize?tenant=t",
        CLIENT_ID,
        REDIRECT,
        scopes=["read", "write"],
        state="xyz",
        pkce=pkce,
    )
    params = httpx.URL(url).params
    assert dict(params) == {
        "tenant": "t",
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "read write",
        "state": "xyz",
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    assert pkce.verifier not in url and pkce.verifier not in repr(pkce)
    assert 43 <= len(pkce.verifier) <= 128


def test_an_authorization_code_becomes_a_refreshing_provider(
    kiosk: tuple[str, Any], seen: Any
) -> None:
    import kiosk_client

    pkce = kiosk_client.Pkce.new()
    seen.challenge = pkce.challenge
    token_url = f"{kiosk[0]}/oauth/token"
    provider = kiosk_client.exchange_code(
        token_url, client_id=CLIENT_ID, code="the-code", redirect_uri=REDIRECT, pkce=pkce
    )
    assert seen.token_requests == [
        {
            "grant_type": "authorization_code",
            "code": "the-code",
            "redirect_uri": REDIRECT,
            "code_verifier": pkce.verifier,
            "client_id": CLIENT_ID,  # a public client: no secret
        }
    ]
    with kiosk_client.Client(kiosk[0], oauth=provider) as client:
        assert client.whoami() == {"authorization": "Bearer tok-1"}  # the exchanged token
        provider.invalidate()
        assert client.whoami() == {"authorization": "Bearer tok-2"}
    assert seen.token_requests[1] == {
        "grant_type": "refresh_token",
        "refresh_token": "r-0",
        "client_id": CLIENT_ID,
    }
    with pytest.raises(kiosk_client.TokenError, match="invalid_grant"):
        kiosk_client.exchange_code(
            token_url, client_id=CLIENT_ID, code="the-code", redirect_uri=REDIRECT
        )  # no verifier


def test_an_authorization_code_exchanged_by_an_async_client(
    kiosk: tuple[str, Any], seen: Any
) -> None:
    import kiosk_client

    pkce = kiosk_client.Pkce.new()
    seen.challenge = pkce.challenge

    async def run() -> Any:
        async with httpx.AsyncClient() as http:
            provider = await kiosk_client.aexchange_code(
                f"{kiosk[0]}/oauth/token",
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                code="the-code",
                redirect_uri=REDIRECT,
                pkce=pkce,
                http_client=http,
            )
        async with kiosk_client.AsyncClient(kiosk[0], oauth=provider) as client:
            return await client.whoami()

    assert asyncio.run(run()) == {"authorization": "Bearer tok-1"}
    assert "client_id" not in seen.token_requests[0]  # a confidential client: basic auth


def test_threads_sharing_a_refresh_token_refresh_once(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    seen.refresh_tokens.add("r-start")
    seen.token_delay = 0.3
    provider = refreshing("r-start")
    results: list[Any] = []
    with kiosk_client.Client(kiosk[0], oauth=provider) as client:
        threads = [
            threading.Thread(target=lambda: results.append(client.whoami())) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert results == [{"authorization": "Bearer tok-1"}] * 4
    assert len(seen.token_requests) == 1


def test_on_rotate_may_call_back_into_the_provider() -> None:
    from generator.runtime._oauth import RefreshToken, TokenPlace

    def endpoint(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "a1", "refresh_token": "r2"})

    seen: list[str] = []

    def on_rotate(new: str) -> None:
        seen.append(new)
        provider.invalidate()  # took the provider's own lock again: a deadlock before

    provider = RefreshToken("id", refresh_token="r1", on_rotate=on_rotate)
    where = TokenPlace(token_url="https://auth.test/token")
    result: list[str] = []
    with httpx.Client(transport=httpx.MockTransport(endpoint)) as http:
        worker = threading.Thread(
            target=lambda: result.append(provider.token(http, where)), daemon=True
        )
        worker.start()
        worker.join(10)
    assert not worker.is_alive() and result == ["a1"] and seen == ["r2"]
