"""A maintainer pins names, types and structures; stale pins are reported with their location."""

from __future__ import annotations

import pytest
from scrape_helpers import page

from generator.diagnostics import ApibindError

PAGE = page("""
    Action Bill
    patch
    https://server:port/spl/rest/apis/customer/financials/bills/{billId}/lifecycle
    Request
    Request Body - application/json ()
    Root Schema : schema
    Type: object
    Show Source
      • Accounting Date defines the period.
      • Cutoff Date is the last day.
      • Billing Option defines how reads are found.
        Example: false
    Response
    200 Response
    Success response
""")


def _props(result):  # type: ignore[no-untyped-def]
    return result.spec["components"]["schemas"]["ActionBillRequest"]["properties"]


def test_rename_set_and_remove(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages(
        {"a.txt": PAGE},
        overrides="""
        overrides:
          - operation: actionBill
            pointer: /requestBody/properties/unnamedProperty3
            rename: readOption
            set: {type: string, enum: ["false", "true"]}
          - operation: PATCH /rest/apis/customer/financials/bills/{billId}/lifecycle
            pointer: /requestBody/properties/cutoffDate
            remove: true
    """,
    )
    props = _props(result)
    assert list(props) == ["accountingDate", "readOption"]
    assert props["readOption"]["x-apibind-name"]["source"] == "override"
    assert props["readOption"]["type"] == "string" and props["readOption"]["enum"] == [
        "false",
        "true",
    ]
    assert len(result.report["overrides"]["applied"]) == 2


def test_schema_pins_a_whole_structure(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages(
        {"a.txt": PAGE},
        overrides="""
        overrides:
          - operation: actionBill
            pointer: /requestBody/properties/accountingDate
            schema: {type: string, format: date}
    """,
    )
    assert _props(result)["accountingDate"]["format"] == "date"


def test_an_override_that_matches_nothing_is_reported_with_its_line(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages(
        {"a.txt": PAGE},
        overrides="""
        overrides:
          - operation: actionBill
            pointer: /requestBody/properties/gone
            rename: x
    """,
    )
    (stale,) = [d for d in result.diagnostics if d.code == "override-unmatched"]
    assert (
        stale.location is not None
        and stale.location.file.endswith("overrides.yaml")
        and stale.location.line == 3
    )
    assert result.report["overrides"]["unmatched"][0]["pointer"] == "/requestBody/properties/gone"


def test_bad_overrides_file_is_an_error_with_a_location(parse_pages) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApibindError) as caught:
        parse_pages(
            {"a.txt": PAGE},
            overrides="""
            overrides:
              - operation: actionBill
                pointer: /requestBody
                rename: x
                colour: blue
        """,
        )
    (problem,) = caught.value.diagnostics
    assert (
        problem.code == "overrides-key"
        and "colour" in problem.message
        and problem.location.line == 3
    )  # type: ignore[union-attr]


def test_spec_section_adds_what_no_page_says(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages(
        {"a.txt": PAGE},
        overrides="""
        spec:
          info: {contact: {name: Billing team}}
          components:
            securitySchemes: {basic: {type: http, scheme: basic}}
          security: [{basic: []}]
    """,
    )
    spec = result.spec
    assert spec["components"]["securitySchemes"] == {"basic": {"type": "http", "scheme": "basic"}}
    assert spec["components"]["schemas"]  # merged key by key: the parsed schemas stay
    assert spec["security"] == [{"basic": []}]
    assert spec["info"]["contact"] == {"name": "Billing team"} and spec["info"]["title"]
    assert not result.diagnostics.errors


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("spec:\n  paths: {}", "cannot set paths"),
        ("spec:\n  info: {version: '2'}", "cannot set info.version"),
        ("spec: [1]", "takes a mapping"),
        ("overrides: []\nextras: 1", "unknown top-level key(s) extras"),
    ],
)
def test_spec_section_refuses_what_apibind_owns(parse_pages, section: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApibindError) as caught:
        parse_pages({"a.txt": PAGE}, overrides=section)
    (problem,) = caught.value.diagnostics
    assert message in problem.message and problem.location.line is not None  # type: ignore[union-attr]


def test_an_invalid_spec_section_points_at_itself(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"a.txt": PAGE}, overrides="spec:\n  security: basic\n")
    (problem,) = result.diagnostics.errors
    assert problem.code == "spec-invalid" and "`spec:` section" in (problem.hint or "")


def test_an_override_keyed_by_operation_id_follows_a_moved_path(parse_pages) -> None:  # type: ignore[no-untyped-def]
    """The next version moves the path; the operationId (from the title) still finds it."""
    moved = PAGE.replace("/bills/{billId}/lifecycle", "/billing/bills/{billId}/lifecycle")
    result = parse_pages(
        {"a.txt": moved},
        overrides="""
        overrides:
          - operation: actionBill
            pointer: /requestBody/properties/unnamedProperty3
            rename: readOption
          - operation: PATCH /rest/apis/customer/financials/bills/{billId}/lifecycle
            pointer: /requestBody/properties/cutoffDate
            remove: true
    """,
    )
    assert list(result.spec["paths"]) == [
        "/rest/apis/customer/financials/billing/bills/{billId}/lifecycle"
    ]
    assert list(_props(result)) == ["accountingDate", "cutoffDate", "readOption"]
    [stale] = [d for d in result.diagnostics if d.code == "override-unmatched"]
    assert "PATCH /rest/apis/customer/financials/bills/{billId}/lifecycle" in stale.message
    assert stale.location is not None and stale.location.line == 6
