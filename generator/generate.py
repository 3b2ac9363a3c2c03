"""``generate()``: one OpenAPI spec -> the models, client and server packages, in memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.build import build_api
from generator.diagnostics import ApibindError, Diagnostic, Diagnostics, Location
from generator.format import MODELS_FIXES, format_python
from generator.ir import Api
from generator.modelgen import build_models, models_digest, reusable
from generator.render import TARGETS, Renderer, output_path
from generator.spec import Spec, load_spec

ALL_TARGETS = frozenset(TARGETS)
STEPS = 4  # the stages ``generate`` announces
MODELS_MODULE = "models/package/models.py.jinja"


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
) -> Generation:
    """Build the IR once from ``source`` (a loaded spec, or a file to load), render the requested
    packages and format them; ``on_step`` (optional) hears each stage start (``STEPS`` of them).

    ``previous`` (optional) holds files apibind wrote before and nobody edited since: a models
    module generated from the same input is reused instead of running datamodel-code-generator.
    """
    step = on_step or _quiet
    _check_targets(only)
    diagnostics = Diagnostics()
    step("reading the spec")
    spec = source if isinstance(source, Spec) else load_spec(source)
    step("building the API model")
    api = build_api(spec, name=name, diagnostics=diagnostics)
    renderer = Renderer(templates)
    rendered: dict[PurePosixPath, str] = {}
    step(f"rendering {', '.join(sorted(only))}")
    for target in sorted(only - {"models"}):
        rendered |= renderer.render_target(target, api)
    step("models (datamodel-code-generator) and formatting" if "models" in only else "formatting")
    with ThreadPoolExecutor(max_workers=1) as pool:
        # ruff formats client and server in its own process while the models are built here
        formatted = pool.submit(format_python, rendered)
        models = _models(renderer, api, previous or {}) if "models" in only else {}
        files = models | formatted.result()
    unique = list(dict.fromkeys(diagnostics.items))  # shared components would repeat their warnings
    return Generation(files=dict(sorted(files.items())), name=api.package, diagnostics=unique)


def _quiet(_text: str) -> None:
    return None


def _models(
    renderer: Renderer, api: Api, previous: Mapping[PurePosixPath, str]
) -> dict[PurePosixPath, str]:
    """The models package, formatted; its models module reused from ``previous`` when still valid."""
    module = output_path(MODELS_MODULE, api.package)
    digest = models_digest(
        api.models, renderer.render(MODELS_MODULE, **renderer.context(api), models_source="")
    )
    if reusable(previous.get(module), digest):
        files = renderer.render_target("models", api, models_source="")
        del files[module]
        return format_python(files, fixes=MODELS_FIXES) | {module: previous[module]}
    files = renderer.render_target("models", api, models_source=build_models(api.models, digest))
    return format_python(files, fixes=MODELS_FIXES)


def _check_targets(only: frozenset[str]) -> None:
    unknown = sorted(only - ALL_TARGETS)
    if unknown or not only:
        raise ApibindError.single(
            "bad-targets",
            f"unknown targets {', '.join(unknown)}" if unknown else "no target selected",
            Location(key="--only"),
            hint=f"choose from {', '.join(TARGETS)}",
        )
