"""Join index entries and detail pages into operations, with stable, readable operationIds."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostics, Location
from generator.scrape.pagetypes import (
    DetailPage,
    IndexEntry,
    IndexGroup,
    IndexPage,
    Param,
    Response,
)
from generator.scrape.paths import match_key
from generator.scrape.tree import Node

UNINDEXED_TAG = "Unindexed"


@dataclass
class BodyTree:
    media_types: list[str]
    tree: Node
    line: int
    ambiguity: int = 1
    alternatives: list[Node] = field(default_factory=list)  # other equally plausible trees


@dataclass
class ResponseTree:
    response: Response
    media_types: list[str]
    tree: Node | None
    alternatives: list[Node] = field(default_factory=list)  # other equally plausible trees


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    title: str
    tag: str
    sources: list[Location]  # index entry and detail page
    description: str = ""
    detail: DetailPage | None = None
    params: list[Param] = field(default_factory=list)
    request: list[BodyTree] = field(default_factory=list)
    responses: list[ResponseTree] = field(default_factory=list)


def camel_words(text: str) -> str:
    """`Get Batch Job / Batch Run Details` -> `getBatchJobBatchRunDetails`."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    if not words:
        return "operation"
    head, *tail = words
    out = head.lower() + "".join(
        w[:1].upper() + (w[1:].lower() if w.isupper() else w[1:]) for w in tail
    )
    return out if not out[0].isdigit() else f"op{out}"


def assign_operation_ids(items: list[tuple[str, str, str, str]]) -> list[str]:
    """Ids from titles; on a clash add the category's last segment, then method + path.

    ``items``: (title, category, method, path). Only operations whose id clashes change, so
    adding a page never renames an operation that was unique before and stays unique. Ids that
    still clash after the path (the same path written two ways) get a counter.
    """
    ids = [camel_words(title) for title, _, _, _ in items]
    ids = _suffix_clashes(
        ids, [camel_words(category.rsplit("/", 1)[-1]) for _, category, _, _ in items]
    )
    ids = _suffix_clashes(ids, [camel_words(f"{method} {path}") for _, _, method, path in items])
    seen: set[str] = set()
    unique = []
    for op_id in ids:
        candidate, n = op_id, 1
        while candidate in seen:
            n += 1
            candidate = f"{op_id}{n}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _suffix_clashes(ids: list[str], suffixes: list[str]) -> list[str]:
    """Append each clashing id's own suffix (camel-cased); unique ids stay as they are."""
    counts = Counter(ids)
    return [
        op_id if counts[op_id] == 1 else op_id + suffix[:1].upper() + suffix[1:]
        for op_id, suffix in zip(ids, suffixes, strict=True)
    ]


def join(
    indexes: list[IndexPage], details: list[DetailPage], diagnostics: Diagnostics
) -> list[Operation]:
    """One Operation per index entry; a detail page joins its entry by method + normalized path."""
    entries: list[tuple[IndexPage, IndexGroup, IndexEntry]] = [
        (page, group, entry) for page in indexes for group in page.groups for entry in group.entries
    ]
    by_key: dict[tuple[str, str], int] = {}
    for n, (page, _, entry) in enumerate(entries):
        key = match_key(entry.method, entry.path)
        if key in by_key:
            diagnostics.warning(
                "index-duplicate",
                f"{entry.method.upper()} {entry.path} is listed twice; the first listing is used",
                Location(page.file, entry.line),
            )
            continue
        by_key[key] = n
    matched: dict[int, DetailPage] = {}
    unindexed: list[DetailPage] = []
    for detail in details:
        found = by_key.get(match_key(detail.method, detail.path))
        if found is None:
            unindexed.append(detail)
            diagnostics.warning(
                "detail-unindexed",
                f"{detail.method.upper()} {detail.path} is not on any index page; added as an operation",
                Location(detail.file, detail.line),
            )
        elif found in matched:
            diagnostics.warning(
                "detail-duplicate",
                f"a second detail page for {detail.method.upper()} {detail.path}; ignored",
                Location(detail.file, detail.line),
                hint=f"the first one is {matched[found].file}",
            )
        else:
            matched[found] = detail
    keep = sorted(by_key.values())
    items = [
        (entries[n][2].title, entries[n][1].category, entries[n][2].method, entries[n][2].path)
        for n in keep
    ]
    items += [(d.title, UNINDEXED_TAG, d.method, d.path) for d in unindexed]
    ids = assign_operation_ids(items)
    operations = []
    for op_id, n in zip(ids, keep, strict=False):
        page, group, entry = entries[n]
        joined = matched.get(n)
        sources = [Location(page.file, entry.line)] + (
            [Location(joined.file, joined.line)] if joined else []
        )
        operations.append(
            Operation(
                op_id, entry.method, entry.path, entry.title, group.category, sources, detail=joined
            )
        )
    for op_id, extra in zip(ids[len(keep) :], unindexed, strict=True):
        sources = [Location(extra.file, extra.line)]
        operations.append(
            Operation(
                op_id, extra.method, extra.path, extra.title, UNINDEXED_TAG, sources, detail=extra
            )
        )
    return operations
