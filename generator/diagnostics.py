"""Located diagnostics: every problem apibind reports says where it is and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: ``file:line`` for pages, a JSON pointer for specs, a key for config."""

    file: str | None = None
    line: int | None = None
    pointer: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer is not None:
            where += f"#{self.pointer}" if where else self.pointer
        if self.key is not None:
            where += f" [{self.key}]" if where else self.key
        return where or "<unknown>"


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    code: str
    message: str
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location or '<input>'}: {self.level}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "level": str(self.level),
            "code": self.code,
            "message": self.message,
            "location": str(self.location) if self.location else None,
        }
        if self.hint:
            out["hint"] = self.hint
        return out


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics gathered during one run."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        level: Level,
        code: str,
        message: str,
        location: Location | None = None,
        hint: str | None = None,
    ) -> Diagnostic:
        diagnostic = Diagnostic(level, code, message, location, hint)
        self.items.append(diagnostic)
        return diagnostic

    def error(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> Diagnostic:
        return self.add(Level.ERROR, code, message, location, hint)

    def warning(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> Diagnostic:
        return self.add(Level.WARNING, code, message, location, hint)

    def info(
        self, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> Diagnostic:
        return self.add(Level.INFO, code, message, location, hint)

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class ApibindError(Exception):
    """A failure the user can act on; carries one or more located diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        self.diagnostics = (
            [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def single(
        cls, code: str, message: str, location: Location | None = None, hint: str | None = None
    ) -> ApibindError:
        return cls(Diagnostic(Level.ERROR, code, message, location, hint))


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``0 entries`` (with ``plural``) for messages."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
