"""The strict [tool.apibind] configuration: defaults, relative paths, and errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import find_config, load_config
from generator.diagnostics import ApibindError

ROOT = Path(__file__).resolve().parents[2]


def pyproject(folder: Path, body: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n\n[tool.apibind]\n{body}\n')
    return path


def error_of(path: Path) -> ApibindError:
    with pytest.raises(ApibindError) as caught:
        load_config(path)
    return caught.value


def test_defaults_resolve_relative_to_the_config_file(tmp_path):
    config = load_config(pyproject(tmp_path, 'name = "acme"'))
    assert config.sources == (tmp_path / "specs/scraped",)
    assert config.spec == tmp_path / "specs/acme.openapi.yaml"
    assert config.output == tmp_path / "output"
    assert config.targets == ("models", "client", "server")
    assert config.overrides is None  # optional, and absent here
    assert config.templates is None and config.report is None


def test_every_key(tmp_path):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "over.yaml").write_text("{}\n")
    config = load_config(
        pyproject(
            tmp_path,
            'sources = ["a", "b/c.txt"]\nspec = "s/api.json"\noverrides = "over.yaml"\n'
            'output = "gen"\nname = "acme"\ntargets = ["models"]\ntemplates = "tpl"\n'
            'report = "r.json"',
        )
    )
    assert config.sources == (tmp_path / "a", tmp_path / "b/c.txt")
    assert config.spec == tmp_path / "s/api.json"
    assert config.overrides == tmp_path / "over.yaml"
    assert (config.output, config.name, config.targets) == (tmp_path / "gen", "acme", ("models",))
    assert (config.templates, config.report) == (tmp_path / "tpl", tmp_path / "r.json")


def test_name_may_be_left_to_the_spec_title_when_the_spec_path_does_not_use_it(tmp_path):
    config = load_config(pyproject(tmp_path, 'spec = "specs/api.yaml"'))
    assert config.name is None and config.spec == tmp_path / "specs/api.yaml"


def test_a_separate_toml_file_uses_its_top_level_and_its_own_folder(tmp_path):
    (tmp_path / "ci").mkdir()
    path = tmp_path / "ci" / "apibind.toml"
    path.write_text('name = "acme"\noutput = "../out"\n')
    config = load_config(path)
    assert config.output == tmp_path / "ci" / "../out"
    assert config.sources == (tmp_path / "ci" / "specs/scraped",)


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('name = "acme"\noutputs = "x"', "tool.apibind.outputs", "unknown key 'outputs'"),
        (
            'name = "acme"\nsources = 3',
            "tool.apibind.sources",
            "sources must be a list of paths, not int",
        ),
        ("name = 3", "tool.apibind.name", "name must be a str, not int"),
        ('name = "acme"\ntargets = ["models", 1]', "tool.apibind.targets", "must be a list of str"),
        (
            'name = "acme"\ntargets = ["docs"]',
            "tool.apibind.targets",
            "targets must be distinct values among",
        ),
        (
            'name = "acme"\ntargets = []',
            "tool.apibind.targets",
            "targets must be distinct values among",
        ),
        (
            'name = "../../etc"',
            "tool.apibind.name",
            "name '../../etc' is not a valid Python package name",
        ),
        ('name = "class"', "tool.apibind.name", "not a valid Python package name"),
        ("", "tool.apibind.name", "name is required (the spec path uses {name})"),
        (
            'name = "acme"\ntemplates = "nope"',
            "tool.apibind.templates",
            "templates folder 'nope' does not exist",
        ),
        ('name = "acme"\nsources = []', "tool.apibind.sources", "at least one"),
    ],
)
def test_bad_values_name_their_key(tmp_path, body, key, message):
    path = pyproject(tmp_path, body)
    [diagnostic] = error_of(path).diagnostics
    assert diagnostic.location is not None and diagnostic.location.key == key
    assert diagnostic.location.file == str(path)
    assert message in diagnostic.message


def test_all_problems_are_reported_together(tmp_path):
    error = error_of(pyproject(tmp_path, 'name = "acme"\nfoo = 1\nbar = 2\nspec = 3'))
    assert [d.location.key for d in error.diagnostics] == [
        "tool.apibind.foo",
        "tool.apibind.bar",
        "tool.apibind.spec",
    ]
    assert "known keys: sources, spec" in (error.diagnostics[0].hint or "")


def test_invalid_toml_gives_the_line(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.apibind]\nname = "acme"\noutput = \n')
    [diagnostic] = error_of(path).diagnostics
    assert diagnostic.location.line == 3 and "invalid TOML" in diagnostic.message


def test_pyproject_without_the_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n')
    assert "no [tool.apibind] table" in str(error_of(path))
    with pytest.raises(ApibindError, match="pass --config FILE"):
        find_config(tmp_path)


def test_find_config_walks_up(tmp_path):
    path = pyproject(tmp_path, 'name = "acme"')
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b") == path


def test_this_repository_builds_itself_from_its_config():
    config = load_config(ROOT / "pyproject.toml")
    assert config.name == "oracle_utilities"
    assert config.sources == (ROOT / "specs/scraped",)
    assert config.spec == ROOT / "specs/oracle_utilities.openapi.yaml"
    assert config.output == ROOT / "output"
    assert config.report == ROOT / "specs/oracle_utilities.report.json"


def test_sources_may_be_one_path(tmp_path):
    config = load_config(pyproject(tmp_path, 'name = "acme"\nsources = "specs/scraped"'))
    assert config.sources == (tmp_path / "specs/scraped",)


def test_name_reads_dashes_as_on_the_command_line_and_refuses_names_too_long(tmp_path):
    config = load_config(pyproject(tmp_path, 'name = "my-pkg"'))
    assert config.name == "my_pkg" and config.spec == tmp_path / "specs/my_pkg.openapi.yaml"
    [problem] = error_of(pyproject(tmp_path, f'name = "{"a" * 250}"')).diagnostics
    assert problem.message == "name is 250 characters long; at most 64 are accepted"
