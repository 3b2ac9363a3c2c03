"""Where the review page's decisions go in the overrides file, comments and all.

ruamel.yaml round-trips the file (comments, order and quoting kept), turns an empty or flow-style
``overrides:`` list into a block list, and marks the end of that list with a sentinel item; the
text before and after the sentinel is what the page (or ``--serve``) puts new entries between.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

_SENTINEL = "apibind-review-insert-here"


@dataclass(frozen=True)
class OverridesText:
    """The overrides file split where new entries go: ``head + entries + tail``."""

    original: str  # the file as read ("" when missing)
    head: str
    tail: str
    indent: int  # column of the list's dashes
    spans: dict[int, tuple[int, int]]  # line of an entry in the file -> its lines in ``head``


def split_overrides(text: str) -> OverridesText:
    """Split ``text`` (an overrides file, possibly empty) at the end of its ``overrides:`` list."""
    document, indent, offset = load_yaml_guess_indent(text) if text.strip() else (None, 2, 2)
    offset = 2 if offset is None else offset  # a file with no list yet: `  - ` as documented
    indent = offset + 2 if indent is None else indent  # of list items, dash included
    yaml = YAML()  # round-trip mode, indented as the file is
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=max(indent - offset, 2), sequence=indent, offset=offset)
    if document is None:
        document = CommentedMap()
    items = document.get("overrides")
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq(items or [])
        document["overrides"] = items
    items.fa.set_block_style()
    items.append(_SENTINEL)
    out = io.StringIO()
    yaml.dump(document, out)
    dumped = out.getvalue()
    marker = f"- {_SENTINEL}\n"
    at = dumped.index(marker)
    start = dumped.rfind("\n", 0, at) + 1
    head, tail = dumped[:start], dumped[at + len(marker) :]
    return OverridesText(text, head, tail, at - start, _spans(items, dumped))


def _spans(original: CommentedSeq, text: str) -> dict[int, tuple[int, int]]:
    """Where each entry of the file is in the dumped text: 0-based [start, end) line ranges.

    Keyed by the entry's 1-based line in the file, the line the overrides loader reports."""
    dumped = YAML().load(text)
    lines = text.splitlines()
    starts = [dumped["overrides"].lc.item(i)[0] for i in range(len(dumped["overrides"]))]
    for i in range(1, len(starts)):  # comment lines right above an entry go with it
        while starts[i] - 1 > starts[i - 1] and lines[starts[i] - 1].lstrip().startswith("#"):
            starts[i] -= 1
    return {
        original.lc.item(i)[0] + 1: (starts[i], starts[i + 1])
        for i in range(len(original) - 1)  # the last one is the sentinel
        if i in original.lc.data
    }
