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
from generator.scrape.tree import Inference, Node

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
    lent_params: dict[tuple[str, str], Inference] = field(default_factory=dict)  # (in, name)
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


def _match_details(
    by_key: dict[tuple[str, str], int], details: list[DetailPage], diagnostics: Diagnostics
) -> tuple[dict[int, DetailPage], list[DetailPage]]:
    """Each detail page's index entry; of two pages for one operation the fuller one wins."""
    matched: dict[int, DetailPage] = {}
    unindexed: dict[tuple[str, str], DetailPage] = {}
    for detail in details:
        key = match_key(detail.method, detail.path)
        found = by_key.get(key)
        if found is None and key in unindexed:
            unindexed[key] = _one_of_two(unindexed[key], detail, diagnostics)
        elif found is None:
            unindexed[key] = detail
            diagnostics.warning(
                "detail-unindexed",
                f"{detail.method.upper()} {detail.path} is not on any index page; added as an operation",
                Location(detail.file, detail.line),
            )
        elif found in matched:
            matched[found] = _one_of_two(matched[found], detail, diagnostics)
        else:
            matched[found] = detail
    return matched, list(unindexed.values())


def _fullness(detail: DetailPage) -> tuple[bool, int, int]:
    """How much a detail page documents: a response section, printed names, printed items."""
    blocks = [
        b
        for body in [*detail.request, *(r.body for r in detail.responses if r.body)]
        for b in body.blocks
    ]
    props = [p for b in blocks for p in b.props or []]
    named = sum(p.name is not None for p in props) + len(detail.params)
    return bool(detail.responses), named, len(props) + len(detail.params)


def _one_of_two(first: DetailPage, second: DetailPage, diagnostics: Diagnostics) -> DetailPage:
    """The detail page that documents more (README: "Two detail pages"); the first on a tie."""
    one, two = _fullness(first), _fullness(second)
    winner, loser = (second, first) if two > one else (first, second)
    won, lost = max(one, two), min(one, two)
    if won[0] != lost[0]:
        why = "it has a response section, the other was cut short"
    elif won[1] != lost[1]:
        why = f"it prints more names ({won[1]} against {lost[1]})"
    elif won[2] != lost[2]:
        why = f"it prints more properties ({won[2]} against {lost[2]})"
    else:
        why = "both document as much: the first in file order wins"
    diagnostics.warning(
        "detail-duplicate",
        f"two detail pages for {second.method.upper()} {second.path}: "
        f"{winner.file}:{winner.line} is used, {loser.file}:{loser.line} is ignored ({why})",
        Location(loser.file, loser.line),
        hint="remove one of the pages, or pass the other version with --evidence",
    )
    return winner


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
    matched, unindexed = _match_details(by_key, details, diagnostics)
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
