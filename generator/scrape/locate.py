"""Detail pages whose header lost the method and URL: the operation their title names.

The title is looked up among the index entries of the run (entries that another detail page
already documents are skipped, and printed path parameters must be in the path), else among the
operations of the evidence. One match locates the page; none, or several, is a located error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.diagnostics import Diagnostics, Location
from generator.scrape.evidence import EvidenceOp
from generator.scrape.pagetypes import DetailPage, IndexPage
from generator.scrape.paths import match_key, path_params


@dataclass(frozen=True)
class _Candidate:
    method: str
    path: str
    prefix: str
    where: str  # `index.txt:12`, or the evidence file

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.where})"


def locate(
    details: list[DetailPage],
    indexes: list[IndexPage],
    evidence: Sequence[EvidenceOp],
    diagnostics: Diagnostics,
) -> list[DetailPage]:
    """The detail pages with every headless one located by its title, or left out with an error."""
    claimed = {match_key(d.method, d.path) for d in details if d.method}
    listed = [
        (
            entry.title,
            _Candidate(entry.method, entry.path, entry.prefix, f"{page.file}:{entry.line}"),
        )
        for page in indexes
        for group in page.groups
        for entry in group.entries
        if match_key(entry.method, entry.path) not in claimed
    ]
    known = [(ev.title, _Candidate(ev.method, ev.path, "", ev.file)) for ev in evidence]
    out = []
    for detail in details:
        if detail.method:
            out.append(detail)
            continue
        found = _named(detail, listed) or _named(detail, known)
        where = Location(detail.file, detail.line)
        if len(found) == 1:
            [c] = found
            diagnostics.info(
                "detail-located",
                f"the page prints no method and URL; its title names {c}",
                where,
            )
            out.append(replace(detail, method=c.method, path=c.path, prefix=c.prefix))
        else:
            _unlocated(detail, found, bool(evidence), where, diagnostics)
    return out


def _named(detail: DetailPage, candidates: list[tuple[str, _Candidate]]) -> list[_Candidate]:
    """Candidates with the page's title whose path holds every path parameter the page prints."""
    printed = {p.name for p in detail.params if p.location == "path"}
    found = {
        match_key(c.method, c.path): c
        for title, c in candidates
        if _folded(title) == _folded(detail.title) and printed <= set(path_params(c.path))
    }
    return list(found.values())


def _folded(title: str) -> str:
    return " ".join(title.casefold().split()).rstrip(".")


def _unlocated(
    detail: DetailPage,
    found: list[_Candidate],
    with_evidence: bool,
    where: Location,
    diagnostics: Diagnostics,
) -> None:
    if found:
        message = (
            f"the page prints no method and URL, and its title `{detail.title}` names "
            f"{len(found)} operations: {'; '.join(map(str, found))}; cannot tell which"
        )
    else:
        scope = "the index pages of the run" + (" or the evidence" if with_evidence else "")
        message = (
            f"the page prints no method and URL, and no operation titled `{detail.title}` is on "
            f"{scope}"
        )
    diagnostics.error(
        "detail-unlocated",
        message,
        where,
        hint="restore the method and URL lines under the title, add the index page that lists "
        "the operation, or pass an earlier version with --evidence",
    )
