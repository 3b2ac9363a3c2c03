"""Fuzz-found page defects, each as a small fixed input (issue 9)."""

from __future__ import annotations

from scrape_helpers import page


def _ids(spec: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(op["operationId"] for item in spec["paths"].values() for op in item.values())


def test_same_title_twice_in_one_category_gets_unique_ids(parse_pages) -> None:  # type: ignore[no-untyped-def]
    index = page("""
        All REST Endpoints
        Things/Foo
        Get Thing
        Method: get
        Path: /rest/apis/b
        Get Thing
        Method: get
        Path: /rest/apis/c
        Other/Foo
        Get Thing
        Method: post
        Path: /rest/apis/c
    """)
    result = parse_pages({"index.txt": index})
    assert not [d for d in result.diagnostics if d.level == "error"]
    assert _ids(result.spec) == [
        "getThingFooGetRestApisB",
        "getThingFooGetRestApisC",
        "getThingFooPostRestApisC",
    ]
