"""Answers: documented response headers and a chosen 2xx status (``Reply``), bodies checked again.

Copied verbatim into a generated server package as ``_reply.py``; it imports nothing from it.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar

from fastapi import Response
from fastapi.exceptions import ResponseValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

BodyT = TypeVar("BodyT")
HeadersT = TypeVar("HeadersT")
# what no header value may hold: control characters (CR and LF would split the answer)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_BODILESS = (204, 205, 304)  # statuses whose answers carry no body (RFC 9110)


@dataclass(frozen=True)
class Reply(Generic[BodyT, HeadersT]):
    """What an operation answers beyond its body: the response headers it documents (an
    instance of its headers class, ``ListPetsHeaders``, or None) and, where it documents several
    2xx responses, which one (``status_code``; None: the first)."""

    body: BodyT
    headers: HeadersT
    status_code: int | None = None


def as_data(value: Any) -> Any:
    """``value`` with each model instance in it turned into plain data, so that FastAPI validates
    it against the response schema again: an instance built with ``model_construct``, or changed
    after it was validated, is checked too (FastAPI passes instances of the model through)."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    return value


def reply(
    result: Any,
    headers_class: type | None,
    documented: Mapping[str, tuple[str, ...]],
    response: Response,
) -> Any:
    """The body an implementation answered (a JSON route's), its ``Reply``'s headers and status
    set on ``response``, FastAPI's sub-response (FastAPI adds them to the answer); an empty
    ``Response`` for a status that has no body in HTTP (204, 205, 304)."""
    body, status, headers = _answer(result, headers_class, documented)
    if status in _BODILESS:
        return Response(status_code=status, headers=headers)
    response.status_code = status
    response.headers.update(headers)
    return as_data(body)


def raw_reply(
    result: Any,
    headers_class: type | None,
    documented: Mapping[str, tuple[str, ...]],
    media_type: str | None,
) -> Response:
    """The answer of a route whose body is text, bytes or absent (``media_type`` None)."""
    body, status, headers = _answer(result, headers_class, documented)
    content = None if media_type is None or status in _BODILESS else body
    return Response(content, status, headers, media_type)


def _answer(
    result: Any, headers_class: type | None, documented: Mapping[str, tuple[str, ...]]
) -> tuple[Any, int, dict[str, str]]:
    """``(body, status, headers)`` of what an implementation returned. ``documented``: the 2xx
    statuses the operation documents ("200", "2XX"), the first one the default, each with the
    headers it requires.

    Headers off their documented schemas, a required one missing or a status not documented
    raise FastAPI's ``ResponseValidationError``: the server's documented 500.
    """
    if not isinstance(result, Reply):
        result = Reply(result, None)
    status = result.status_code or _default_status(documented)
    required = documented.get(str(status), documented.get(f"{status // 100}XX"))
    if required is None:
        _off_contract("status_code", f"{status} is not a documented 2xx status: {[*documented]}")
    headers = _headers(result.headers, headers_class)
    missing = [name for name in required if name.lower() not in map(str.lower, headers)]
    if missing:
        _off_contract(missing[0], f"a {status} answer requires the header {missing[0]}")
    return result.body, status, headers


def _default_status(documented: Mapping[str, tuple[str, ...]]) -> int:
    first = next(iter(documented), "200")
    return int(first) if first.isdigit() else 200


def _headers(given: Any, headers_class: type | None) -> dict[str, str]:
    """The header values ``given`` (an instance of ``headers_class``) holds, checked against the
    documented schemas and serialized in OpenAPI's ``simple`` style, by wire name."""
    if given is None:
        given = _empty(headers_class)
        if given is None:
            return {}
    elif headers_class is None or not isinstance(given, headers_class):
        expected = headers_class.__name__ if headers_class else "None (no documented headers)"
        _off_contract("headers", f"expected {expected}, got {type(given).__name__}")
    found: dict[str, str] = {}
    for name, (wire, adapter) in _fields(type(given)).items():
        value = getattr(given, name)
        try:
            checked = adapter.validate_python(value, strict=True)
        except ValidationError as exc:
            raise ResponseValidationError(_located(exc, wire)) from exc
        if checked is None:
            continue
        text = _simple(adapter.dump_python(checked, mode="json"))
        if _CONTROL.search(text) or not _latin1(text):
            _off_contract(wire, "a header value holds a control character or is not latin-1")
        found[wire] = text
    return found


def _empty(headers_class: type | None) -> Any:
    """No headers given: None where none are documented, else the class with every header
    absent (a required one is missing: off-contract)."""
    if headers_class is None:
        return None
    try:
        return headers_class()
    except TypeError:
        _off_contract("headers", f"required headers missing: {headers_class.__name__}")


_FIELDS: dict[type, dict[str, tuple[str, TypeAdapter[Any]]]] = {}


def _fields(headers_class: type) -> dict[str, tuple[str, TypeAdapter[Any]]]:
    """Per field of a headers class: its header's wire name and a validator of its type."""
    if headers_class not in _FIELDS:
        hints = typing.get_type_hints(headers_class, include_extras=True)
        _FIELDS[headers_class] = {
            f.name: (f.metadata.get("header", f.name), TypeAdapter(hints[f.name]))
            for f in dataclasses.fields(headers_class)
        }
    return _FIELDS[headers_class]


def _located(exc: ValidationError, wire: str) -> list[Any]:
    return [
        {**error, "loc": ("response", "headers", wire, *error["loc"])}
        for error in exc.errors(include_url=False)
    ]


def _simple(value: Any) -> str:
    """A JSON value in OpenAPI's ``simple`` style: arrays comma-separated, booleans lower case."""
    if isinstance(value, list):
        return ",".join(_simple(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _off_contract(where: str, message: str) -> NoReturn:
    error = {"type": "off_contract", "loc": ("response", "headers", where), "msg": message}
    raise ResponseValidationError([error])
