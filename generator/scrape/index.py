"""Parse an index page (all endpoints, or one group's): categories, descriptions, operations."""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostics
from generator.scrape.blocks import BULLETS
from generator.scrape.pagetypes import IndexEntry, IndexGroup, IndexPage
from generator.scrape.paths import split_url
from generator.scrape.source import Line, PageText

_METHOD = re.compile(r"^Method\s*:\s*(?P<value>[A-Za-z]+)\s*$")
_PATH = re.compile(r"^Path\s*:\s*(?P<value>\S.*?)\s*$")
_CATEGORY_SEGMENT = re.compile(r"^[A-Z0-9][\w&'(),.\- ]{0,80}$")
# A field line as scrapes glue it: `- Method: postPath:` (path on the next line), or a path that
# runs into the next entry's title (`Path: /rest/apis/x/{id}/action - Create Payment`).
_GLUED_METHOD = re.compile(
    r"^Method\s*:\s*(?P<method>get|post|put|patch|delete|head|options|trace)(?P<rest>.*)$",
    re.IGNORECASE,
)
_GLUED_PATH = re.compile(r"^Path\s*:\s*(?P<value>.*)$")
_URL_TOKEN = re.compile(r"^(?:[^\s{}]|\{[^{}]*\})+")  # no spaces outside {templates}
_LIST_MARK = "-" + BULLETS


def index_lines(page: PageText) -> list[Line]:
    """The page's lines with glued index fields split into `Method: x` / `Path: y` / title lines."""
    lines = list(page.lines)
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text
        if m := _GLUED_METHOD.match(text.lstrip(_LIST_MARK + " ")):
            out.append(Line(line.no, f"Method: {m.group('method').lower()}"))
            text = m.group("rest").strip()
        if m := _GLUED_PATH.match(text.lstrip(_LIST_MARK + " ")):
            value, at = m.group("value").strip(), line.no
            if not value and i + 1 < len(lines) and not _is_field(lines[i + 1].text):
                i += 1  # `Path:` with its value on the next line
                value, at = lines[i].text, lines[i].no
            out += _path_and_rest(value, at)
        elif text:
            out.append(Line(line.no, text))
        i += 1
    return out


def _is_field(text: str) -> bool:
    text = text.lstrip(_LIST_MARK + " ")
    return bool(_GLUED_METHOD.match(text) or _GLUED_PATH.match(text))


def _path_and_rest(value: str, line: int) -> list[Line]:
    """`/rest/apis/x - Create Payment` -> `Path: /rest/apis/x` and the next entry's title."""
    token = _URL_TOKEN.match(value)
    if token is None:
        return [Line(line, f"Path: {value}")]
    url = token.group(0)
    rest = value[token.end() :].strip().lstrip(_LIST_MARK).strip()
    if "/" in url and not url.startswith(("/", "http://", "https://")):
        url = "/" + url  # a relative path (`rest/apis/...`)
    return [Line(line, f"Path: {url}"), *([Line(line, rest)] if rest else [])]


def looks_like_index(page: PageText) -> bool:
    lines = index_lines(page)
    return any(_METHOD.match(line.text) for line in lines) and any(
        _PATH.match(line.text) for line in lines
    )


def is_category(text: str) -> bool:
    """`V-Model/Service Points/Customer to Meter`: short title-case segments, no sentence end."""
    segments = text.split("/")
    return (
        len(segments) >= 2
        and not text.endswith(".")
        and all(_CATEGORY_SEGMENT.match(s.strip()) and len(s.split()) <= 8 for s in segments)
    )


def _entry_fields(lines: list[Line], i: int) -> tuple[str, str, int] | None:
    """Method and path in the next two lines (either order); returns (method, path, count)."""
    found: dict[str, str] = {}
    for line in lines[i + 1 : i + 3]:
        if (m := _METHOD.match(line.text)) and "method" not in found:
            found["method"] = m.group("value").lower()
        elif (m := _PATH.match(line.text)) and "path" not in found:
            found["path"] = m.group("value")
        else:
            break
    if len(found) == 2:
        return found["method"], found["path"], 2
    return None


def parse_index(page: PageText, diagnostics: Diagnostics) -> tuple[IndexPage, set[int]]:
    lines = index_lines(page)
    used: set[int] = set()
    groups: list[IndexGroup] = []
    title = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        fields = _entry_fields(lines, i)
        if fields:
            method, raw_path, count = fields
            split = split_url(raw_path)
            if split is None:
                diagnostics.warning(
                    "index-bad-path", f"not a URL path: {raw_path!r}", page.at(lines[i + 1].no)
                )
            else:
                if not groups:
                    groups.append(IndexGroup(line.no, title or "Default", "", []))
                groups[-1].entries.append(
                    IndexEntry(line.no, line.text, method, split[1], split[0])
                )
                used.update(x.no for x in lines[i : i + 1 + count])
            i += 1 + count
            continue
        if is_category(line.text):
            groups.append(IndexGroup(line.no, line.text.strip(), "", []))
        elif groups and not groups[-1].entries:
            groups[-1].description = " ".join(filter(None, [groups[-1].description, line.text]))
        elif not groups and not title:
            title = line.text
        else:
            i += 1
            continue  # left unplaced: reported
        used.add(line.no)
        i += 1
    if lines and lines[-1].no not in used and _is_field(lines[-1].text):
        diagnostics.warning(
            "page-truncated",
            "the page ends inside an index entry (a method or path with no entry): it may have "
            "been cut short",
            page.at(lines[-1].no),
        )
    return IndexPage(page.file, title, [g for g in groups if g.entries]), used
