"""Parse the lines of one schema block or parameter list, in either layout."""

from __future__ import annotations

import re

from generator.scrape.facts import read_facts, strip_separator
from generator.scrape.pagetypes import COMPLEX_TYPES, SCALAR_TYPES, Block, Layout, Param, Prop
from generator.scrape.source import Line

BULLETS = "\u2022\u25cf\u25aa\u25e6\u2023"  # • ● ▪ ◦ ‣ as scrapes render list items
_TYPES = "|".join(SCALAR_TYPES + COMPLEX_TYPES)
# `name: type` (named layout); parameters may carry `(required)` and, rarely, spaces in the name.
NAMED_PROP = re.compile(
    rf"^(?P<name>[A-Za-z_$][\w$.\-]*)(?P<req>\(required\))?\s*:\s*(?P<type>{_TYPES})\b(?P<rest>.*)$"
)
NAMED_PARAM = re.compile(
    rf"^(?P<name>[A-Za-z_$][\w$.\- ]*?)\s*(?P<req>\(required\))?\s*:\s*(?P<type>{_TYPES})\b(?P<rest>.*)$"
)
REF_BULLET = re.compile(r"^[a-z_$][\w$]*$")
_TYPE_WORD = re.compile(rf"^(?P<type>{_TYPES})(?P<rest>.*)$")
CHROME = {"Show Source", "-", "Type:"}


def parse_block(heading: Line, name: str, root: bool, lines: list[Line], used: set[int]) -> Block:
    """Build a Block from the lines under a `Root/Nested Schema : name` heading."""
    block_type, description, body = _read_type(lines, used)
    if any(line.text.startswith(tuple(BULLETS)) for line in body):
        layout, props, intro = Layout.BULLET, *_bullet_props(body, used)
    elif any(NAMED_PROP.match(line.text) for line in body):
        layout, props, intro = Layout.NAMED, *_named_props(body, used)
    else:
        layout, props, intro = Layout.NONE, None, body
    for line in intro:
        if line.text not in CHROME:
            description.append(line.text)
        used.add(line.no)
    if props is None and block_type in SCALAR_TYPES:
        props = []
    text = " ".join(" ".join(strip_separator(d) for d in description).split())
    return Block(heading.no, name, root, block_type, text, layout, props)


def _read_type(lines: list[Line], used: set[int]) -> tuple[str | None, list[str], list[Line]]:
    """Find `Type: X` (X maybe on a later line, glued to `-` or to description text)."""
    description: list[str] = []
    for i, line in enumerate(lines):
        if not line.text.startswith("Type:"):
            continue
        used.add(line.no)
        after = line.text[len("Type:") :].strip()
        rest = lines[:i] + lines[i + 1 :]
        if not after:
            for other in lines[i + 1 :]:
                if other.text == "Show Source":
                    continue
                if m := _TYPE_WORD.match(other.text):
                    after = other.text
                    used.add(other.no)
                    rest = lines[:i] + [x for x in lines[i + 1 :] if x.no != other.no]
                break
        if m := _TYPE_WORD.match(after):
            glued = m.group("rest").strip()
            if glued and glued != "-":
                description.append(glued)
            return m.group("type"), description, rest
        return None, description, rest
    return None, description, list(lines)


def _bullet_props(body: list[Line], used: set[int]) -> tuple[list[Prop], list[Line]]:
    intro: list[Line] = []
    items: list[list[Line]] = []
    for line in body:
        if line.text.startswith(tuple(BULLETS)):
            items.append([Line(line.no, line.text[1:].strip())])
        elif items:
            items[-1].append(line)
        else:
            intro.append(line)
    props = []
    for item in items:
        used.update(line.no for line in item)
        first = item[0]
        if m := NAMED_PROP.match(first.text):
            props.append(_named(first.no, m, [x.text for x in item[1:]]))
        elif len(item) == 1 and REF_BULLET.match(first.text):
            props.append(Prop(first.no, first.text, None, True, read_facts([])))
        else:
            props.append(Prop(first.no, None, None, False, read_facts([x.text for x in item])))
    return props, intro


def _named_props(body: list[Line], used: set[int]) -> tuple[list[Prop], list[Line]]:
    intro: list[Line] = []
    groups: list[tuple[Line, re.Match[str], list[str]]] = []
    for line in body:
        if m := NAMED_PROP.match(line.text):
            groups.append((line, m, []))
            used.add(line.no)
        elif groups:
            groups[-1][2].append(line.text)
            used.add(line.no)
        else:
            intro.append(line)
    return [_named(line.no, m, text) for line, m, text in groups], intro


def _named(line_no: int, m: re.Match[str], text: list[str]) -> Prop:
    name, kind = m.group("name"), m.group("type")
    rest = [r] if (r := strip_separator(m.group("rest").strip())) else []
    lines = rest + text
    if (
        lines and lines[0].strip() == name
    ):  # the reference echo under `name: object` / `_link: string`
        lines = lines[1:]
    facts = read_facts(lines)
    return Prop(line_no, name, kind, kind in COMPLEX_TYPES, facts, required=bool(m.group("req")))


def parse_params(location: str, lines: list[Line], used: set[int]) -> list[Param]:
    """`billSegmentId(required): string` + description/example lines, per parameter."""
    params: list[Param] = []
    pending: list[tuple[Line, re.Match[str], list[str]]] = []
    for line in lines:
        text = line.text.lstrip(BULLETS + " ").strip()
        if m := NAMED_PARAM.match(text):
            pending.append((line, m, []))
            used.add(line.no)
        elif pending and text not in CHROME:
            pending[-1][2].append(text)
            used.add(line.no)
        elif text in CHROME:
            used.add(line.no)
    for start, m, texts in pending:
        prop = _named(start.no, m, texts)
        required = prop.required or location == "path"
        params.append(
            Param(
                start.no,
                m.group("name").strip(),
                location,
                prop.type or "string",
                required,
                prop.facts,
            )
        )
    return params
