"""Identifier sanitizing: every name from a spec becomes a safe, unique Python identifier here."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable
from importlib.resources import files
from typing import Self

from anyascii import anyascii

# Names generated code relies on; a spec name equal to one of them gets a suffix.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "IntEnum",
        "Literal",
        "Optional",
        "RootModel",
        "StrEnum",
        "Union",
        "date",
        "datetime",
        "time",
        "timedelta",
        "UUID",
        "Decimal",
        "AnyUrl",
        "EmailStr",
    }
)
_BUILTINS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str", "type"})
# Builtins that annotations in generated models use: a field with one of these names would shadow
# the type inside its class body (`list: list[str]`), so such fields get a trailing underscore.
ANNOTATION_BUILTINS = frozenset(
    {"bool", "bytes", "dict", "float", "frozenset", "int", "list", "set", "str", "tuple"}
)
_BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# an acronym's plural (``APIs``, ``IDs``) is one word; then camelCase, ALLCAPS and digit runs
_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# alphabets whose letters anyascii spells in ASCII without losing the word (others are not read)
_TRANSLITERATED = ("LATIN ", "GREEK ", "CYRILLIC ")


class Identifier(str):
    """A string already proven to be a valid, non-keyword Python identifier."""

    __slots__ = ()

    def __new__(cls, value: str) -> Self:
        if not value.isidentifier() or keyword.iskeyword(value) or not value.isascii():
            raise ValueError(f"not a safe identifier: {value!r}")
        return super().__new__(cls, value)


def _words(text: str) -> list[str]:
    return _WORD.findall(ascii_text(text))


def ascii_text(text: str) -> str:
    """``Ünïcødé`` -> ``Unicode``: Latin, Greek and Cyrillic letters transliterated by anyascii.

    Other characters (CJK, emoji, symbols) become spaces: read as Chinese, ``作成`` ("create" in
    Japanese) would be ``Zuo Cheng``, which keeps no meaning, so such names are invented instead.
    """
    if text.isascii():  # NFKC leaves ASCII as it is
        return text
    chars = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii():
            chars.append(char)
        elif unicodedata.name(char, "").startswith(_TRANSLITERATED):
            chars.append(anyascii(char))
        elif not unicodedata.combining(char):
            chars.append(" ")
    return "".join(chars)


def renamed(original: str, wanted: Identifier, given: Identifier) -> str | None:
    """Why the identifier ``given`` for spec name ``original`` is no plain spelling of it, if so.

    Case and separators (``getBill`` -> ``get_bill``) and keyword underscores are conventions, not
    renames; lost characters (``get🐶``), invented names (``作成`` -> ``post``) and suffixes for
    names already taken (``foo_bar_2``) are.
    """
    reasons = []
    if not _words(original):
        reasons.append("no letters or digits a Python name can use")
    elif lost := _lost(original):
        reasons.append(f"{lost!r} has no ASCII spelling")
    if given != wanted:
        reasons.append(f"{wanted!r} is taken by another name")
    return f"{original!r} becomes {given!r}: {'; '.join(reasons)}" if reasons else None


def _lost(text: str) -> str:
    """The letters, digits and symbols of ``text`` that ``ascii_text`` drops."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKC", text)
        if not char.isascii()
        and not unicodedata.name(char, "").startswith(_TRANSLITERATED)
        and unicodedata.category(char)[0] in "LNS"
    )


def well_known_projects(package: str) -> list[str]:
    """The distributions of ``package`` (and the name itself) that well-known PyPI projects use."""
    names = {package.replace("_", "-")} | {
        f"{package.replace('_', '-')}-{target}" for target in ("models", "client", "server")
    }
    return sorted(names & _well_known())


@functools.cache
def _well_known() -> frozenset[str]:
    text = (files("generator") / "well_known_pypi.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def snake(text: str, *, fallback: str = "value") -> Identifier:
    """``getBill`` -> ``get_bill``; keywords get a trailing underscore, leading digits a prefix."""
    name = "_".join(word.lower() for word in _words(text)) or fallback
    if name[0].isdigit():
        name = f"n_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _BUILTINS:
        name += "_"
    return Identifier(name)


def pascal_case(text: str, *, fallback: str = "Model", digit_prefix: str = "M") -> str:
    """``pet-store item`` -> ``PetStoreItem``; a leading digit gets ``digit_prefix``."""
    name = "".join(word[:1].upper() + word[1:] for word in _words(text)) or fallback
    return f"{digit_prefix}{name}" if name[0].isdigit() else name


def pascal(text: str, *, fallback: str = "Model") -> Identifier:
    """``pascal_case`` as a class name: keywords and reserved names get a ``Model`` suffix."""
    name = pascal_case(text, fallback=fallback)
    if keyword.iskeyword(name):
        name += "Model"
    return Identifier(class_name(name))


def class_name(name: str) -> str:
    """A class name that shadows neither a builtin (`Exception`) nor a name generated code imports."""
    return f"{name}Model" if name in RESERVED_CLASS_NAMES or name in _BUILTIN_NAMES else name


class Namer:
    """Hands out unique identifiers in one namespace; collisions get ``_2``, ``_3``... suffixes."""

    def __init__(self, taken: Iterable[str] = (), *, separator: str = "_") -> None:
        self._taken = {name.lower() for name in taken}
        self._separator = separator

    def unique(self, name: Identifier) -> Identifier:
        candidate, counter = name, 2
        while candidate.lower() in self._taken:
            candidate = Identifier(f"{name.rstrip('_')}{self._separator}{counter}")
            counter += 1
        self._taken.add(candidate.lower())
        return candidate


def package_name(title: str) -> Identifier:
    """A short snake_case distribution name from ``info.title``: at most two words."""
    stop = {
        "api",
        "rest",
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "service",
        "openapi",
        "v1",
        "v2",
        "v3",
    }
    words = [w.lower() for w in _words(title)]
    kept = [w for w in words if w not in stop] or ["api"]
    name = "_".join(kept[:2])[:MAX_PACKAGE_NAME].rstrip("_")
    if name[0].isdigit():
        name = f"api_{name}"
    return Identifier(name if not keyword.iskeyword(name) else f"{name}_api")


MAX_PACKAGE_NAME = 64  # NAME_models/ and NAME_client.py-like names stay far below file-name limits


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the packages' base name (``-`` is read as ``_``), or None."""
    normalized = name.replace("-", "_")
    if not (normalized.isascii() and normalized.isidentifier()) or keyword.iskeyword(normalized):
        return f"name {name!r} is not a valid Python package name"
    if len(normalized) > MAX_PACKAGE_NAME:
        return f"name is {len(name)} characters long; at most {MAX_PACKAGE_NAME} are accepted"
    return None


# Enum members must not shadow what the enum inherits from its value type (``upper``, ``count``).
_VALUE_ATTRIBUTES = frozenset(
    name for kind in (str, int, float, bytes) for name in dir(kind) if not name.startswith("_")
)
_NON_WORD = re.compile(r"\W", re.ASCII)


def enum_member_names(values: Iterable[str]) -> list[Identifier]:
    """Member names for string enum ``values``, in one linear pass (``a-b`` -> ``a_b``).

    datamodel-code-generator's rule (its ``get_valid_name`` for enum members) on ASCII text, which
    non-ASCII characters are transliterated into first: ``9z`` -> ``field_9z``, ``_x`` ->
    ``field_x``, ``class`` -> ``class_``, ``upper`` -> ``upper_``, a taken name gets ``_1``,
    ``_2``... Its own loop copies the taken names for every member (quadratic: 120 s for 50,000).
    """
    taken = {*_VALUE_ATTRIBUTES, "mro"}
    counters: dict[str, int] = {}  # base name -> the next suffix worth trying
    names = []
    for value in values:
        base = _member_base(value)
        name, count = base, counters.get(base, 1)
        while name in taken:
            name, count = f"{base}_{count}", count + 1
        counters[base] = count
        taken.add(name)
        names.append(Identifier(name))
    return names


def _member_base(value: str) -> str:
    if value.isidentifier() and value.isascii() and value[0] != "_":  # most values: as they are
        plain = not keyword.iskeyword(value) and value not in _VALUE_ATTRIBUTES
        return value if plain and value != "mro" else f"{value}_"
    text = ascii_text(value) if not value.isascii() else value
    name = "mro_" if text == "mro" else text or "_"
    if name[0] == "#":
        name = name[1:] or "_"
    name = _NON_WORD.sub("_", name)
    if name[0].isdigit():
        name = f"field_{name}"
    if name[0] == "_":
        name = f"field{name}"
    if keyword.iskeyword(name) or name in _VALUE_ATTRIBUTES:
        name += "_"
    return name
