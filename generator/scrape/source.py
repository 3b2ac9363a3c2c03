"""Read scraped pages: resolve sources to files, decode, normalize whitespace, keep line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import ApibindError, Diagnostics, Location

PAGE_SUFFIXES = (".txt",)
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\t": " ", "\r": None})
_SPACES = re.compile(r" {2,}")


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the file
    text: str  # stripped, invisible characters removed, inner runs of spaces folded


@dataclass(frozen=True)
class PageText:
    file: str  # the path as the user gave it (stable, relative where possible)
    lines: tuple[Line, ...]  # non-blank lines only

    def at(self, line: int) -> Location:
        return Location(file=self.file, line=line)


def under(base: Path | None, path: Path) -> Path:
    """``path`` read from ``base`` when it is relative (``None``: the working folder)."""
    return path if base is None else base / path


def collect_files(sources: list[Path], base: Path | None = None) -> list[Path]:
    """Expand folders to their ``*.txt`` pages (sorted); a missing or empty source is an error.

    Relative sources are read from ``base`` (default: the working folder); errors name them as given.
    """
    files: list[Path] = []
    problems = Diagnostics()
    for given in sources:
        where = Location(file=given.as_posix())
        source = under(base, given)
        if source.is_dir():
            found = sorted(
                p for p in source.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file()
            )
            if not found:
                problems.error("source-empty", "folder holds no scraped pages (*.txt)", where)
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            problems.error("source-missing", "no such file or folder", where)
    if problems.errors:
        raise ApibindError(problems.errors)
    return files


def read_page(path: Path, diagnostics: Diagnostics, display: str | None = None) -> PageText | None:
    """Decode one page; binary or non-UTF-8 content is a located error and yields None."""
    name = display or path.as_posix()
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        diagnostics.error(
            "page-binary", "binary content, not a scraped text page", Location(file=name, line=1)
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(
            "page-encoding", f"not valid UTF-8 ({exc.reason})", Location(file=name, line=line)
        )
        return None
    lines = tuple(
        Line(no, folded)
        for no, raw in enumerate(text.split("\n"), start=1)
        if (folded := _SPACES.sub(" ", raw.translate(_INVISIBLE)).strip())
    )
    if not lines:
        diagnostics.error("page-empty", "empty page", Location(file=name, line=1))
        return None
    return PageText(name, lines)
