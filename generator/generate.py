"""``generate()``: one OpenAPI spec -> the models, client and server packages, in memory."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.build import build_api
from generator.config import TARGETS
from generator.diagnostics import ApibindError, Diagnostic, Diagnostics, Location
from generator.format import MODELS_FIXES, format_python
from generator.ir import Api
from generator.modelgen import HEADER, build_models, header, models_digest, reusable
from generator.modelsplit import ModelModule, module_names
from generator.modelworkers import Workers, ahead
from generator.render import MODELS_MODULE, Renderer, output_path
from generator.rendered import render_code
from generator.served import served_document
from generator.spec import Spec, load_spec

ALL_TARGETS = frozenset(TARGETS)
STEPS = 4  # the stages ``generate`` announces
MODELS_INIT = "models/package/__init__.py.jinja"
MODELS_STUB = "models/package/__init__.pyi.jinja"  # what type checkers read instead
SERVED = "server/package/openapi.json"  # the document the server answers at /openapi.json


@dataclass(frozen=True)
class Generation:
    """Everything one run produced: relative path -> text, the package name and the diagnostics."""

    files: dict[PurePosixPath, str]
    name: str
    diagnostics: list[Diagnostic]


def generate(
    source: Spec | Path,
    *,
    name: str | None = None,
    only: frozenset[str] = ALL_TARGETS,
    templates: Path | None = None,
    previous: Mapping[PurePosixPath, str] | None = None,
    on_step: Callable[[str], None] | None = None,
    workers: Workers | None = None,
) -> Generation:
    """Build the IR once from ``source`` (a loaded spec, or a file to load), render the requested
    packages and format them; ``on_step`` (optional) hears each stage start (``STEPS`` of them).

    ``previous`` (optional) holds files apibind wrote before and nobody edited since: a models
    module generated from the same input is reused instead of running datamodel-code-generator.
    ``workers`` (optional) are datamodel-code-generator's, started by the caller (``build``
    starts them before it parses the pages); by default they start here.
    """
    step = on_step or _quiet
    _check_targets(only)
    with contextlib.ExitStack() as stack:
        if workers is None:  # started now, they are ready when the chunks are known
            workers = stack.enter_context(Workers(models_workers(only)))
        diagnostics = Diagnostics()
        step("reading the spec")
        spec = source if isinstance(source, Spec) else load_spec(source)
        step("building the API model")
        api = build_api(spec, name=name, diagnostics=diagnostics)
        renderer = Renderer(templates)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # the models step mostly waits on its worker processes: client and server are
            # rendered and formatted here meanwhile
            models = (
                pool.submit(_models, renderer, api, previous or {}, workers)
                if "models" in only
                else None
            )
            rendered: dict[PurePosixPath, str] = {}
            step(f"rendering {', '.join(sorted(only))}")
            rendered |= render_code(renderer, sorted(only - {"models"}), api)
            if "server" in only:
                rendered[output_path(SERVED, api.package)] = served_document(spec)
            step("models (datamodel-code-generator) and formatting" if models else "formatting")
            files = format_python(rendered) | (models.result() if models else {})
    unique = list(dict.fromkeys(diagnostics.items))  # shared components would repeat their warnings
    return Generation(files=dict(sorted(files.items())), name=api.package, diagnostics=unique)


def models_workers(only: frozenset[str]) -> int:
    """How many datamodel-code-generator workers to start ahead for the targets ``only``."""
    return ahead() if "models" in only else 0


def _quiet(_text: str) -> None:
    return None


def _models(
    renderer: Renderer, api: Api, previous: Mapping[PurePosixPath, str], workers: Workers
) -> dict[PurePosixPath, str]:
    """The models package, formatted; its modules reused from ``previous`` when still valid."""
    context = renderer.context(api)
    init = output_path(MODELS_INIT, api.package)
    empty = ModelModule("_", "_", ("_",), "")
    digest = models_digest(
        api.models,
        renderer.render(MODELS_INIT, **context, modules=(), models_header="")
        + renderer.render(MODELS_STUB, **context, modules=(), models_header="")
        + renderer.render(MODELS_MODULE, **context, module=empty, models_header=""),
    )
    reused = _reused_modules(previous, init, digest)
    modules = () if reused else build_models(api.models, f"{api.package}_models", workers)
    files = renderer.render_target("models", api, models_header=header(digest), modules=modules)
    for module in modules:
        path = init.with_name(f"{module.name}.py")
        files[path] = renderer.render(MODELS_MODULE, **context, models_header=HEADER, module=module)
    for path in reused:  # the package's modules and their lists, as written before
        files.pop(path, None)
    return format_python(files, fixes=MODELS_FIXES) | reused


def _reused_modules(
    previous: Mapping[PurePosixPath, str], init: PurePosixPath, digest: str
) -> dict[PurePosixPath, str]:
    """The models package's modules written before from the same input, if all are still there.

    Only ``__init__`` carries the input's digest: a module's text changes with its classes only,
    so a regeneration rewrites (and formats) just the modules whose classes changed.
    """
    text = previous.get(init)
    if not reusable(text, digest) or text is None:
        return {}
    names = ["__init__.pyi", *(f"{name}.py" for name in module_names(text))]
    paths = [init.with_name(name) for name in names]
    if not all(path in previous for path in paths):
        return {}
    return {path: previous[path] for path in [init, *paths]}


def _check_targets(only: frozenset[str]) -> None:
    unknown = sorted(only - ALL_TARGETS)
    if unknown or not only:
        raise ApibindError.single(
            "bad-targets",
            f"unknown targets {', '.join(unknown)}" if unknown else "no target selected",
            Location(key="--only"),
            hint=f"choose from {', '.join(TARGETS)}",
        )
