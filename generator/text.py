"""Spec text made safe for where it lands: printable only, capped in length, escaped for Markdown."""

from __future__ import annotations

import re

from generator.spec import Pointer

# Longer descriptions (a 5.6 MB one was seen) are cut in docstrings: the spec keeps the whole text.
MAX_DESCRIPTION = 4000
# CommonMark: any ASCII punctuation may be backslash-escaped; these start inline markup or HTML
# (text is kept on one line, so what only counts at a line start stays as it is).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")


def printable(text: str) -> str:
    """``text`` with every non-printable character but ``\\n`` as a space.

    This drops what Python source must not carry raw: bidirectional overrides (U+202E, the
    "Trojan Source" pattern), zero-width characters, byte-order marks, form feeds, escapes.
    """
    text = text.replace("\r\n", "\n")
    if text.replace("\n", "").isprintable():  # the common case, at C speed
        return text
    return "".join(c if c.isprintable() or c == "\n" else " " for c in text)


def description(text: str, where: Pointer, limit: int = MAX_DESCRIPTION) -> str:
    """A description as generated code shows it: printable, cut at ``limit`` with its place."""
    clean = printable(text)
    if len(clean) <= limit:
        return clean
    cut = clean[:limit].rsplit(" ", 1)[0] if " " in clean[:limit] else clean[:limit]
    place = f"{where.file.name}#{where.pointer}"
    return f"{cut.rstrip()} [... {len(clean) - len(cut):,} more characters in the spec at {place}]"


def markdown(text: object) -> str:
    """One line of Markdown showing ``text`` literally: no markup, HTML, headings or links."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(str(text)).split()))


def markdown_code(text: object) -> str:
    """``text`` as a Markdown code span, safe inside a table cell."""
    line = " ".join(printable(str(text)).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"
