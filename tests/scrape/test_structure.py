"""Schema trees rebuilt from flat block lists, and names recovered only from evidence."""

from __future__ import annotations

from scrape_helpers import HEAD, codes, page

from generator.scrape.names import label_name

ARRAY_AND_ITEMS = page(
    HEAD
    + """
    Root Schema : C1ActionBill
    Type: object
    Show Source
      • Action Code defines the state.
        Maximum Length: 4
      • bill
      • nextActions
    Nested Schema : bill
    Type: object
    Show Source
    Nested Schema : nextActions
    Type: array
    Show Source
    Nested Schema : items
    Type: object
    Show Source
      • Allowed Values: [ "C1CF", "C1RO" ]
        ACTION * `C1CF` - CancelFrozen, * `C1RO` - ReOpen
"""
)

LOST_WRAPPER = page(
    HEAD
    + """
    Root Schema : X1-Thing
    Type:
    Show Source
    object
    -
    appointmentSlots: object
    appointmentSlots
    -
    exception: object
    exception
    -
    status: string
    Maximum Length:
    12
    Status
    Nested Schema : exception
    Type:
    Show Source
    object
    -
    messageNumber: string
    Message Number
    Nested Schema : items
    Type:
    Show Source
    object
    -
    crewId: string
    Crew
"""
)


def _schema(result, name):  # type: ignore[no-untyped-def]
    return result.spec["components"]["schemas"][name]


def test_array_block_owns_the_items_block_after_it(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"a.txt": ARRAY_AND_ITEMS})
    schema = _schema(result, "C1ActionBill")
    assert list(schema["properties"]) == ["actionCode", "bill", "nextActions"]
    items = schema["properties"]["nextActions"]["items"]
    assert items["properties"]["action"]["enum"] == ["C1CF", "C1RO"]
    assert items["properties"]["action"]["x-enum-varnames"] == ["CANCEL_FROZEN", "RE_OPEN"]
    assert schema["properties"]["bill"]["x-apibind-name"]["source"] == "page"
    assert schema["properties"]["bill"]["x-apibind-incomplete"]


def test_orphan_items_block_is_the_lost_data_array_of_a_blockless_wrapper(parse_pages) -> None:  # type: ignore[no-untyped-def]
    schema = _schema(parse_pages({"a.txt": LOST_WRAPPER}), "X1Thing")
    slots = schema["properties"]["appointmentSlots"]
    data = slots["properties"]["_data"]
    assert data["type"] == "array"
    assert list(data["items"]["properties"]) == ["crewId"]
    assert data["x-apibind-structure"]["source"] == "convention"
    assert list(schema["properties"]["exception"]["properties"]) == ["messageNumber"]


def test_ambiguous_nesting_is_reported(parse_pages) -> None:  # type: ignore[no-untyped-def]
    ambiguous = page(
        HEAD
        + """
        Root Schema : schema
        Type: object
        Show Source
        Nested Schema : alpha
        Type: object
        Show Source
        Nested Schema : beta
        Type: object
        Show Source
        Nested Schema : _data
        Type: array
        Show Source
        Nested Schema : items
        Type: object
        Show Source
          • Maximum Length: 4
            Code
    """
    )
    result = parse_pages({"a.txt": ambiguous})
    assert "structure-ambiguous" in codes(result)
    props = result.spec["components"]["schemas"]["ActionBillResponse200"]["properties"]
    owner = next(name for name, p in props.items() if "properties" in p)
    assert props[owner]["properties"]["_data"]["items"]["properties"]["code"]["maxLength"] == 4


def test_label_rules() -> None:
    assert label_name("Accounting Date defines the financial period.") == (
        "accountingDate",
        0.7,
        "Accounting Date",
    )
    assert label_name("Allow Estimates is defined as true if ...")[0] == "allowEstimates"  # type: ignore[index]
    assert label_name("Credit Note date is the date ...")[0] == "creditNoteDate"  # type: ignore[index]
    assert label_name("Bill Segment Status: * `10 ` - Incomplete")[0] == "billSegmentStatus"  # type: ignore[index]
    assert label_name("Version") == ("version", 0.6, "Version")
    assert label_name("The long message description.") is None
    assert label_name("Name of the program that failed.") is None  # one title-case word, no verb


def test_a_label_that_breaks_alphabetical_order_becomes_a_placeholder(parse_pages) -> None:  # type: ignore[no-untyped-def]
    text = page(
        HEAD
        + """
        Root Schema : schema
        Type: object
        Show Source
          • Accounting Date defines the period.
          • Cutoff Date is the last day.
          • Billing Option defines how reads are found.
    """
    )
    result = parse_pages({"a.txt": text})
    props = result.spec["components"]["schemas"]["ActionBillResponse200"]["properties"]
    assert list(props) == ["accountingDate", "cutoffDate", "unnamedProperty3"]
    info = props["unnamedProperty3"]["x-apibind-name"]
    assert info["source"] == "placeholder" and info["confidence"] == 0
    assert "billingOption" in info["evidence"] and "alphabetical" in info["evidence"]


def test_shared_error_document_becomes_one_schema_and_shared_responses(parse_pages) -> None:  # type: ignore[no-untyped-def]
    error = """
        400 Response
        Bad Request
        Root Schema : problemDetailDocument
        Type: object
        Show Source
          • Maximum Length: 60
            The long message description.
    """
    first = page(
        HEAD
        + "    Root Schema : C1-A\n    Type: object\n    Show Source\n      • Maximum Length: 3\n        Code\n"
        + error
    )
    second = (
        first.replace("/lifecycle", "/other")
        .replace("C1-A", "C1-B")
        .replace("Maximum Length: 3", "Maximum Length: 5")
    )
    spec = parse_pages({"a.txt": first, "b.txt": second}).spec
    assert sorted(spec["components"]["schemas"]) == ["C1A", "C1B", "ProblemDetailDocument"]
    assert list(spec["components"]["responses"]) == ["BadRequest"]
    for item in spec["paths"].values():
        for op in item.values():
            assert op["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}


def test_a_named_page_settles_which_block_is_the_collection_wrapper(parse_pages) -> None:  # type: ignore[no-untyped-def]
    lost = page(
        HEAD
        + """
        Root Schema : schema
        Type: object
        Show Source
        Nested Schema : alpha
        Type: object
        Show Source
        Nested Schema : detail
        Type: object
        Show Source
        Nested Schema : _data
        Type: array
        Show Source
        Nested Schema : items
        Type: object
        Show Source
          • Maximum Length: 4
            Code
    """
    )
    alone = parse_pages({"a.txt": lost})
    assert "structure-ambiguous" in codes(alone)
    named = page("""
        Other
        get
        /rest/apis/other
        Response
        200 Response
        Success response
        Root Schema : Other
        Type:
        object
        -
        detail: object
        detail
        Nested Schema : items
        Type:
        object
        -
        code: string
        Code
    """)
    both = parse_pages({"a.txt": lost, "b.txt": named})
    assert "structure-ambiguous" not in codes(both)
    props = both.spec["components"]["schemas"]["ActionBillResponse200"]["properties"]
    assert "_data" in props["detail"]["properties"] and "properties" not in props["alpha"]
