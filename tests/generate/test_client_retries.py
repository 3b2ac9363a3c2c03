"""Retries, Retry-After, idempotency keys, event hooks and the log, against the generated Kiosk
server (``specs/service.yaml``) over real HTTP on 127.0.0.1, sync and async."""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from generate_helpers import call_client

pytestmark = pytest.mark.usefixtures("on_path")


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest, kiosk: tuple[str, Any]) -> Callable[..., Any]:
    import kiosk_client

    cls = getattr(kiosk_client, request.param)
    return lambda **options: cls(kiosk[0], **{"backoff": 0.0, **options})


def test_a_get_is_retried_on_503_and_honours_retry_after(make: Any, seen: Any) -> None:
    assert call_client(make(), "get_flaky", fail=2) == 3
    started = time.monotonic()
    seen.attempts.clear()
    slow = make(headers={"X-Retry-After": "1"})
    assert call_client(slow, "get_flaky", fail=1) == 2
    assert time.monotonic() - started >= 0.9


def test_retries_stop_after_the_count_and_only_retry_the_statuses_given(
    make: Any, seen: Any
) -> None:
    import kiosk_client

    with pytest.raises(kiosk_client.ServerError) as caught:
        call_client(make(retries=1), "get_flaky", fail=5)
    assert caught.value.status_code == 503 and seen.attempts["flaky"] == 2
    seen.attempts.clear()
    with pytest.raises(kiosk_client.ServerError):
        call_client(make(), "get_flaky", fail=1, status=500)  # 500 is not retried by default
    assert seen.attempts["flaky"] == 1
    seen.attempts.clear()
    assert call_client(make(retry_statuses=[500]), "get_flaky", fail=1, status=500) == 2


def test_a_post_without_a_key_is_never_retried(make: Any, seen: Any) -> None:
    import kiosk_client

    with pytest.raises(kiosk_client.ServerError):
        call_client(make(), "create_payment", fail=1, body={"item": "tea"})
    assert seen.attempts["payments"] == 1


def test_a_post_with_idempotency_header_is_retried_with_one_key(make: Any, seen: Any) -> None:
    paid = call_client(
        make(idempotency_header="Idempotency-Key"), "create_payment", fail=2, body={"item": "tea"}
    )
    keys = {r.headers["Idempotency-Key"] for r in seen.requests}
    assert paid.attempts == 3 and keys == {paid.key} and len(paid.key) == 36
    again = call_client(
        make(idempotency_header="Idempotency-Key"), "create_payment", body={"item": "tea"}
    )
    assert again.key != paid.key  # a new key for each call


def test_a_post_documenting_an_idempotency_key_is_retried_with_it(make: Any, seen: Any) -> None:
    order = call_client(make(), "create_order", fail=1, body={"item": "tea"})
    assert order.attempts == 2 and order.key and len(order.key) == 36
    seen.attempts.clear()
    mine = call_client(make(), "create_order", fail=1, idempotency_key="mine", body={"item": "tea"})
    assert mine.key == "mine" and mine.attempts == 2


def test_with_options_changes_the_retries_of_some_calls(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    with kiosk_client.Client(kiosk[0], backoff=0.0) as client:
        with pytest.raises(kiosk_client.ServerError):
            client.with_options(retries=0).get_flaky(fail=1)
        assert client.get_flaky(fail=2) == 3  # attempts 2 and 3
        keyed = client.with_options(idempotency_header="Idempotency-Key")
        assert keyed.create_payment(fail=1, body={"item": "x"}).attempts == 2


def test_event_hooks_see_every_attempt(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    statuses: list[int] = []
    hooks = {"response": [lambda response: statuses.append(response.status_code)]}
    with kiosk_client.Client(kiosk[0], backoff=0.0, event_hooks=hooks) as client:
        client.get_flaky(fail=1)
    assert statuses == [503, 200]

    async def record(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    async def run() -> None:
        hooks = {"response": [record]}
        async with kiosk_client.AsyncClient(kiosk[0], backoff=0.0, event_hooks=hooks) as client:
            await client.get_flaky(fail=3)

    asyncio.run(run())
    assert statuses == [503, 200, 503, 200]
    with pytest.raises(ValueError, match="event_hooks"):
        kiosk_client.Client(kiosk[0], event_hooks=hooks, http_client=httpx.Client())


def test_the_log_shows_requests_responses_and_retries(
    make: Any, seen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="kiosk_client"):
        call_client(make(bearer="secret-token"), "get_flaky", fail=1)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "kiosk_client"]
    assert [level for level, _ in lines] == ["DEBUG", "DEBUG", "INFO", "DEBUG", "DEBUG"]
    assert lines[0][1].startswith("request GET http://127.0.0.1:") and "(attempt 1)" in lines[0][1]
    assert "retrying GET" in lines[2][1] and "HTTP 503" in lines[2][1]
    assert "-> 200 in " in lines[4][1]


def waits(caplog: pytest.LogCaptureFixture) -> list[float]:
    found = (re.search(r"retrying .* in ([0-9.]+) s", r.getMessage()) for r in caplog.records)
    return [float(match[1]) for match in found if match]


def test_backoff_has_full_jitter_from_the_random_source_given(
    make: Any, seen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    expected = random.Random(7)
    no_retry_after = {"X-Retry-After": ""}
    with caplog.at_level(logging.INFO, logger="kiosk_client"):
        seeded = make(backoff=0.04, jitter=random.Random(7), headers=no_retry_after)
        assert call_client(seeded, "get_flaky", fail=2) == 3
        seen.attempts.clear()
        whole = make(backoff=0.04, jitter=False, headers=no_retry_after)
        assert call_client(whole, "get_flaky", fail=2) == 3
    jittered = [round(expected.uniform(0, 0.04), 3), round(expected.uniform(0, 0.08), 3)]
    assert waits(caplog) == [*jittered, 0.04, 0.08]


def test_the_retry_budget_stops_retries_to_a_failing_server(
    make: Any, seen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import kiosk_client

    caplog.set_level(logging.INFO, logger="kiosk_client")
    client = make(retries=3, retry_budget=kiosk_client.RetryBudget(ratio=0.5, reserve=1))
    sent: list[int] = []

    def count(before: int) -> None:
        sent.append(seen.attempts["flaky"] - before)

    if hasattr(client, "aclose"):

        async def run() -> None:
            async with client:
                for _ in range(3):
                    before = seen.attempts.get("flaky", 0)
                    with pytest.raises(kiosk_client.ServerError):
                        await client.get_flaky(fail=99)
                    count(before)

        asyncio.run(run())
    else:
        with client:
            for _ in range(3):
                before = seen.attempts.get("flaky", 0)
                with pytest.raises(kiosk_client.ServerError):
                    client.get_flaky(fail=99)
                count(before)
    assert sent == [2, 1, 2]  # a retry from the reserve; then half a retry per call
    assert "retry budget spent" in caplog.text
    seen.attempts.clear()
    with pytest.raises(kiosk_client.ServerError):
        call_client(make(retries=3, retry_budget=None), "get_flaky", fail=9)
    assert seen.attempts["flaky"] == 4
