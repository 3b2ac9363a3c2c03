"""``components.securitySchemes`` -> ``SecurityScheme``s the client can apply."""

from __future__ import annotations

from generator import openapi_view as oa
from generator.diagnostics import Diagnostics
from generator.ir import AuthKind, ParamLocation, SecurityScheme
from generator.naming import Namer, snake

# Constructor keywords of the generated client that a scheme name must not take.
_RESERVED = (
    *("base_url", "timeout", "retries", "backoff", "retry_statuses", "idempotency_header"),
    *("headers", "validation", "deadline", "event_hooks", "http_client", "self"),
    *("jitter", "retry_budget", "max_pages"),
)
_API_KEY_LOCATIONS: dict[str, ParamLocation] = {
    "header": "header",
    "query": "query",
    "cookie": "cookie",
}


def security_schemes(
    found: tuple[oa.SecurityScheme, ...], diagnostics: Diagnostics
) -> tuple[SecurityScheme, ...]:
    """Every scheme the client can apply; unsupported ones are skipped with a warning."""
    namer = Namer(_RESERVED)
    schemes = []
    for scheme in found:
        kind = _kind(scheme)
        if kind is None:
            diagnostics.warning(
                "security-unsupported",
                f"security scheme {scheme.key!r} is not supported; the client will not apply it",
                scheme.at.location,
            )
            continue
        apikey = kind == "apikey"
        schemes.append(
            SecurityScheme(
                key=scheme.key,
                ident=namer.unique(snake(scheme.key, fallback="auth")),
                kind=kind,
                location=_API_KEY_LOCATIONS[scheme.location] if apikey else None,
                param_name=scheme.param_name if apikey else None,
                description=scheme.description,
                openid=scheme.type == "openIdConnect",
                **_token_place(scheme),
            )
        )
    return tuple(schemes)


def _kind(scheme: oa.SecurityScheme) -> AuthKind | None:
    if scheme.type == "http":
        http = scheme.scheme.lower()
        return "basic" if http == "basic" else "bearer" if http == "bearer" else None
    if scheme.type == "apiKey" and scheme.location in _API_KEY_LOCATIONS:
        return "apikey"
    if scheme.type in ("oauth2", "openIdConnect"):
        return "oauth2"
    return None


def _token_place(scheme: oa.SecurityScheme) -> dict[str, str]:
    """Where an OAuth 2.0 / OpenID Connect scheme's token providers get tokens."""
    if scheme.type == "openIdConnect":
        return {"discovery_url": scheme.open_id_url} if scheme.open_id_url else {}
    # client credentials' token URL first; else the code or password flow's (refresh tokens)
    flows = sorted(scheme.flows, key=lambda f: f.kind != "clientCredentials")
    url = next((f.token_url for f in flows if f.token_url), "")
    return {"token_url": url} if scheme.type == "oauth2" and url else {}
