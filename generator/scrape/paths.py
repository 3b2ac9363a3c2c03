"""Normalize documented URLs: `https://server:port/spl/rest/apis/x` -> prefix + `/rest/apis/x`."""

from __future__ import annotations

import re

API_ROOT = "/rest/apis"
_SEGMENTS = r"(?:/(?:[^\s/{}]|\{[^{}/]*\})*)*"  # spaces only inside {templates}
_URL = re.compile(
    rf"^(?P<prefix>(?:https?://[^/\s]+)?(?:/[^/\s]+)*?)(?P<path>/rest/apis{_SEGMENTS})$"
)
_PLAIN_PATH = re.compile(rf"^{_SEGMENTS}$")
_PARAM = re.compile(r"\{([^{}]+)\}")


def split_url(text: str) -> tuple[str, str] | None:
    """Split a documented URL into (prefix, path starting at /rest/apis); None if not a URL."""
    text = text.strip()
    if m := _URL.match(text):
        return m.group("prefix"), m.group("path")
    if text.startswith(("http://", "https://")) or _PLAIN_PATH.match(text):
        host_end = text.find("/", text.find("//") + 2) if text.startswith("http") else 0
        if host_end < 0:
            return None
        return text[:host_end], text[host_end:]
    return None


def match_key(method: str, path: str) -> tuple[str, str]:
    """How a detail page finds its index entry: method + path without trailing slash."""
    return method.lower(), path.rstrip("/") or "/"


def path_params(path: str) -> list[str]:
    return _PARAM.findall(path)
