"""Security rules: which requirements an operation accepts, and what each scheme means."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.diff.changes import Raw
from generator.document import child

Alternative = tuple[tuple[str, tuple[str, ...]], ...]  # (scheme, sorted scopes) pairs, sorted
_SCHEMES = "/components/securitySchemes"
_MEANING = ("type", "in", "name", "scheme")  # what a client has to send for the scheme


def requirement_changes(
    old_op: Mapping[str, Any],
    new_op: Mapping[str, Any],
    old_spec: Mapping[str, Any],
    new_spec: Mapping[str, Any],
    pointer: str,
) -> Iterator[Raw]:
    """Changes to the requirements an operation accepts (its own, else the spec's global ones)."""
    olds = _alternatives(old_op.get("security", old_spec.get("security")))
    news = _alternatives(new_op.get("security", new_spec.get("security")))
    where = child(pointer, "security")
    if _anonymous(olds) and not _anonymous(news):
        message = f"authentication now required: {_spell(news)}"
        yield Raw("security-added", True, where, message)
    elif _anonymous(news) and not _anonymous(olds):
        yield Raw("security-removed", False, where, "authentication no longer required")
    elif not _anonymous(news):
        for alternative in sorted(olds - news):
            message = f"security requirement {_spell({alternative})} no longer accepted"
            yield Raw("security-requirement-removed", True, where, message)
        for alternative in sorted(news - olds):
            message = f"security requirement {_spell({alternative})} now also accepted"
            yield Raw("security-requirement-added", False, where, message)


def scheme_changes(old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> list[Raw]:
    """Security schemes whose type, location, name or HTTP scheme changed."""
    olds, news = _schemes(old_spec), _schemes(new_spec)
    raws = []
    for name in sorted(olds.keys() & news.keys()):
        old, new = olds[name], news[name]
        changed = [key for key in _MEANING if old.get(key) != new.get(key)]
        if changed:
            spelled = ", ".join(f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in changed)
            message = f"security scheme {name!r} changed: {spelled}"
            raws.append(Raw("security-scheme-changed", True, child(_SCHEMES, name), message))
    return raws


def _alternatives(requirements: Any) -> set[Alternative]:
    found = set()
    for requirement in requirements if isinstance(requirements, list) else []:
        if isinstance(requirement, Mapping):
            found.add(
                tuple(
                    sorted(
                        (str(name), tuple(sorted(str(s) for s in scopes or [])))
                        for name, scopes in requirement.items()
                    )
                )
            )
    return found


def _anonymous(alternatives: set[Alternative]) -> bool:
    return not alternatives or () in alternatives


def _spell(alternatives: set[Alternative]) -> str:
    def one(alternative: Alternative) -> str:
        return " + ".join(
            f"{name}[{', '.join(scopes)}]" if scopes else name for name, scopes in alternative
        )

    return " or ".join(one(a) for a in sorted(alternatives))


def _schemes(spec: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    return {str(k): v for k, v in schemes.items() if isinstance(v, Mapping)}
