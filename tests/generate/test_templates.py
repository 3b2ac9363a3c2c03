"""Templates: every variable they use is documented; user templates override one file at a time."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import jinja2
import pytest
from generate_helpers import client_text
from jinja2 import meta

import generator.runtime
from generator.diagnostics import ApibindError
from generator.generate import generate
from generator.render import (
    TARGETS,
    Renderer,
    builtin_templates,
    docstring,
    pystr,
    runtime_modules,
    template_names,
)

SPECS = Path(__file__).parent / "specs"
README = (builtin_templates() / "README.md").read_text()


def documented_variables() -> set[str]:
    section = README.split("## Variables", 1)[1].split("## Filters", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


def test_every_template_uses_only_documented_variables_and_is_listed() -> None:
    env = Renderer().env
    documented = documented_variables()
    assert {
        "api",
        "models_package",
        "client_package",
        "server_package",
        "models",
        "models_header",
        "modules",
        "module",
    } == documented
    for target in TARGETS:
        for name in template_names(target):
            source = env.loader.get_source(env, name)[0]
            used = meta.find_undeclared_variables(env.parse(source))
            assert used <= documented, (name, used - documented)
            assert f"`{name}`" in README or "py.typed" in name, f"{name} not in templates/README.md"


def test_a_user_template_overrides_one_file_and_the_rest_falls_back(tmp_path: Path) -> None:
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "README.md.jinja").write_text("# {{ client_package }} by us\n")
    files = generate(SPECS / "petstore.yaml", only=frozenset({"client"}), templates=tmp_path).files
    assert (
        files[PurePosixPath("swagger_petstore_client/README.md")]
        == "# swagger_petstore_client by us\n"
    )
    assert (
        "class Client"
        in files[PurePosixPath("swagger_petstore_client/swagger_petstore_client/client.py")]
    )
    assert all(path.parts[0] == "swagger_petstore_client" for path in files)


def test_template_errors_are_located(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "README.md.jinja").write_text("line\n{{ not_a_variable }}\n")
    with pytest.raises(ApibindError) as caught:
        generate(SPECS / "petstore.yaml", only=frozenset({"models"}), templates=tmp_path)
    problem = caught.value.diagnostics[0]
    assert problem.code == "template-error" and "not_a_variable" in problem.message


def test_generated_python_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    (tmp_path / "server" / "package").mkdir(parents=True)
    (tmp_path / "server" / "package" / "api.py.jinja").write_text("def broken(:\n")
    with pytest.raises(ApibindError) as caught:
        generate(SPECS / "petstore.yaml", only=frozenset({"server"}), templates=tmp_path)
    assert caught.value.diagnostics[0].code == "generated-syntax"


@pytest.mark.parametrize(
    "text", ['"""', "'''", "\\", "a\\", '\\"""', 'x\n"""\n__import__(\'os\')', "\x00\r\n"]
)
def test_escaping_filters_keep_text_inert(text: str) -> None:
    code = f'"""{docstring(text)}"""\nvalue = {pystr(text)}\n'
    namespace: dict[str, object] = {}
    exec(compile(code, "<test>", "exec"), namespace)
    assert namespace["value"] == text
    assert set(namespace) == {"__builtins__", "__doc__", "value"}
    expected = "".join(c if c.isprintable() or c == "\n" else " " for c in text).strip()
    assert [line.strip() for line in str(namespace["__doc__"]).splitlines()] == [
        line.strip() for line in expected.splitlines()
    ]


def test_strict_undefined_is_on() -> None:
    assert Renderer().env.undefined is jinja2.StrictUndefined


def test_an_override_matching_no_builtin_template_is_an_error_naming_the_known_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "READMEE.md.jinja").write_text("# typo\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ignored\n")
    with pytest.raises(ApibindError) as caught:
        generate(SPECS / "petstore.yaml", templates=tmp_path)
    (problem,) = caught.value.diagnostics
    assert problem.code == "templates-unknown"
    assert "client/READMEE.md.jinja" in problem.message
    assert "did you mean client/README.md.jinja?" in problem.message
    assert problem.hint is not None
    assert all(name in problem.hint for target in TARGETS for name in template_names(target))


def test_runtime_modules_are_copied_verbatim() -> None:
    files = generate(SPECS / "petstore.yaml", only=frozenset({"client"})).files
    folder = Path(generator.runtime.__file__).parent
    modules = runtime_modules("client")
    assert modules["client/package/_runtime.py"] == (folder / "client.py").read_text()
    assert modules["client/package/_lazy.py"] == (folder / "lazy.py").read_text()
    package = PurePosixPath("swagger_petstore_client/swagger_petstore_client")
    for name, source in modules.items():
        copied = files[package / PurePosixPath(name).name]
        assert copied == source
        if name not in ("client/package/_runtime.py", "client/package/_lazy.py"):
            assert source == (folder / PurePosixPath(name).name).read_text()


def test_the_shared_macros_shape_client_methods_and_can_be_overridden(tmp_path: Path) -> None:
    (tmp_path / "_macros").mkdir()
    macros = (builtin_templates() / "_macros" / "operations.jinja").read_text()
    marker = "{{ pad }}Deprecated."
    assert marker in macros
    (tmp_path / "_macros" / "operations.jinja").write_text(
        macros.replace('{{ pad }}"""{{ summary(op)', '{{ pad }}"""OVERRIDDEN {{ summary(op)')
    )
    files = generate(SPECS / "petstore.yaml", only=frozenset({"client"}), templates=tmp_path).files
    client = client_text(files)
    assert client.count('"""OVERRIDDEN ') == 2 * client.count("    async def ") > 0
