"""Small horizontal bar charts for the summary, laid out in Python and drawn as inline SVG."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 260  # pixels for the longest bar


@dataclass(frozen=True)
class Segment:
    index: int  # position in its row (its colour)
    label: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    segments: tuple[Segment, ...]


def bars(rows: dict[str, dict[str, int]]) -> tuple[Row, ...]:
    """One bar per row, split into its labelled segments, scaled to the largest total."""
    largest = max((sum(parts.values()) for parts in rows.values()), default=0) or 1
    out = []
    for label, parts in rows.items():
        x, segments = 0.0, []
        for index, (name, value) in enumerate(parts.items()):
            width = WIDTH * value / largest
            segments.append(Segment(index, name, value, round(x, 1), round(width, 1)))
            x += width
        out.append(Row(label, sum(parts.values()), tuple(segments)))
    return tuple(out)
