"""Where a detail page was cut short: inside a schema block, a property, a bullet or a JSON example.

Scrapes are often truncated. What was printed before the cut is parsed as usual; these checks only
say where the page stops in the middle of something, so the warning can name the line.
"""

from __future__ import annotations

import re

from generator.scrape.blocks import BULLETS, NAMED_PROP, REF_BULLET
from generator.scrape.facts import read_facts, strip_separator
from generator.scrape.source import Line

_DANGLING = re.compile(
    r"(?:(?:Maximum Length|Minimum Length|Minimum Value|Maximum Value|Allowed Values|"
    r"Default Value|Example|Pattern)\s*:\s*|\[[^\]]*)$"
)


def cut_in_block(heading: Line, name: str, lines: list[Line]) -> str | None:
    """Why the block open when the page ended looks cut, or None when it looks whole."""
    content = [line for line in lines if line.text not in ("Show Source", "-")]
    typed = [line for line in content if line.text.startswith("Type:")]
    if not typed:
        return f"inside block `{name}` (line {heading.no}), before its type"
    starts = [
        i
        for i, line in enumerate(content)
        if line not in typed
        and (line.text.startswith(tuple(BULLETS)) or NAMED_PROP.match(line.text))
    ]
    if not starts:
        kind = typed[0].text.removeprefix("Type:").strip() or (
            content[content.index(typed[0]) + 1].text if typed[0] != content[-1] else ""
        )
        if kind.startswith(("object", "array")):
            return f"inside block `{name}` (line {heading.no}), before its property list"
        return None
    item = content[starts[-1] :]
    text = " ".join(strip_separator(line.text) for line in item).strip()
    if _DANGLING.search(text):
        return f"in the middle of a property (line {item[0].no}) of block `{name}`"
    first = item[0].text
    if first.startswith(tuple(BULLETS)):
        rest = [first[1:].strip(), *(line.text for line in item[1:])]
        single = len(item) == 1 and REF_BULLET.match(rest[0])
        if not single and not NAMED_PROP.match(rest[0]) and not read_facts(rest).description:
            return f"in the middle of a bullet (line {item[0].no}) of block `{name}`"
    return None


def json_depth(text: str, depth: int) -> int:
    """The bracket depth of a JSON text after ``text`` (one line; strings never span lines)."""
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth
