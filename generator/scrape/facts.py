"""Read the facts printed about one property: constraints, enum codes and labels, example, text.

Scrapes glue things together (`254Bill Segment Information...`, `...PendingExample:C -`) or split
them over lines; the text of one property is joined and cut at the known markers.
"""

from __future__ import annotations

import re

from generator.scrape.pagetypes import Facts

_MARKER = re.compile(
    r"(Maximum Length|Minimum Length|Minimum Value|Maximum Value|Allowed Values|Default Value|"
    r"Example|Pattern)\s*:\s*"
)
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)")
_LIST = re.compile(r"\s*\[(.*?)\]", re.DOTALL)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LABEL_ITEM = re.compile(r"\*\s*`([^`]*)`\s*-\s*(.*?)(?=,\s*\*\s*`|$)", re.DOTALL)
_ANNOTATION = re.compile(r"^\((?P<text>[^()]+)\)$")
_FORMATS = {"date", "date-time", "time", "email", "uri", "uuid", "byte", "binary", "password"}
_SEPARATOR = re.compile(r"(?:^|\s)-$")  # the named layout's `-` bullet glued to line ends


def parse_number(text: str) -> int | float:
    """`9.999999999E9` -> 9999999999; integral values become ints."""
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


def strip_separator(text: str) -> str:
    """Drop the named layout's trailing ` -` property separator."""
    return _SEPARATOR.sub("", text).rstrip()


def split_annotations(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Leading `(date)`-style lines: known formats become the format, anything else a title."""
    fmt = title = None
    rest = list(lines)
    while rest and (m := _ANNOTATION.match(rest[0].strip())):
        text = m.group("text").strip()
        if text in _FORMATS and fmt is None:
            fmt = text
        elif title is None:
            title = text
        else:
            break
        rest.pop(0)
    return fmt, title, rest


def read_facts(lines: list[str]) -> Facts:
    """Parse the text lines of one property (name/type line already removed)."""
    fmt, title, rest = split_annotations(lines)
    facts = Facts(format=fmt, title=title)
    text = "\n".join(strip_separator(line) for line in rest).strip()
    parts = _MARKER.split(text)
    prose = [parts[0]]
    for marker, value in zip(parts[1::2], parts[2::2], strict=True):
        prose.append(_apply_marker(facts, marker, value))
    description = " ".join(" ".join(prose).split())
    facts.description, facts.enum_labels = split_labels(description)
    return facts


def _apply_marker(facts: Facts, marker: str, value: str) -> str:
    """Store one marker's value in ``facts``; return the text glued after it."""
    if marker == "Allowed Values":
        m = _LIST.match(value)
        if not m:  # a list cut short (`[ "C ", "P`) names no complete set of values: dropped
            return "" if value.lstrip().startswith("[") else value
        facts.enum = [_unescape(v) for v in _QUOTED.findall(m.group(1))]
        return value[m.end() :]
    if marker in ("Example", "Default Value", "Pattern"):
        cleaned = value.strip()
        setattr(
            facts,
            {"Example": "example", "Default Value": "default"}.get(marker, "pattern"),
            cleaned or None,
        )
        return ""
    m = _NUMBER.match(value)
    if not m:
        return value
    number = parse_number(m.group(1))
    if marker == "Maximum Length":
        facts.max_length = int(number)
    elif marker == "Minimum Length":
        facts.min_length = int(number)
    elif marker == "Minimum Value":
        facts.minimum = number
    else:
        facts.maximum = number
    return value[m.end() :]


def split_labels(description: str) -> tuple[str, dict[str, str]]:
    """`Bill Status. * \\`C \\` - Complete, * \\`P \\` - Pending` -> text and {code: label}."""
    start = description.find("* `")
    if start < 0:
        return description, {}
    labels = {
        code: " ".join(label.split()).rstrip(".,")
        for code, label in _LABEL_ITEM.findall(description[start:])
    }
    return description[:start].strip(), labels


def _unescape(value: str) -> str:
    return value.replace('\\"', '"').replace("\\\\", "\\")
