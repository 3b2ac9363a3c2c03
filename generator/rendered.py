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
from collections.abc import Iterable
from pathlib import PurePosixPath

from generator import cache
from generator.ir import Api, ModelSet
from generator.render import Renderer, runtime_files, tag_module_path

KIND = "rendered"


def render_code(renderer: Renderer, targets: Iterable[str], api: Api) -> dict[PurePosixPath, str]:
    """The files of ``targets`` (``client``, ``server``), as ``Renderer.render_target`` makes them."""
    seen = dataclasses.replace(api, models=ModelSet(source="", names=api.models.names))
    alone = dataclasses.replace(seen, operations=(), tags=())
    tags = [repr(tag) for tag in api.tags]
    spelled_alone = repr(alone)
    whole = _spelled(seen, spelled_alone, tags)
    files: dict[PurePosixPath, str] = {}
    for target in targets:
        key = cache.key(renderer.digest, target, whole)
        package = _unpacked(cache.read_text(KIND, key))
        if package is None:
            package = renderer.render_package(target, seen)
            packed = {str(path): body for path, body in package.items()}
            cache.write_text(KIND, key, json.dumps(packed))
        files |= package | runtime_files(target, api.package)
        if target == "client":
            for tag, spelled in zip(api.tags, tags, strict=True):
                key = cache.key(renderer.digest, "tag", spelled_alone, spelled)
                text = cache.read_text(KIND, key)
                if text is None:
                    text = renderer.render_tag(alone, tag)
                    cache.write_text(KIND, key, text)
                files[tag_module_path(api, tag)] = text
    return files


def _spelled(seen: Api, alone: str, tags: list[str]) -> str:
    """``repr(seen)``, cheaper: its own fields (``alone``), every tag, and the order of the
    operations, which together give every operation once (each is in the tag it names first)."""
    if sum(len(tag.operations) for tag in seen.tags) != len(seen.operations):
        return repr(seen)  # not that shape: spelled in full
    order = [(op.tags[0], op.ident) for op in seen.operations]
    return repr((alone, tags, order))


def _unpacked(text: str | None) -> dict[PurePosixPath, str] | None:
    """The files of a package entry, or None (none, or damaged)."""
    try:
        stored = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(stored, dict):
        return None
    return {PurePosixPath(path): str(body) for path, body in stored.items()}
