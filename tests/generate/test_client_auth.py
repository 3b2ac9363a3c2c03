"""Every security scheme kind and OAuth 2.0 client credentials, against the generated Kiosk server
(``specs/service.yaml``) and a fake token endpoint over real HTTP on 127.0.0.1, sync and async."""

from __future__ import annotations

import asyncio
import base64
import logging
import threading
from typing import Any

import pytest
from generate_helpers import call_client
from kiosk_service import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.usefixtures("on_path")


def whoami(client: Any) -> Any:
    return call_client(client, "whoami")


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest, kiosk: tuple[str, Any]) -> Any:
    import kiosk_client

    cls = getattr(kiosk_client, request.param)
    return lambda **options: cls(kiosk[0], **options)


def credentials(**options: Any) -> Any:
    import kiosk_client

    return kiosk_client.ClientCredentials(CLIENT_ID, CLIENT_SECRET, **options)


def test_every_scheme_kind_goes_where_the_spec_says(make: Any, seen: Any) -> None:
    basic = "Basic " + base64.b64encode(b"me:pw").decode()
    assert whoami(make(basic=("me", "pw"))) == {"authorization": basic}
    assert whoami(make(bearer="b-tok")) == {"authorization": "Bearer b-tok"}
    whoami(make(header_key="h-key"))
    assert seen.last.headers["X-Api-Key"] == "h-key"
    whoami(make(query_key="q-key"))
    assert seen.last.query_params["api_key"] == "q-key"
    whoami(make(cookie_key="c-key"))
    assert seen.last.cookies["session"] == "c-key"
    assert whoami(make(oauth="o-tok")) == {"authorization": "Bearer o-tok"}
    assert whoami(make(oidc="id-tok")) == {"authorization": "Bearer id-tok"}
    assert not seen.token_requests


def test_client_credentials_use_the_spec_token_url_and_cache_the_token(
    make: Any, seen: Any
) -> None:
    provider = credentials()
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-1"}
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-1"}
    assert seen.token_requests == [{"grant_type": "client_credentials"}]  # secret in basic auth
    assert [r.url.path for r in seen.requests].count("/oauth/token") == 1


def test_a_token_is_refreshed_before_it_expires(make: Any, seen: Any) -> None:
    seen.expires_in = 20  # within the 30 s refresh margin: never reused
    provider = credentials(scopes=["read", "write"], send_secret_in="body")
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-1"}
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-2"}
    assert seen.token_requests[0] == {
        "grant_type": "client_credentials",
        "scope": "read write",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }


def test_a_rejected_token_is_fetched_again_once(make: Any, seen: Any) -> None:
    provider = credentials()
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-1"}
    seen.revoked.add("tok-1")
    assert whoami(make(oauth=provider)) == {"authorization": "Bearer tok-2"}


def test_the_token_url_can_be_overridden_and_openid_connect_discovers_it(
    make: Any, seen: Any, kiosk: tuple[str, Any]
) -> None:
    whoami(make(oauth=credentials(token_url=f"{kiosk[0]}/oidc/token")))
    whoami(make(oidc=credentials()))
    paths = [r.url.path for r in seen.requests]
    assert paths == [
        "/oidc/token",
        "/whoami",
        "/.well-known/openid-configuration",
        "/oidc/token",
        "/whoami",
    ]


def test_a_refused_token_request_raises_token_error_without_the_secret(make: Any) -> None:
    import kiosk_client

    wrong = kiosk_client.ClientCredentials(CLIENT_ID, "wrong-secret")
    with pytest.raises(kiosk_client.TokenError, match="401 \\(invalid_client\\)") as caught:
        whoami(make(oauth=wrong))
    assert isinstance(caught.value, kiosk_client.BaseApiError)
    assert "wrong-secret" not in str(caught.value) and "wrong-secret" not in repr(wrong)


def test_threads_sharing_a_provider_fetch_one_token(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    seen.token_delay = 0.3
    provider = credentials()
    results: list[Any] = []
    with kiosk_client.Client(kiosk[0], oauth=provider) as client:
        threads = [
            threading.Thread(target=lambda: results.append(client.whoami())) for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert results == [{"authorization": "Bearer tok-1"}] * 6
    assert len(seen.token_requests) == 1


def test_tasks_sharing_a_provider_fetch_one_token(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    seen.token_delay = 0.3
    provider = credentials()

    async def run() -> list[Any]:
        async with kiosk_client.AsyncClient(kiosk[0], oauth=provider) as client:
            return list(await asyncio.gather(*(client.whoami() for _ in range(6))))

    assert asyncio.run(run()) == [{"authorization": "Bearer tok-1"}] * 6
    assert len(seen.token_requests) == 1


def test_with_auth_overrides_credentials_for_some_calls(make: Any, seen: Any) -> None:
    client = make(bearer="client-token")
    other = client.with_auth(bearer="call-token")
    if hasattr(client, "aclose"):

        async def run() -> list[Any]:
            async with client:
                return [await other.whoami(), await client.whoami()]

        answers = asyncio.run(run())
    else:
        with client:
            answers = [other.whoami(), client.whoami()]
    assert answers == [
        {"authorization": "Bearer call-token"},
        {"authorization": "Bearer client-token"},
    ]


def test_only_the_first_satisfied_requirement_is_sent(make: Any, seen: Any) -> None:
    every = {"basic": ("me", "pw"), "bearer": "b-tok", "header_key": "h-key", "query_key": "q"}
    basic = "Basic " + base64.b64encode(b"me:pw").decode()
    assert call_client(make(**every), "whoami_pair") == {
        "x-api-key": "h-key",
        "authorization": "Bearer b-tok",
    }
    assert call_client(make(bearer="b-tok", basic=("me", "pw")), "whoami_pair") == {
        "authorization": basic
    }  # the pair is not complete: the next requirement
    assert whoami(make(**every)) == {"authorization": basic}
    assert "api_key" not in seen.last.query_params and "X-Api-Key" not in seen.last.headers


def test_no_satisfied_requirement_raises_before_sending(make: Any, seen: Any) -> None:
    import kiosk_client

    with pytest.raises(
        kiosk_client.MissingCredentialsError, match="header_key and bearer or basic"
    ):
        call_client(make(bearer="b-tok"), "whoami_pair")
    with pytest.raises(kiosk_client.BaseApiError, match="GET /whoami needs credentials: basic or"):
        whoami(make())
    assert not seen.requests


def test_optional_credentials_send_the_first_satisfied_else_none(make: Any, seen: Any) -> None:
    assert call_client(make(), "whoami_maybe") == {}
    assert call_client(make(bearer="b-tok", basic=("me", "pw")), "whoami_maybe") == {
        "authorization": "Bearer b-tok"
    }


def test_with_auth_credentials_count_when_choosing_a_requirement(make: Any, seen: Any) -> None:
    client = make(bearer="b-tok").with_auth(header_key="h-key")
    assert call_client(client, "whoami_pair") == {
        "x-api-key": "h-key",
        "authorization": "Bearer b-tok",
    }


def test_secrets_are_never_logged_nor_shown(
    make: Any, seen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="kiosk_client"):
        for secret in ({"oauth": credentials()}, {"header_key": "h-key"}, {"query_key": "q-key"}):
            whoami(make(**secret))
        whoami(make(cookie_key="c"))
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "/whoami" in text and "[redacted]" in text
    for secret in (CLIENT_SECRET, "tok-1", "h-key", "q-key", "session=c"):
        assert secret not in text
    client = make(bearer="b-secret")
    assert "b-secret" not in repr(client._credentials)
