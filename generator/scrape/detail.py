"""Parse an operation detail page into a DetailPage (either layout)."""

from __future__ import annotations

import re
from collections import Counter

from generator.diagnostics import Diagnostics
from generator.scrape.blocks import CHROME, parse_block, parse_params
from generator.scrape.pagetypes import Body, DetailPage, Layout, Response
from generator.scrape.paths import split_url
from generator.scrape.source import Line, PageText
from generator.scrape.truncation import cut_in_block, json_depth

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_SCHEMA = re.compile(r"^(?P<kind>Root|Nested) Schema\s*:\s*(?P<name>\S.*)$")
_STATUS = re.compile(r"^(?P<status>\d{3}|Default) Response$", re.IGNORECASE)
_PARAMS = re.compile(r"^(?P<loc>Path|Query|Header|Cookie) Parameters$")
_MEDIA = re.compile(r"^(?:-\s*)?(?P<type>(?:application|text|multipart)/[\w.+\-]+)$")
_REQUEST_BODY = re.compile(r"^Request Body\s*-\s*(?P<type>[\w.+\-]+/[\w.+\-]+)")
_BODY = re.compile(r"^Body\s*\(.*\)$")
_BACK_TO_TOP = "Back to Top"
_EXAMPLES = "Examples"  # the last section: cURL commands, prose and JSON texts
EXPLAINED = (
    re.compile(r"^There (?:are|is) no request parameters"),
    re.compile(r"^There'?s no request body|^There is no request body"),
    re.compile(r"^Supported Media Types$"),
)


def looks_like_detail(page: PageText) -> bool:
    head = [line.text for line in page.lines[:6]]
    return any(
        text.lower() in METHODS and i + 1 < len(head) and split_url(head[i + 1]) is not None
        for i, text in enumerate(head)
    )


def looks_like_headless(page: PageText) -> bool:
    """A detail page whose header lost the method and URL: a title, then the sections."""
    head = [line.text for line in page.lines[1:8]]
    sections = any(
        text in ("Request", "Response")
        or _PARAMS.match(text)
        or _REQUEST_BODY.match(text)
        or any(p.match(text) for p in EXPLAINED[:2])
        for text in head
    )
    return sections and any(
        _STATUS.match(line.text) or _SCHEMA.match(line.text) for line in page.lines
    )


def _unglue(lines: tuple[Line, ...]) -> list[Line]:
    """`Back to TopResponse` -> `Back to Top`, `Response` (same line number)."""
    out: list[Line] = []
    for line in lines:
        if line.text.startswith(_BACK_TO_TOP) and line.text != _BACK_TO_TOP:
            out += [
                Line(line.no, _BACK_TO_TOP),
                Line(line.no, line.text[len(_BACK_TO_TOP) :].strip()),
            ]
        else:
            out.append(line)
    return out


class _DetailParser:
    def __init__(self, page: PageText, diagnostics: Diagnostics) -> None:
        self.page = page
        self.diagnostics = diagnostics
        self.used: set[int] = set()
        self.section = "head"
        self.media: list[str] = []
        self.request: list[Body] = []
        self.responses: list[Response] = []
        self.params: dict[str, list[Line]] = {}
        self.param_loc: str | None = None
        self.block: tuple[Line, str, bool, list[Line]] | None = None
        self.body: Body | None = None
        self.response: Response | None = None
        self.json: tuple[int, int] | None = None  # an open JSON example: (first line, depth)
        self.cut: str | None = None  # where the page ends in the middle of something

    def parse(self) -> DetailPage:
        lines = _unglue(self.page.lines)
        title, method, url, start = self._header(lines)
        description: list[str] = []
        for line in lines[start:]:
            if self.section == "head" and not self._is_heading(line):
                description.append(line.text)
                self.used.add(line.no)
                continue
            self._line(line)
        self.cut = self._cut()
        self._close_block()
        prefix, path = (split_url(url.text) if url is not None else None) or ("", "")
        params = [p for loc, ls in self.params.items() for p in parse_params(loc, ls, self.used)]
        layouts = Counter(
            b.layout for body in self._bodies() for b in body.blocks if b.layout is not Layout.NONE
        )
        return DetailPage(
            file=self.page.file,
            line=title.no,
            title=title.text,
            method=method.text.lower() if method is not None else "",
            url=url.text if url is not None else "",
            path=path,
            prefix=prefix,
            description=" ".join(description),
            layout=layouts.most_common(1)[0][0] if layouts else Layout.NONE,
            params=params,
            param_sections=list(self.params),
            request=self.request,
            responses=self.responses,
        )

    def _bodies(self) -> list[Body]:
        return self.request + [r.body for r in self.responses if r.body]

    def _header(self, lines: list[Line]) -> tuple[Line, Line | None, Line | None, int]:
        """Title, method and URL lines; a page that lost the last two has only its title."""
        for i, line in enumerate(lines[:6]):
            if line.text.lower() in METHODS and i + 1 < len(lines) and split_url(lines[i + 1].text):
                title = lines[0] if i > 0 else Line(line.no, "")
                self.used.update({title.no, line.no, lines[i + 1].no})
                return title, line, lines[i + 1], i + 2
        self.used.add(lines[0].no)
        return lines[0], None, None, 1

    def _is_heading(self, line: Line) -> bool:
        text = line.text
        return text in ("Request", "Response", _EXAMPLES) or bool(
            _SCHEMA.match(text)
            or _STATUS.match(text)
            or _PARAMS.match(text)
            or _REQUEST_BODY.match(text)
        )

    def _line(self, line: Line) -> None:
        text = line.text
        if self.section == "examples" or text == _EXAMPLES:
            self._example(line)
        elif text in ("Request", "Response") or text == _BACK_TO_TOP:
            self._close_block()
            if text != _BACK_TO_TOP:
                self.section, self.media, self.param_loc, self.response = (
                    text.lower(),
                    [],
                    None,
                    None,
                )
            self.used.add(line.no)
        elif m := _PARAMS.match(text):
            self._close_block()
            self.param_loc = m.group("loc").lower()
            self.params.setdefault(self.param_loc, [])
            self.used.add(line.no)
        elif m := _STATUS.match(text):
            self._close_block()
            self.section, self.param_loc = "response", None
            status = m.group("status").lower()
            self.response = Response(
                line.no, "default" if status == "default" else status, "", list(self.media), None
            )
            self.responses.append(self.response)
            self.used.add(line.no)
        elif m := _REQUEST_BODY.match(text):
            self._close_block()
            self.section, self.param_loc, self.media = "request", None, [m.group("type")]
            self.used.add(line.no)
        elif m := _SCHEMA.match(text):
            self._schema(line, m)
        elif self.block is not None:
            self.block[3].append(line)
        elif any(p.match(text) for p in EXPLAINED):
            self.param_loc = None
            self.used.add(line.no)
        elif (m := _MEDIA.match(text)) and (text.startswith("-") or not self.media):
            self.media.append(m.group("type"))
            if self.response and not self.response.body:
                self.response.media_types.append(m.group("type"))
            self.used.add(line.no)
        elif self.param_loc is not None:
            self.params[self.param_loc].append(line)
        elif _BODY.match(text) or text in CHROME:
            self.used.add(line.no)
        elif self.response is not None and self.response.body is None:
            self.response.description = " ".join(filter(None, [self.response.description, text]))
            self.used.add(line.no)

    def _example(self, line: Line) -> None:
        """A line of the examples section: explained, not parsed; JSON texts are followed."""
        if self.section != "examples":
            self._close_block()
            self.section, self.param_loc = "examples", None
        self.used.add(line.no)
        if self.json is None and line.text.startswith(("{", "[")):
            self.json = (line.no, 0)
        if self.json is not None:
            start, depth = self.json[0], json_depth(line.text, self.json[1])
            self.json = (start, depth) if depth > 0 else None

    def _cut(self) -> str | None:
        """Where the page ends in the middle of something (read before the last block closes)."""
        if self.json is not None:
            return f"in a JSON example (it starts at line {self.json[0]})"
        if self.block is not None:
            heading, name, _, lines = self.block
            return cut_in_block(heading, name, lines)
        return None

    def _schema(self, line: Line, m: re.Match[str]) -> None:
        self._close_block()
        self.param_loc = None
        root = m.group("kind") == "Root"
        if root:
            self.body = Body(line.no, list(self.media), [])
            if self.section == "request":
                self.request.append(self.body)
            elif self.response is not None:
                self.response.body = self.body
                self.body.media_types = list(self.response.media_types)
        self.block = (line, m.group("name").strip(), root, [])
        self.used.add(line.no)

    def _close_block(self) -> None:
        if self.block is None:
            return
        heading, name, root, lines = self.block
        self.block = None
        if self.body is None or (not root and not self.body.blocks):
            return  # a nested block with no root: left unplaced, reported
        self.body.blocks.append(parse_block(heading, name, root, lines, self.used))


def parse_detail(page: PageText, diagnostics: Diagnostics) -> tuple[DetailPage, set[int]]:
    """Parse a detail page; also return the line numbers that were understood."""
    parser = _DetailParser(page, diagnostics)
    detail = parser.parse()
    if not detail.responses or parser.cut is not None:
        what = "no response section" if not detail.responses else ""
        where = f"the page ends {parser.cut}" if parser.cut else ""
        diagnostics.warning(
            "page-truncated",
            f"{'; '.join(filter(None, [what, where]))}: it may have been cut short; what it "
            "prints is used",
            page.at(page.lines[-1].no),
        )
    return detail, parser.used
