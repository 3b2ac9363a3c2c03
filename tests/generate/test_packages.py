"""The generated packages as a user gets them: pip-installed, importable, lint- and type-clean."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ruff.__main__ import find_ruff_bin

from generator.generate import generate

SPECS = Path(__file__).parent / "specs"
INSTALLED = ("petstore", "features", "hostile", "service", "oracle")

IMPORTS = "\n".join(
    f"import {name}_models, {name}_client, {name}_server\n{name}_server.create_app({name}_server.Api())"
    for name in ("swagger_petstore", "feature_zoo", "hostile_import", "kiosk", "oracle_utilities")
)


def test_every_package_installs_with_pip_and_imports(run_python) -> None:
    result = run_python(IMPORTS + "\nprint('ok')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_oracle_packages_install_with_their_dependencies_in_a_fresh_venv(
    output_root: Path, tmp_path: Path
) -> None:
    """What a user does: a new venv, ``pip install`` of the three folders, nothing else."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = str(venv / "bin" / "python")
    projects = sorted(str(p) for p in (output_root / "oracle").iterdir())
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *projects],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    code = (
        "import oracle_utilities_client as c, oracle_utilities_server as s\n"
        "app = s.create_app(s.Api())\n"
        "assert app.openapi()['paths']\n"
        "with c.Client() as client: print(type(client).__name__)"
    )
    run = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "Client"


def test_each_project_has_pyproject_readme_and_py_typed(output_root: Path) -> None:
    for case in INSTALLED:
        projects = sorted(p.name for p in (output_root / case).iterdir())
        assert [p.rsplit("_", 1)[1] for p in projects] == ["client", "models", "server"]
        for project in projects:
            folder = output_root / case / project
            assert {"pyproject.toml", "README.md"} <= {p.name for p in folder.iterdir()}
            assert (folder / project / "py.typed").is_file()


def test_generated_code_is_ruff_clean_and_formatted(output_root: Path) -> None:
    ruff = find_ruff_bin()
    for project in sorted(output_root.glob("*/*")):
        check = subprocess.run(
            [ruff, "check", "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, f"{project.name}: {check.stdout}"
        form = subprocess.run(
            [ruff, "format", "--check", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert form.returncode == 0, f"{project.name}: {form.stdout}"


def test_generated_code_passes_mypy_strict(site: Path) -> None:
    packages = sorted(
        p.name
        for p in site.iterdir()
        if p.is_dir() and not p.name.endswith(("-info", "__pycache__"))
    )
    args = [arg for name in packages for arg in ("-p", name)]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            *args,
        ],
        cwd=site,
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(site)},
    )
    assert result.returncode == 0, result.stdout[-3000:]


def _digest_in_subprocess(seed: str, spec: Path) -> str:
    code = (
        "import hashlib, sys; from pathlib import Path; from generator.generate import generate\n"
        f"g = generate(Path({str(spec)!r}))\n"
        "h = hashlib.sha256()\n"
        "for p, t in sorted(g.files.items()): h.update(str(p).encode() + b'\\0' + t.encode() + b'\\0')\n"
        "print(h.hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_output_is_byte_identical_whatever_the_hash_seed(generated) -> None:
    spec = SPECS / "features.yaml"
    expected = hashlib.sha256()
    for path, text in sorted(generated("features").files.items()):
        expected.update(str(path).encode() + b"\0" + text.encode() + b"\0")
    assert {_digest_in_subprocess(seed, spec) for seed in ("1", "4242")} == {expected.hexdigest()}


def test_output_has_no_absolute_paths(generated) -> None:
    """Timestamps would break the hash-seed test above, which runs at other moments."""
    root = str(Path(__file__).resolve().parents[2])
    for case in INSTALLED:
        for path, text in generated(case).files.items():
            assert root not in text, path


def test_a_spec_without_operations_or_schemas_still_gives_clean_packages(tmp_path: Path) -> None:
    spec = tmp_path / "empty.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: Empty, version: '1'}\npaths: {}\n")
    for relative, text in generate(spec).files.items():
        (tmp_path / "out" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / relative).write_text(text)
    ruff = find_ruff_bin()
    for project in sorted((tmp_path / "out").iterdir()):
        check = subprocess.run(
            [ruff, "check", "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout


def test_readme_examples_are_valid_python(generated) -> None:
    import ast
    import re

    for case in INSTALLED:
        for path, text in generated(case).files.items():
            if path.name == "README.md":
                for block in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL):
                    ast.parse(block)  # raises with the line on a broken example
