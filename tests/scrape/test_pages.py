"""Detail and index pages in each layout, including the variations real scrapes show."""

from __future__ import annotations

from scrape_helpers import codes, page, schema_at

INDEX = page("""
    All REST Endpoints
    Financial Transactions/Bill
    Bills are produced for an account.
    Get Bill
    Method: get
    Path: /rest/apis/customer/financials/bills/{billId}
    Create Bill
    Path: /spl/rest/apis/customer/financials/bills/
    Method: post
    V-Model/Service Points/Customer Care and Billing
    Service points are a physical location.
    Create Service Point
    Method: post
    Path: /rest/apis/customer/v-model/servicePoints/
    V-Model/Service Points/Meter Data Management
    The operations from the V-Model/Service Points/Meter Data Management category.
    Create Service Point
    Method: post
    Path: /rest/apis/meter/v-model/servicePoints/
""")

NAMED = page("""
    Get Bill
    get
    https://server:port/spl/rest/apis/customer/financials/bills/{billId}
    This operation retrieves a bill.
    Request
    Path Parameters
    -
    billId(required): string
    Bill ID is the unique identifier of the bill.Example:
    211122345678
    There's no request body for this operation.
    Back to TopResponse
    Supported Media Types
    - application/xml
    - application/json
    200 Response
    Success response
    Root Schema : C1-Bill
    Type:
    Show Source
    object-
    billDate: string
    (date)
    Bill Date
    -
    billStatus: string
    Allowed Values:
    [ "C ", "P " ]Bill Status. * `C ` - Complete, * `P ` - PendingExample:C -
    totalAmount: number
    Minimum Value:
    -1000000000000Maximum Value:1000000000000Total Amount
""")

BULLET = page("""
    Get Bill
    get
    https://server:port/spl/rest/apis/customer/financials/bills/{billId}
    Request
    Path Parameters
    Supported Media Types
    Response
    Supported Media Types
    200 Response
    Success response
    Body ()
    Root Schema : C1-Bill
    Type: object
    Show Source
      • Bill Date is the date the bill was completed.
        Example: 2021-10-05
      • Allowed Values: [ "C ", "P " ]
        Bill Status. * `C ` - Complete, * `P ` - Pending
      • Minimum Value: -1000000000000
        Maximum Value: 1000000000000
        Total Amount
""")


# A detail page with query parameters.
SEARCH = page("""
    Search Accounts
    get
    /spl/rest/apis/customer/v-model/accounts
    Request
    Query Parameters
    -
    accountId(required): string
    Account ID.Example:
    1112345900
    -
    limit: number
    Maximum Value:
    100
    Page size
    There's no request body for this operation.
    Response
    200 Response
    Success response
""")


def test_index_categories_become_tags_with_groups_and_descriptions(parse_pages) -> None:  # type: ignore[no-untyped-def]
    spec = parse_pages({"index.txt": INDEX}).spec
    tags = {t["name"]: t for t in spec["tags"]}
    assert (
        tags["Financial Transactions/Bill"]["description"] == "Bills are produced for an account."
    )
    assert (
        tags["V-Model/Service Points/Customer Care and Billing"]["x-displayName"]
        == "Customer Care and Billing"
    )
    groups = {g["name"]: g["tags"] for g in spec["x-tagGroups"]}
    assert groups["V-Model"] == [
        "V-Model/Service Points/Customer Care and Billing",
        "V-Model/Service Points/Meter Data Management",
    ]


def test_operation_ids_disambiguate_shared_titles_by_category(parse_pages) -> None:  # type: ignore[no-untyped-def]
    spec = parse_pages({"index.txt": INDEX}).spec
    ids = sorted(op["operationId"] for item in spec["paths"].values() for op in item.values())
    assert ids == [
        "createBill",
        "createServicePointCustomerCareAndBilling",
        "createServicePointMeterDataManagement",
        "getBill",
    ]


def test_paths_are_normalized_to_rest_apis_and_method_path_order_is_free(parse_pages) -> None:  # type: ignore[no-untyped-def]
    spec = parse_pages({"index.txt": INDEX}).spec
    assert "/rest/apis/customer/financials/bills/" in spec["paths"]
    assert list(spec["paths"]["/rest/apis/customer/financials/bills/"]) == ["post"]
    param = spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]["parameters"][0]
    assert param == {"name": "billId", "in": "path", "required": True, "schema": {"type": "string"}}


def test_named_detail_page_joins_its_index_entry(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": INDEX, "detail.txt": NAMED})
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}"]["get"]
    assert op["operationId"] == "getBill"
    assert op["parameters"][0]["description"] == "Bill ID is the unique identifier of the bill."
    assert op["parameters"][0]["example"] == "211122345678"
    content = op["responses"]["200"]["content"]
    assert sorted(content) == ["application/json", "application/xml"]
    schema = schema_at(result.spec, content["application/json"]["schema"])
    assert list(schema["properties"]) == ["billDate", "billStatus", "totalAmount"]
    assert schema["properties"]["billDate"] == {
        "type": "string",
        "format": "date",
        "description": "Bill Date",
    }
    status = schema["properties"]["billStatus"]
    assert status["enum"] == ["C ", "P "]
    assert status["x-enum-varnames"] == ["COMPLETE", "PENDING"]
    assert (
        status["example"] == "C "
    )  # the scrape dropped the trailing space; the allowed value is exact
    assert schema["properties"]["totalAmount"]["minimum"] == -1000000000000
    assert "x-apibind-name" not in status  # printed names are not inferences
    assert content["application/json"]["schema"]["$ref"] == "#/components/schemas/C1Bill"


def test_bullet_layout_recovers_names_from_labels_with_evidence(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"index.txt": INDEX, "detail.txt": BULLET})
    schema = result.spec["components"]["schemas"]["C1Bill"]
    assert list(schema["properties"]) == ["billDate", "billStatus", "totalAmount"]
    bill_date = schema["properties"]["billDate"]
    assert bill_date["x-apibind-name"]["source"] == "label"
    assert "Bill Date" in bill_date["x-apibind-name"]["evidence"]
    assert bill_date["type"] == "string" and bill_date["format"] == "date"
    assert bill_date["x-apibind-type"]["source"] == "example"


def test_bullet_page_takes_names_and_types_from_a_named_page_of_the_same_schema(
    parse_pages,
) -> None:  # type: ignore[no-untyped-def]
    bullet = (
        BULLET.replace("Bill Date is the date the bill was completed.\n", "Bill Date\n")
        .replace("    Example: 2021-10-05\n", "")
        .replace("/bills/{billId}", "/bills/{billId}/copy")
    )
    result = parse_pages({"named.txt": NAMED, "bullet.txt": bullet})
    recovered = {
        r["name"]: r
        for p in result.report["pages"]
        for r in p["recovered_names"]
        if p["file"].endswith("bullet.txt")
    }
    assert recovered["billDate"]["source"] == "named-page"
    assert recovered["billDate"]["confidence"] >= 0.8
    assert "named.txt" in recovered["billDate"]["evidence"]
    assert len(result.spec["components"]["schemas"]) == 1  # the same structure: one component


def test_deep_html_indentation_and_tabs_parse_the_same(parse_pages) -> None:  # type: ignore[no-untyped-def]
    indented = "\n".join("\t        " + line for line in NAMED.splitlines()) + "\n"
    plain = parse_pages({"a.txt": NAMED}).spec["components"]
    assert parse_pages({"a.txt": indented}).spec["components"] == plain


def test_missing_header_lines_still_parse(parse_pages) -> None:  # type: ignore[no-untyped-def]
    stripped = NAMED.replace("Show Source\n", "").replace("Supported Media Types\n", "")
    schema = parse_pages({"a.txt": stripped}).spec["components"]["schemas"]["C1Bill"]
    assert list(schema["properties"]) == ["billDate", "billStatus", "totalAmount"]


def test_unindexed_detail_page_becomes_an_operation_with_a_warning(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages(
        {"index.txt": INDEX, "detail.txt": NAMED.replace("/bills/{billId}", "/bills/{billId}/x")}
    )
    assert "detail-unindexed" in codes(result)
    op = result.spec["paths"]["/rest/apis/customer/financials/bills/{billId}/x"]["get"]
    assert op["tags"] == ["Unindexed"]


def test_truncated_page_is_parsed_as_far_as_it_goes(parse_pages) -> None:  # type: ignore[no-untyped-def]
    cut = NAMED[: NAMED.index("Back to Top")]
    result = parse_pages({"a.txt": cut})
    assert "page-truncated" in codes(result)
    warning = next(d for d in result.diagnostics if d.code == "page-truncated")
    assert (
        warning.location is not None
        and warning.location.file.endswith("a.txt")
        and warning.location.line
    )
    assert result.spec["paths"]


def test_contradicting_example_is_reported_and_left_out(parse_pages) -> None:  # type: ignore[no-untyped-def]
    bad = NAMED.replace("Bill Date\n", "Bill Date\nExample:\nyesterday\n")
    result = parse_pages({"a.txt": bad.replace("(date)\n", "Maximum Length:\n4\n")})
    prop = result.spec["components"]["schemas"]["C1Bill"]["properties"]["billDate"]
    assert "example" not in prop
    warning = next(d for d in result.diagnostics if d.code == "example-contradicts")
    assert "maxLength 4" in warning.message and warning.location and warning.location.line


def test_parameter_name_with_a_space_yields_a_valid_spec(parse_pages) -> None:  # type: ignore[no-untyped-def]
    index = INDEX.replace("bills/{billId}\n", "bills/{bill id}\n")
    spec = parse_pages({"index.txt": index}).spec
    (path,) = [p for p in spec["paths"] if "bill" in p and p.endswith("}")]
    param = spec["paths"][path]["get"]["parameters"][0]
    assert param["name"] == "billId" and param["x-apibind-original-name"] == "bill id"
    assert path.endswith("{billId}")


def test_per_group_index_page_and_query_parameters(parse_pages) -> None:  # type: ignore[no-untyped-def]
    group_page = page("""
        V-Model/Account
        Accounts manage the financial relationship with an end customer.
        Search Accounts
        Method: get
        Path: /rest/apis/customer/v-model/accounts
    """)
    result = parse_pages({"group.txt": group_page, "detail.txt": SEARCH})
    op = result.spec["paths"]["/rest/apis/customer/v-model/accounts"]["get"]
    assert op["operationId"] == "searchAccounts" and op["tags"] == ["V-Model/Account"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["accountId"]["in"] == "query" and params["accountId"]["required"] is True
    assert params["limit"]["required"] is False
    assert params["limit"]["schema"] == {"type": "number", "maximum": 100}
    assert params["accountId"]["example"] == "1112345900"
    assert result.report["summary"]["unplaced_lines"] == 0


def test_other_bullet_characters_read_the_same(parse_pages) -> None:  # type: ignore[no-untyped-def]
    plain = parse_pages({"a.txt": BULLET}).spec["components"]
    assert parse_pages({"a.txt": BULLET.replace("\u2022", "\u25cf")}).spec["components"] == plain
