"""``components.securitySchemes`` -> ``SecurityScheme``s the client can apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diagnostics import Diagnostics
from generator.ir import AuthKind, SecurityScheme
from generator.naming import Namer, snake
from generator.spec import Spec

# Constructor keywords of the generated client that a scheme name must not take.
_RESERVED = (
    *("base_url", "timeout", "retries", "backoff", "retry_statuses", "idempotency_header"),
    *("headers", "validation", "deadline", "event_hooks", "http_client", "self"),
)


def security_schemes(spec: Spec, diagnostics: Diagnostics) -> tuple[SecurityScheme, ...]:
    """Every scheme the client can apply; unsupported ones are skipped with a warning."""
    where = spec.root.child("components", "securitySchemes")
    raw = (spec.document.get("components") or {}).get("securitySchemes") or {}
    namer = Namer(_RESERVED)
    schemes = []
    for key, value in raw.items():
        scheme, at = spec.resolve(value, where.child(key))
        kind = _kind(scheme)
        if kind is None:
            diagnostics.warning(
                "security-unsupported",
                f"security scheme {key!r} is not supported; the client will not apply it",
                at.location,
            )
            continue
        location = scheme.get("in") if kind == "apikey" else None
        schemes.append(
            SecurityScheme(
                key=str(key),
                ident=namer.unique(snake(str(key), fallback="auth")),
                kind=kind,
                location=location,
                param_name=str(scheme.get("name")) if kind == "apikey" else None,
                description=str(scheme.get("description", "") or ""),
                **_token_place(scheme),
            )
        )
    return tuple(schemes)


def _kind(scheme: object) -> AuthKind | None:
    if not isinstance(scheme, Mapping):
        return None
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return "basic" if http == "basic" else "bearer" if http == "bearer" else None
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        return "apikey"
    if kind in ("oauth2", "openIdConnect"):
        return "oauth2"
    return None


def _token_place(scheme: Mapping[str, Any]) -> dict[str, Any]:
    """Where an OAuth 2.0 scheme's client-credentials tokens come from (nothing for others)."""
    if scheme.get("type") == "openIdConnect":
        url = scheme.get("openIdConnectUrl")
        return {"discovery_url": url} if isinstance(url, str) and url else {}
    flows = scheme.get("flows") if scheme.get("type") == "oauth2" else None
    flow = flows.get("clientCredentials") if isinstance(flows, Mapping) else None
    if not isinstance(flow, Mapping):
        return {}
    url = flow.get("tokenUrl")
    return {"token_url": url} if isinstance(url, str) and url else {}
