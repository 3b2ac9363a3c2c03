"""Pages cut short in the middle of a block, a bullet, a property or a JSON example."""

from __future__ import annotations

from scrape_helpers import page
from test_pages import BULLET, INDEX, NAMED

EXAMPLE = page("""
    Examples
    The following example shows how to retrieve a bill by submitting a GET request using cURL.
    curl -u username:password -X GET https://server:port/spl/rest/apis/customer/financials/bills/1
    Example of the Response Body
    {
      "billDate": "2021-10-05",
      "billStatus": "C ",
      "totalAmount": [1, {"nested": "} and ]"}]
    }
""")


def _cut(result):  # type: ignore[no-untyped-def]
    [warning] = [d for d in result.diagnostics if d.code == "page-truncated"]
    return warning


def _props(result) -> dict:  # type: ignore[no-untyped-def]
    return result.spec["components"]["schemas"]["C1Bill"]["properties"]


def _upto(text: str, marker: str) -> str:
    """The page cut right after the first ``marker``."""
    return text[: text.index(marker) + len(marker)] + "\n"


def test_a_page_cut_inside_a_block_before_its_properties(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = _upto(BULLET, "Root Schema : C1-Bill\nType: object\nShow Source")
    result = parse_pages({"a.txt": cut})
    warning = _cut(result)
    assert "inside block `C1-Bill` (line 12), before its property list" in warning.message
    assert warning.location is not None and warning.location.line == len(cut.splitlines())
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert "200" in op["responses"]


def test_a_page_cut_in_the_middle_of_a_bullet(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = _upto(BULLET, "• Minimum Value: -1000000000000")
    result = parse_pages({"a.txt": cut})
    line = len(cut.splitlines())
    assert f"in the middle of a bullet (line {line}) of block `C1-Bill`" in _cut(result).message
    assert list(_props(result))[:2] == ["billDate", "billStatus"]


def test_a_page_cut_inside_a_list_of_allowed_values_keeps_no_partial_enum(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = _upto(BULLET, '• Allowed Values: [ "C ",')
    result = parse_pages({"a.txt": cut})
    assert "in the middle of a property" in _cut(result).message
    last = list(_props(result).values())[-1]
    assert "enum" not in last and "Allowed" not in last.get("description", "")


def test_a_named_page_cut_after_a_constraint_label(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = _upto(NAMED, "totalAmount: number\nMinimum Value:")
    result = parse_pages({"a.txt": cut})
    line = len(cut.splitlines()) - 1
    assert f"in the middle of a property (line {line})" in _cut(result).message
    props = _props(result)
    assert list(props) == ["billDate", "billStatus", "totalAmount"]
    assert props["totalAmount"]["type"] == "number" and "minimum" not in props["totalAmount"]


def test_a_complete_json_example_is_read_past_without_warnings(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"a.txt": NAMED + EXAMPLE})
    assert "page-truncated" not in [d.code for d in result.diagnostics]
    assert result.report["summary"]["unplaced_lines"] == 0
    assert "Examples" not in _props(result)["totalAmount"].get("description", "")
    assert _props(result) == _props(parse_pages({"b.txt": NAMED}))


def test_a_page_cut_inside_a_json_example(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = _upto(NAMED + EXAMPLE, '"billStatus": "C ",')
    result = parse_pages({"a.txt": cut})
    start = cut.splitlines().index("{") + 1
    warning = _cut(result)
    assert f"in a JSON example (it starts at line {start})" in warning.message
    assert warning.location is not None and warning.location.line == len(cut.splitlines())
    assert list(_props(result)) == ["billDate", "billStatus", "totalAmount"]


def test_an_index_page_cut_inside_an_entry(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = INDEX + "Get Service Point\nMethod: get\n"
    result = parse_pages({"index.txt": cut})
    warning = _cut(result)
    assert "ends inside an index entry" in warning.message
    assert warning.location is not None and warning.location.line == len(cut.splitlines())
    assert sum(len(item) for item in result.spec["paths"].values()) == 4


def test_whole_pages_are_not_reported_as_cut(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": INDEX, "a.txt": NAMED, "b.txt": BULLET})
    assert "page-truncated" not in [d.code for d in result.diagnostics]
