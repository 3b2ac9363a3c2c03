"""The client and server files, rendered or taken from apibind's cache.

A file is cached under a digest of its context and of everything else it depends on (the
renderer's ``digest``: templates, apibind's code, installed packages). The context is built to
hold only what the file may depend on, so the digest is sound by construction:

- client and server templates see the model classes' names, never the schemas (``api.models``
  keeps ``names``, its ``source`` is empty): a changed schema re-renders none of them unless an
  operation's types changed with it;
- the client module of a tag sees that tag and the API's own fields, not the other operations
  (``api.operations`` and ``api.tags`` are empty there): a changed operation re-renders its tag's
  module and the package files, not the other tags' modules.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import PurePosixPath

from generator import cache
from generator.ir import Api, ModelSet
from generator.render import Renderer, runtime_files, tag_module_path

KIND = "rendered"


def render_code(renderer: Renderer, target: str, api: Api) -> dict[PurePosixPath, str]:
    """The files of ``target`` (``client`` or ``server``), as ``Renderer.render_target`` makes them."""
    seen = dataclasses.replace(api, models=ModelSet(source="", names=api.models.names))
    key = cache.key(renderer.digest, target, repr(seen))
    files = _unpacked(cache.read_text(KIND, key))
    if files is None:
        files = renderer.render_package(target, seen)
        cache.write_text(KIND, key, json.dumps({str(path): text for path, text in files.items()}))
    if target == "client":
        alone = dataclasses.replace(seen, operations=(), tags=())
        for tag in api.tags:
            key = cache.key(renderer.digest, "tag", repr(alone), repr(tag))
            text = cache.read_text(KIND, key)
            files[tag_module_path(api, tag)] = (
                _store(key, renderer.render_tag(alone, tag)) if text is None else text
            )
    return files | runtime_files(target, api.package)


def _unpacked(text: str | None) -> dict[PurePosixPath, str] | None:
    """The files of a package entry, or None (none, or damaged)."""
    try:
        stored = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(stored, dict):
        return None
    return {PurePosixPath(path): str(body) for path, body in stored.items()}


def _store(key: str, text: str) -> str:
    cache.write_text(KIND, key, text)
    return text
