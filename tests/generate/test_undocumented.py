"""Operations whose spec documents no success (or, from the parser, no detail page at all)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("on_path")


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(200, json={"up": True}), {"up": True}),
        (httpx.Response(200, text="pong"), "pong"),
        (
            httpx.Response(200, content=b"\x00\x01", headers={"Content-Type": "image/png"}),
            b"\x00\x01",
        ),
        (httpx.Response(204), None),
    ],
)
def test_an_undocumented_success_returns_what_the_server_sent(
    response: httpx.Response, expected: Any
) -> None:
    import feature_zoo_client as zoo

    http = httpx.Client(transport=httpx.MockTransport(lambda request: response))
    assert zoo.Client("http://h", http_client=http).ping() == expected


def test_oracle_operations_without_a_detail_page_take_and_return_any_json() -> None:
    import oracle_utilities_client as client
    import oracle_utilities_server as server

    class Impl(server.Api):
        async def authenticate(self, scheme: str, credentials: Any) -> str:
            return credentials.username

        async def bill_segment_search(self, *, body: Any = None) -> Any:
            return {"received": body}

    async def run() -> Any:
        transport = httpx.ASGITransport(app=server.create_app(Impl()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            api = client.AsyncClient("http://t", http_client=http, basic_auth=("u", "p"))
            return await api.bill_segment_search(body={"billId": "1234"})

    assert asyncio.run(run()) == {"received": {"billId": "1234"}}


def test_undocumented_gets_take_no_body() -> None:
    import inspect

    import oracle_utilities_client as client

    assert "body" not in inspect.signature(client.Client.get_bill_segment).parameters
    assert "body" in inspect.signature(client.Client.bill_segment_search).parameters
