"""Scalar schemas: printed or inferred type, constraints, enum members, checked examples."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Any

from generator.scrape.facts import parse_number
from generator.scrape.pagetypes import Facts
from generator.scrape.tree import Inference, Node

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


@dataclass
class ExampleProblem:
    line: int
    example: str
    reason: str


def infer_type(facts: Facts) -> tuple[str, str | None, Inference]:
    """(type, format, evidence) for a property whose type the page did not print."""
    example = (facts.example or "").strip()
    if facts.enum is not None:
        return "string", None, Inference("constraints", 0.9, "allowed values are quoted strings")
    if facts.max_length is not None or facts.min_length is not None or facts.pattern:
        return (
            "string",
            facts.format,
            Inference("constraints", 0.9, "a length or pattern constraint"),
        )
    if facts.minimum is not None or facts.maximum is not None:
        return "number", None, Inference("constraints", 0.9, "a minimum/maximum value")
    if facts.format:
        return "string", facts.format, Inference("format", 0.9, f"the ({facts.format}) annotation")
    if example.lower() in ("true", "false"):
        return "boolean", None, Inference("example", 0.7, f"the example `{example}`")
    if _DATE.match(example):
        return "string", "date", Inference("example", 0.6, f"the example `{example}` is a date")
    if _DATE_TIME.match(example):
        return (
            "string",
            "date-time",
            Inference("example", 0.6, f"the example `{example}` is a date-time"),
        )
    if _NUMBER.match(example):
        return "number", None, Inference("example", 0.5, f"the example `{example}` is a number")
    return "string", None, Inference("default", 0.3, "no type evidence on the page; string assumed")


def enum_member_names(values: list[str], labels: dict[str, str]) -> list[str]:
    """UPPER_SNAKE member names from the code labels (`C1CF` - CancelFrozen -> CANCEL_FROZEN)."""
    names: list[str] = []
    for value in values:
        base = _upper_snake(labels.get(value, "")) or _upper_snake(value) or "EMPTY"
        if base[0].isdigit():
            base = f"VALUE_{base}"
        if keyword.iskeyword(base.lower()) and base.lower() == base:
            base += "_"
        name = base
        if name in names:
            name = f"{base}_{_upper_snake(value) or len(names)}"
        while name in names:
            name += "_"
        names.append(name)
    return names


def _upper_snake(text: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return "_".join(re.findall(r"[A-Za-z0-9]+", spaced)).upper()


def check_example(
    facts: Facts, kind: str, line: int
) -> tuple[Any, ExampleProblem | None, str | None]:
    """(example value or None, problem, note). A contradicting example is not kept."""
    raw = facts.example
    if raw is None or raw == "":
        return None, None, None

    def reject(reason: str) -> tuple[None, ExampleProblem, None]:
        return None, ExampleProblem(line, raw, reason), None

    if kind == "boolean":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true", None, None
        return reject("not a boolean")
    if kind in ("number", "integer"):
        if not _NUMBER.match(raw):
            return reject(f"not a {kind}")
        number = parse_number(raw)
        if (facts.minimum is not None and number < facts.minimum) or (
            facts.maximum is not None and number > facts.maximum
        ):
            return reject("outside the minimum/maximum")
        return number, None, None
    text, note = raw, None
    if facts.enum is not None and text not in facts.enum:
        padded = [v for v in facts.enum if v.rstrip() == text]
        if len(padded) != 1:
            return reject("not one of the allowed values")
        text = padded[0]
        note = f"example `{raw}` read as allowed value {text!r} (the scrape drops trailing spaces)"
    if facts.max_length is not None and len(text) > facts.max_length:
        return reject(f"longer than maxLength {facts.max_length}")
    return text, None, note


def scalar_schema(node: Node) -> tuple[dict[str, Any], ExampleProblem | None, str | None]:
    """The JSON schema of a scalar node; also any example problem and normalization note."""
    facts = node.facts
    if node.type is None:
        node.type, fmt, node.type_info = infer_type(facts)
        facts.format = facts.format or fmt
    kind = node.type
    schema: dict[str, Any] = {"type": kind}
    if facts.format:
        schema["format"] = facts.format
    if facts.title:
        schema["title"] = facts.title
    if facts.description:
        schema["description"] = facts.description
    for key, value in (
        ("minLength", facts.min_length),
        ("maxLength", facts.max_length),
        ("minimum", facts.minimum),
        ("maximum", facts.maximum),
        ("pattern", facts.pattern),
    ):
        if value is not None:
            schema[key] = value
    if facts.enum is not None:
        schema["enum"] = list(facts.enum)
        if facts.enum_labels:
            schema["x-enum-varnames"] = enum_member_names(facts.enum, facts.enum_labels)
            schema["x-enum-descriptions"] = [
                facts.enum_labels.get(v, v.strip()) for v in facts.enum
            ]
    example, problem, note = check_example(facts, kind, node.line)
    if example is not None:
        schema["example"] = example
    return schema, problem, note
