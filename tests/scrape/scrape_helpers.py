"""Helpers for parser tests."""

from __future__ import annotations

import textwrap
from typing import Any

from generator.scrape import ParseResult

# The first lines of a detail page with one 200 response, ready for its schema blocks.
HEAD = """
    Action Bill
    patch
    https://server:port/spl/rest/apis/customer/financials/bills/{billId}/lifecycle
    Request
    Supported Media Types
    Response
    200 Response
    Success response
"""


def page(text: str) -> str:
    """Dedent an inline page fragment."""
    return textwrap.dedent(text).strip("\n") + "\n"


def schema_at(spec: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    """Follow one local $ref."""
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    node: Any = spec
    for token in ref.removeprefix("#/").split("/"):
        node = node[token]
    return node


def codes(result: ParseResult) -> list[str]:
    return [d.code for d in result.diagnostics]
