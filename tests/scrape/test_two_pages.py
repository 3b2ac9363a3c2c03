"""Two detail pages for one operation: a warning naming both, and the fuller page wins."""

from __future__ import annotations

from scrape_helpers import codes
from test_pages import BULLET, INDEX, NAMED


def _duplicate(result):  # type: ignore[no-untyped-def]
    [warning] = [d for d in result.diagnostics if d.code == "detail-duplicate"]
    return warning


def _names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return list(result.spec["components"]["schemas"]["C1Bill"]["properties"])


def test_the_page_that_prints_the_names_wins_whatever_the_file_order(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"a.txt": BULLET, "b.txt": NAMED})
    assert _names(result) == ["billDate", "billStatus", "totalAmount"]
    warning = _duplicate(result)
    assert "a.txt:1 is ignored" in warning.message and "b.txt:1 is used" in warning.message
    assert "more names" in warning.message
    assert warning.location is not None and warning.location.file.endswith("a.txt")
    assert len(result.spec["paths"]) == 1


def test_a_page_cut_before_its_responses_loses_to_a_complete_one(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = NAMED[: NAMED.index("Back to Top")]
    result = parse_pages({"a.txt": cut, "b.txt": BULLET})
    assert "b.txt:1 is used" in _duplicate(result).message
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert "200" in op["responses"]


def test_two_pages_documenting_as_much_keep_the_first_in_file_order(parse_pages) -> None:  # type: ignore[no-untyped-def]
    second = NAMED.replace("This operation retrieves a bill.", "Retrieves a bill.")
    result = parse_pages({"a.txt": NAMED, "b.txt": second})
    warning = _duplicate(result)
    assert "a.txt:1 is used" in warning.message and "b.txt:1 is ignored" in warning.message
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert op["description"] == "This operation retrieves a bill."


def test_the_winner_joins_its_index_entry_and_the_loser_is_no_source(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": INDEX, "a.txt": BULLET, "b.txt": NAMED})
    assert "detail-unindexed" not in codes(result)
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert op["operationId"] == "getBill"
    assert [s.rsplit("/", 1)[-1] for s in op["x-apibind-source"]] == ["index.txt:4", "b.txt:1"]
