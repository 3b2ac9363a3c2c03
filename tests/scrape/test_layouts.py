"""Layouts of later scrapes: glued index fields, and detail pages that lost their method and URL."""

from __future__ import annotations

from pathlib import Path

from scrape_helpers import codes, page
from test_pages import NAMED

from generator.scrape import parse_sources

# Each entry's method glued to the next label, the path on the next line running into the next
# entry's title; a full URL, an absolute and a relative path.
GLUED_INDEX = page("""
    V-Model/Payments
    Payments record money received from customers.
    Get Payment
    - Method: getPath:
    https://server:port/spl/rest/apis/customer/v-model/payments/{paymentId} - Create Payment Action
    - Method: postPath:
    /rest/apis/customer/v-model/payments/{paymentId}/action - Cancel Payment
    - Method: patchPath:
    rest/apis/customer/v-model/payments/{paymentId}/cancel
    Financial Transactions/Bill
    Bills are produced for an account.
    Get Bill
    - Method: getPath:
    /rest/apis/customer/financials/bills/{billId}
""")

PAYMENTS = "/rest/apis/customer/v-model/payments/{paymentId}"

# NAMED without its method and URL lines: the title, blank lines, then the sections.
HEADLESS = NAMED.replace(
    "get\nhttps://server:port/spl/rest/apis/customer/financials/bills/{billId}\n", "\n\n"
)


def _operations(spec) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {
        op["operationId"]: (method, path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }


def test_glued_index_fields_split_into_entries(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": GLUED_INDEX})
    assert _operations(result.spec) == {
        "getPayment": ("get", PAYMENTS),
        "createPaymentAction": ("post", f"{PAYMENTS}/action"),
        "cancelPayment": ("patch", f"{PAYMENTS}/cancel"),
        "getBill": ("get", "/rest/apis/customer/financials/bills/{billId}"),
    }
    tags = {
        op["operationId"]: op["tags"]
        for item in result.spec["paths"].values()
        for op in item.values()
    }
    assert tags["cancelPayment"] == ["V-Model/Payments"]
    assert tags["getBill"] == ["Financial Transactions/Bill"]
    assert result.report["summary"]["unplaced_lines"] == 0
    assert not codes(result)


def test_an_entry_title_glued_to_the_path_line_keeps_that_line(parse_pages) -> None:  # type: ignore[no-untyped-def]
    sources = parse_pages({"index.txt": GLUED_INDEX}).spec["paths"][f"{PAYMENTS}/action"]["post"]
    assert sources["x-apibind-source"][0].endswith("index.txt:5")  # the line the title is on


def test_a_page_without_method_and_url_is_found_by_its_title_on_the_index(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": GLUED_INDEX, "bill.txt": HEADLESS})
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert op["description"] == "This operation retrieves a bill."
    props = result.spec["components"]["schemas"]["C1Bill"]["properties"]
    assert list(props) == ["billDate", "billStatus", "totalAmount"]
    [located] = [d for d in result.diagnostics if d.code == "detail-located"]
    assert "GET /rest/apis/customer/financials/bills/{billId}" in located.message
    assert "index.txt:12" in located.message


def test_a_page_without_method_and_url_is_found_by_its_title_in_the_evidence(
    tmp_path: Path,
) -> None:
    old = tmp_path / "v1"
    old.mkdir()
    (old / "bill.txt").write_text(NAMED, encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    (run / "bill.txt").write_text(HEADLESS, encoding="utf-8")
    result = parse_sources([run], evidence=[str(old)])
    assert list(result.spec["paths"]) == ["/rest/apis/customer/financials/bills/{billId}"]


def test_a_page_whose_title_names_no_operation_is_a_located_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    (tmp_path / "index.txt").write_text(GLUED_INDEX, encoding="utf-8")
    (tmp_path / "x.txt").write_text(HEADLESS.replace("Get Bill", "Get Invoice"), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(tmp_path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1
    [error] = [line for line in result.output.splitlines() if "[detail-unlocated]" in line]
    assert error.startswith(f"{tmp_path / 'x.txt'}:1: error: the page prints no method and URL")
    assert "no operation titled `Get Invoice` is on the index pages of the run" in error
    assert "[page-unknown]" not in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_a_title_that_names_two_operations_is_a_located_error(parse_pages) -> None:  # type: ignore[no-untyped-def]
    twice = GLUED_INDEX.replace("Cancel Payment", "Get Bill").replace("/cancel", "/bill/{billId}")
    result = parse_pages({"index.txt": twice, "bill.txt": HEADLESS})
    [error] = [d for d in result.diagnostics if d.code == "detail-unlocated"]
    assert error.level == "error" and error.location is not None and error.location.line == 1
    assert "names 2 operations" in error.message and "index.txt:7" in error.message
