"""The models package loads classes on first use, and type checkers still see every one of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import modelsplit
from generator.generate import generate

SPECS = Path(__file__).parent / "specs"


def test_importing_the_package_loads_no_class_and_first_use_loads_only_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modelsplit, "MODULE_LINES", 1)  # one module per group of classes
    files = generate(SPECS / "features.yaml", only=frozenset({"models"})).files
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    code = (
        "import sys, feature_zoo_models as m\n"
        "loaded = lambda: sorted(k for k in sys.modules if k.startswith('feature_zoo_models._'))\n"
        "assert loaded() == [], loaded()\n"
        "from feature_zoo_models import TreeNode\n"
        "assert TreeNode is m.TreeNode and TreeNode.__module__ in loaded()\n"
        "assert 0 < len(loaded()) < len(m._MODULES), loaded()\n"
        "assert set(m.__all__) <= set(dir(m)) and len(m.__all__) == len(set(m.__all__))\n"
        "try:\n    m.NoSuchModel\nexcept AttributeError as e:\n    print('missing:', e)\n"
        "from feature_zoo_models import *\n"
        "assert len(loaded()) == len(m._MODULES)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "feature_zoo_models")}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "has no attribute 'NoSuchModel'" in result.stdout


def test_first_use_from_many_threads_gives_one_class_each(run_python) -> None:
    code = (
        "import threading, feature_zoo_models as m\n"
        "barrier, seen = threading.Barrier(8), []\n"
        "def touch(k):\n"
        "    names = m.__all__[k:] + m.__all__[:k]\n"
        "    barrier.wait()\n"
        "    seen.append({n: id(getattr(m, n)) for n in names})\n"
        "threads = [threading.Thread(target=touch, args=(k,)) for k in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert len(seen) == 8 and all(s == seen[0] for s in seen)\n"
        "print(len(seen[0]))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10


def test_recursive_models_pickle_and_give_their_json_schema_on_first_use(run_python) -> None:
    code = (
        "import pickle, feature_zoo_models as m\n"
        "schema = m.TreeNode.model_json_schema()\n"
        "assert 'TreeNode' in str(schema), schema\n"
        "tree = m.TreeNode.model_validate({'value': 'a', 'children': [{'value': 'b'}]})\n"
        "assert pickle.loads(pickle.dumps(tree)) == tree\n"
        "pet = m.Pet.model_validate({'petType': 'dog'})\n"
        "assert pickle.loads(pickle.dumps(pet)) == pet\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr


def test_type_checkers_see_the_concrete_classes(site: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(
        "import feature_zoo_models as m\n"
        "from feature_zoo_models import TreeNode\n"
        "reveal_type(m.TreeNode)\n"
        "reveal_type(TreeNode.model_validate({}).children)\n"
        "m.NoSuchModel\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            user,
        ],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(site)},
    )
    out = result.stdout
    assert 'Revealed type is "def (' in out and "-> feature_zoo_models._" in out, out
    assert "list[feature_zoo_models._" in out and ".TreeNode]" in out, out
    assert 'Module has no attribute "NoSuchModel"' in out, out
    assert out.count("error:") == 1, out


def test_importing_the_client_loads_no_model_class(run_python) -> None:
    code = (
        "import sys, feature_zoo_client\n"
        "print(sorted(k for k in sys.modules if k.startswith('feature_zoo_models._')))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
