"""The typed page model: what a scraped page says, before any inference."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SCALAR_TYPES = ("string", "number", "integer", "boolean")
COMPLEX_TYPES = ("object", "array")


class Layout(StrEnum):
    NAMED = "named"  # properties printed as `name: type` lines
    BULLET = "bullet"  # `•` items; scalar property names lost
    NONE = "none"  # the block's property list was lost entirely


@dataclass
class Facts:
    """Everything printed about one property or parameter besides its name and type."""

    description: str = ""
    title: str | None = None  # a parenthesized annotation such as `(canRsnDesc)`
    format: str | None = None  # `(date)`, `(date-time)`
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    enum: list[str] | None = None
    enum_labels: dict[str, str] = field(default_factory=dict)  # code -> label
    example: str | None = None
    default: str | None = None
    pattern: str | None = None


@dataclass
class Prop:
    """One property line/bullet of a schema block, as printed."""

    line: int
    name: str | None  # None when the layout lost it (bullet layout scalars)
    type: str | None  # None when not printed
    ref: bool  # refers to a nested block (`x: object` line or one-word bullet)
    facts: Facts
    required: bool = False


@dataclass
class Block:
    """A `Root Schema : X` or `Nested Schema : X` block."""

    line: int
    name: str
    root: bool
    type: str | None
    description: str
    layout: Layout
    props: list[Prop] | None  # None: the list was lost in the scrape


@dataclass
class Body:
    """One schema document: a request body or a response body, root block first."""

    line: int
    media_types: list[str]
    blocks: list[Block]

    @property
    def root(self) -> Block:
        return self.blocks[0]


@dataclass
class Param:
    line: int
    name: str
    location: str  # path, query, header, cookie
    type: str
    required: bool
    facts: Facts


@dataclass
class Response:
    line: int
    status: str
    description: str
    media_types: list[str]
    body: Body | None


@dataclass
class DetailPage:
    file: str
    line: int
    title: str
    method: str  # "" when the page lost its method and URL (found by title: see locate.py)
    url: str  # as printed
    path: str  # normalized: starts at /rest/apis
    prefix: str  # what was cut off before /rest/apis (e.g. https://server:port/spl)
    description: str
    layout: Layout
    params: list[Param]
    request: list[Body]  # one per printed media type (same schema expected)
    responses: list[Response]
    param_sections: list[str] = field(default_factory=list)  # `Query Parameters`... headings


@dataclass
class IndexEntry:
    line: int
    title: str
    method: str
    path: str
    prefix: str


@dataclass
class IndexGroup:
    line: int
    category: str  # e.g. "V-Model/Service Points/Customer to Meter"
    description: str
    entries: list[IndexEntry]


@dataclass
class IndexPage:
    file: str
    title: str
    groups: list[IndexGroup]
