"""The one Jinja environment: user templates first, built-ins second; escaping lives in its filters."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import jinja2
import tomli_w

from generator import cache
from generator.cache import cache_dir
from generator.config import TARGETS
from generator.diagnostics import ApibindError, Location
from generator.ir import (
    Api,
    Constraints,
    DictOf,
    ListOf,
    ModelRef,
    Nullable,
    Primitive,
    Tag,
    TypeRef,
    UnionOf,
    mentions,
)
from generator.text import markdown, markdown_code, printable

MODELS_ALIAS = "_m"  # how generated modules import the models package
_DATE_TYPES = {"date": "_dt.date", "datetime": "_dt.datetime"}  # ``import datetime as _dt``
MODELS_MODULE = "models/package/module.py.jinja"  # rendered once per module of model classes
TAG_MODULE = "client/package/_ops.py.jinja"  # rendered once per tag, to ``_ops_<tag>.py``
PER_ITEM = (MODELS_MODULE, TAG_MODULE)  # templates not rendered once per package


MACROS = "_macros"  # the folder of shared macro files, imported by templates, rendered to nothing
RUNTIME = {
    "client": {
        "client/package/_runtime.py": "client.py",
        "client/package/_lazy.py": "lazy.py",
        **{
            f"client/package/{m}.py": f"{m}.py"
            for m in ("_auth", "_errors", "_oauth", "_observe", "_paginate", "_retry", "_wire")
        },
    },
    "server": {"server/package/_runtime.py": "server.py", "server/package/_reply.py": "_reply.py"},
}
"""Per target: output template name -> module of ``generator/runtime/`` copied there verbatim."""


def builtin_templates() -> Traversable:
    return files("generator.templates")


def runtime_modules(target: str) -> dict[str, str]:
    """Template-style name (``client/package/_runtime.py``) -> source of the runtime module."""
    source = files("generator.runtime")
    return {
        name: (source / module).read_text(encoding="utf-8")
        for name, module in RUNTIME.get(target, {}).items()
    }


def template_names(target: str) -> list[str]:
    """Relative names (``client/package/client.py.jinja``) of the built-in templates of a target."""
    names: list[str] = []
    stack: list[tuple[Traversable, str]] = [(builtin_templates() / target, target)]
    while stack:
        node, name = stack.pop()
        for child in node.iterdir():
            child_name = f"{name}/{child.name}"
            if child.is_dir():
                stack.append((child, child_name))
            elif child.name.endswith(".jinja") and child_name not in PER_ITEM:
                names.append(child_name)
    return sorted(names)


def output_path(template: str, package: str) -> PurePosixPath:
    """``client/package/client.py.jinja`` -> ``NAME_client/NAME_client/client.py``."""
    target, *rest = template.removesuffix(".jinja").split("/")
    project = f"{package}_{target}"
    return PurePosixPath(project, *(project if part == "package" else part for part in rest))


_COMPILE_SETTINGS = (  # what shapes a template's compiled code, besides its source
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "autoescape",
    "optimized",
    "extensions",
)


def _bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in apibind's cache (Jinja checks each against its source), in a
    folder per Jinja version and compile settings."""
    settings = repr([getattr(env, name) for name in _COMPILE_SETTINGS])
    folder = cache_dir() / "jinja" / cache.key(jinja2.__version__, settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    """Renders templates by relative name; ``user_dir`` overrides any single template."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir
        loaders: list[jinja2.BaseLoader] = []
        if user_dir is not None:
            if not user_dir.is_dir():
                raise ApibindError.single(
                    "templates-missing",
                    f"templates folder not found: {user_dir}",
                    Location(key="--templates"),
                )
            _check_overrides(user_dir)
            loaders.append(jinja2.FileSystemLoader(user_dir))
        loaders.append(jinja2.FunctionLoader(_load_builtin))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        self.env.bytecode_cache = _bytecode_cache(self.env)
        self.env.filters.update(FILTERS)
        self.env.tests["model_ref"] = lambda ref: isinstance(ref, ModelRef)
        self.env.tests["mentioning_models"] = lambda ref: mentions(ref, ModelRef)

    def render(self, name: str, **context: object) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            where = Location(
                file=getattr(exc, "filename", None) or name, line=getattr(exc, "lineno", None)
            )
            raise ApibindError.single(
                "template-error", f"{type(exc).__name__}: {exc}", where
            ) from exc

    @staticmethod
    def context(api: Api) -> dict[str, object]:
        """The variables every template receives (documented in templates/README.md)."""
        return {
            "api": api,
            "models_package": f"{api.package}_models",
            "client_package": f"{api.package}_client",
            "server_package": f"{api.package}_server",
            "models": MODELS_ALIAS,
        }

    def render_target(self, target: str, api: Api, **extra: object) -> dict[PurePosixPath, str]:
        """Every file of ``target``: its package templates, the client's module per tag and the
        runtime modules copied as they are."""
        rendered = self.render_package(target, api, **extra)
        if target == "client":
            rendered |= {tag_module_path(api, tag): self.render_tag(api, tag) for tag in api.tags}
        return rendered | runtime_files(target, api.package)

    def render_package(self, target: str, api: Api, **extra: object) -> dict[PurePosixPath, str]:
        """The files of ``target``'s templates rendered once per package."""
        context = self.context(api) | extra
        return {
            output_path(name, api.package): self.render(name, **context)
            for name in template_names(target)
        }

    def render_tag(self, api: Api, tag: Tag) -> str:
        """The client module of ``tag``'s operations."""
        return self.render(TAG_MODULE, **self.context(api), tag=tag)

    @functools.cached_property
    def digest(self) -> str:
        """What a rendered file depends on besides its context: every template this renderer can
        load (the user's and the built-in ones), apibind's code (filters, the IR's properties) and
        the installed packages (Jinja's version)."""
        sources = [*_sources(builtin_templates(), "")]
        if self.user_dir is not None:
            sources += ["user", *_sources(self.user_dir, "")]
        sources += ["code", *_sources(files("generator"), "", suffix=".py")]
        return cache.key(cache.environment(), *sources)


def tag_module_path(api: Api, tag: Tag) -> PurePosixPath:
    """Where the client module of ``tag`` goes: ``NAME_client/NAME_client/_ops_<tag>.py``."""
    return output_path(TAG_MODULE, api.package).with_name(f"_ops_{tag.ident}.py")


def runtime_files(target: str, package: str) -> dict[PurePosixPath, str]:
    """The runtime modules of ``target``, at their place in the package."""
    return {output_path(name, package): text for name, text in runtime_modules(target).items()}


def _sources(folder: Traversable, prefix: str, suffix: str = "") -> list[str]:
    """Name and text of every file under ``folder`` ending with ``suffix``, in name order."""
    found: list[str] = []
    for child in sorted(folder.iterdir(), key=lambda node: node.name):
        name = f"{prefix}{child.name}"
        if child.is_dir() and child.name != "__pycache__":
            found += _sources(child, f"{name}/", suffix)
        elif child.name.endswith(suffix) and not child.name.startswith("."):
            found += [name, child.read_bytes().decode("utf-8", "replace")]
    return found


def _check_overrides(user_dir: Path) -> None:
    """Every file of a user template folder must override a built-in template (typos are errors)."""
    known = [name for target in (MACROS, *TARGETS) for name in template_names(target)]
    known += PER_ITEM
    unknown = sorted(
        path.relative_to(user_dir).as_posix()
        for path in user_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(user_dir).parts)
        and path.relative_to(user_dir).as_posix() not in known
    )
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        raise ApibindError.single(
            "templates-unknown",
            f"{', '.join(unknown)}: no built-in template has this name, so it would override nothing"
            + (f" (did you mean {close[0]}?)" if close else ""),
            Location(file=str(user_dir / unknown[0])),
            hint=f"templates that can be overridden: {', '.join(known)}",
        )


def _load_builtin(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    node = builtin_templates()
    for part in name.split("/"):
        node = node / part
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8"), name, lambda: True


def pystr(text: object) -> str:
    """A Python string literal: nothing inside can escape it."""
    return repr(str(text))


def docstring(text: object, indent: int = 4) -> str:
    """Text safe between triple double quotes, continuation lines indented."""
    escaped = printable(str(text)).strip().replace("\\", "\\\\").replace('"', '\\"')
    pad = " " * indent
    return "\n".join(
        pad + line if i and line.strip() else line.rstrip()
        for i, line in enumerate(escaped.split("\n"))
    )


def comment(text: object) -> str:
    """One line of text safe after ``#``."""
    return " ".join(str(text).split())


def toml(text: object) -> str:
    """A TOML string as tomli-w writes it: UTF-8 text, only what TOML requires escaped."""
    return tomli_w.dumps({"v": printable(str(text))}).removeprefix("v = ").removesuffix("\n")


def pytype(ref: TypeRef | None, models: str = MODELS_ALIAS) -> str:
    """The Python annotation for a ``TypeRef``; ``None`` (no content) is ``None``."""
    match ref:
        case None:
            return "None"
        case Primitive(name=name):
            return _DATE_TYPES.get(name, name)
        case ModelRef(name=name):
            return f"{models}.{name}"
        case ListOf(item=item):
            return f"list[{pytype(item, models)}]"
        case DictOf(value=value):
            return f"dict[str, {pytype(value, models)}]"
        case UnionOf(options=options):
            return " | ".join(pytype(option, models) for option in options)
        case Nullable(inner=inner):
            return f"{pytype(inner, models)} | None"
    raise TypeError(f"not a TypeRef: {ref!r}")


def pyarg(ref: TypeRef, models: str = MODELS_ALIAS) -> str:
    """The annotation of a client argument: ``pytype``, an enum also taking its values
    (``_m.Kind | Literal["cat", "dog"]``)."""
    match ref:
        case ModelRef(literals=literals) if literals:
            values = ", ".join(pystr(v) if isinstance(v, str) else repr(v) for v in literals)
            return f"{pytype(ref, models)} | Literal[{values}]"
        case ListOf(item=item):
            return f"list[{pyarg(item, models)}]"
        case Nullable(inner=inner):
            return f"{pyarg(inner, models)} | None"
    return pytype(ref, models)


def optional(ref: TypeRef, models: str = MODELS_ALIAS, *, arg: bool = False) -> str:
    """The annotation of an optional value: ``pytype`` (with ``arg``: ``pyarg``) with ``| None``
    unless already nullable."""
    spelled = pyarg(ref, models) if arg else pytype(ref, models)
    return spelled if isinstance(ref, Nullable) else f"{spelled} | None"


def constrained(
    ref: TypeRef,
    items: Constraints = (),
    own: Constraints = (),
    *,
    optional: bool = False,
    models: str = MODELS_ALIAS,
) -> str:
    """``pytype`` with documented constraints as pydantic ``Field``s: ``items`` on each item of a
    list, ``own`` on the value; with ``optional``, ``| None`` unless already nullable."""
    inner = ref.inner if isinstance(ref, Nullable) else ref
    if items and isinstance(inner, ListOf):
        item = f"Annotated[{pytype(inner.item, models)}, Field({_keywords(items)})]"
        spelled = f"list[{item}]" + (" | None" if isinstance(ref, Nullable) else "")
    else:
        spelled = pytype(ref, models)
    if own:
        spelled = f"Annotated[{spelled}, Field({_keywords(own)})]"
    return f"{spelled} | None" if optional and not isinstance(ref, Nullable) else spelled


def _keywords(constraints: Constraints) -> str:
    return ", ".join(f"{k}={pystr(v) if isinstance(v, str) else v!r}" for k, v in constraints)


FILTERS: dict[str, Callable[..., str]] = {
    "pystr": pystr,
    "docstring": docstring,
    "comment": comment,
    "toml": toml,
    "markdown": markdown,
    "markdown_code": markdown_code,
    "pytype": pytype,
    "optional": optional,
    "constrained": constrained,
    "pyarg": pyarg,
}
