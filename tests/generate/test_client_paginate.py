"""``client.paginate``: offset/limit in the query (inferred) and in the body (declared by the
top-level ``x-apibind-pagination`` the overrides' ``spec:`` section can set), page/page_size,
cursor and ``Link`` headers, against the generated Kiosk server on 127.0.0.1, sync and async."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from generator.generate import generate

pytestmark = pytest.mark.usefixtures("on_path")
SPEC = Path(__file__).parent / "specs" / "service.yaml"


def collect(client: Any, method: str, *, pages: bool = False, **arguments: Any) -> list[Any]:
    """Every item (or page) of ``client.paginate.method(...)``, sync or async."""
    if hasattr(client, "aclose"):

        async def run() -> list[Any]:
            async with client:
                walker = getattr(client.paginate, method)(**arguments)
                return [x async for x in (walker.pages() if pages else walker)]

        return asyncio.run(run())
    with client:
        walker = getattr(client.paginate, method)(**arguments)
        return list(walker.pages() if pages else walker)


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest, kiosk: tuple[str, Any]) -> Any:
    import kiosk_client

    return lambda **options: getattr(kiosk_client, request.param)(kiosk[0], **options)


def test_offset_and_limit_in_the_query_stop_at_the_total(make: Any, seen: Any) -> None:
    names = [a.name for a in collect(make(), "list_animals", limit=2)]
    assert names == ["Tom", "Rex", "Coo", "Kit", "Ace"]
    offsets = [r.query_params.get("offset") for r in seen.requests]
    assert offsets == [None, "2", "4"]  # the total (5) is reached: no empty page asked for
    cats = collect(make(), "list_animals", kind="cat", pages=True)
    assert [len(page.items) for page in cats] == [2] and cats[0].total == 2


def test_offset_and_limit_in_the_body(make: Any, seen: Any) -> None:
    bills = collect(make(), "search_bills", body={"status": "open", "limit": 3})
    assert [b.id for b in bills] == [1, 3, 5, 7]
    bodies = [json.loads(body) for body in seen.bodies]
    assert bodies == [{"status": "open", "limit": 3}, {"status": "open", "limit": 3, "offset": 3}]


def test_a_cursor_is_followed_until_there_is_none(make: Any, seen: Any) -> None:
    assert collect(make(), "list_events") == [f"event-{n}" for n in range(7)]
    assert [r.query_params.get("cursor") for r in seen.requests] == [None, "3", "6"]


def test_link_headers_are_followed(make: Any, seen: Any) -> None:
    pages = collect(make(), "list_pets", pages=True, per_page=2)
    assert [[a.name for a in page] for page in pages] == [["Tom", "Rex"], ["Coo", "Kit"], ["Ace"]]
    assert [r.query_params.get("page") for r in seen.requests] == [None, "2", "3"]


def test_page_numbers_stop_on_an_empty_page(make: Any, seen: Any) -> None:
    assert collect(make(), "list_numbers", page_size=4) == list(range(10))
    assert [r.query_params.get("page") for r in seen.requests] == [None, "2", "3", "4"]


def test_a_server_ignoring_the_page_number_raises_instead_of_looping(make: Any, seen: Any) -> None:
    import kiosk_client

    pages: list[Any] = []
    with pytest.raises(kiosk_client.PaginationLoopError, match="repeats the one before") as caught:
        pages.extend(collect(make(headers={"X-Paging": "ignored"}), "list_numbers", page_size=3))
    assert isinstance(caught.value, kiosk_client.BaseApiError)
    assert caught.value.response.request.url.params["page"] == "2" and len(seen.requests) == 2


def test_a_cursor_that_comes_again_raises(make: Any, seen: Any) -> None:
    import kiosk_client

    with pytest.raises(kiosk_client.PaginationLoopError, match="cursor '3' came before"):
        collect(make(headers={"X-Paging": "cycle"}), "list_events")
    assert [r.query_params.get("cursor") for r in seen.requests] == [None, "3", "0"]


def test_max_pages_bounds_an_iteration(make: Any, seen: Any) -> None:
    assert collect(make(max_pages=2), "list_numbers", page_size=3) == [0, 1, 2, 3, 4, 5]
    assert len(seen.requests) == 2
    ignoring = make(headers={"X-Paging": "ignored"}).with_options(max_pages=1)
    assert collect(ignoring, "list_numbers", page_size=3) == [0, 1, 2]  # stopped before looping


def test_with_options_keeps_lifts_or_checks_max_pages(kiosk: tuple[str, Any], seen: Any) -> None:
    import kiosk_client

    with kiosk_client.Client(kiosk[0], max_pages=1) as client:  # the copies share its connections
        kept = client.with_options(retries=0)
        assert list(kept.paginate.list_numbers(page_size=4)) == [0, 1, 2, 3]
        lifted = client.with_options(max_pages=None)
        assert list(lifted.paginate.list_numbers(page_size=4)) == list(range(10))
        with pytest.raises(ValueError, match="max_pages must be at least 1, got 0"):
            client.with_options(max_pages=0)
    assert len(seen.requests) == 1 + 4  # kept: one page; lifted: every page, the empty one too


def test_only_unambiguous_operations_are_paged() -> None:
    import kiosk_client

    paged = {name for name in vars(kiosk_client.client._ClientPages) if not name.startswith("_")}
    assert paged == {"list_animals", "search_bills", "list_events", "list_pets", "list_numbers"}


def test_a_broken_declaration_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = SPEC.read_text(encoding="utf-8").replace(
        "searchBills: {style: offset, in: body, items: bills, total: total}",
        "searchBills: {style: offset, in: body, items: invoices}",
    )
    spec.write_text(
        text.replace(
            "operationId: listEvents",
            "operationId: listEvents\n      x-apibind-pagination: {style: cursor}",
        ),
        encoding="utf-8",
    )
    generation = generate(spec, only=frozenset({"client"}))
    found = {(d.code, d.location.pointer) for d in generation.diagnostics}
    assert ("pagination-invalid", "/x-apibind-pagination/searchBills") in found
    assert ("pagination-invalid", "/paths/~1events/get/x-apibind-pagination") in found
