"""A spec full of hostile names and texts: nothing from it may become code."""

from __future__ import annotations

import ast
from pathlib import Path

from generate_helpers import client_text

HOOK = """
import sys
events = []
def audit(event, args):
    if event in ("os.system", "subprocess.Popen", "os.exec", "os.spawn", "os.posix_spawn", "os._exit"):
        events.append(event)
sys.addaudithook(audit)
import hostile_import_models, hostile_import_client, hostile_import_server
app = hostile_import_server.create_app(hostile_import_server.Api())
app.openapi()
client = hostile_import_client.Client()
operations = [getattr(client, name) for name in dir(client)]  # every operation module loaded
print("events", events)
"""


def test_hostile_spec_packages_import_without_running_spec_text(run_python, tmp_path: Path) -> None:
    marker = Path("/tmp/apibind-pwned")
    marker.unlink(missing_ok=True)
    result = run_python(HOOK, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "events []"
    assert not marker.exists()


def test_hostile_text_stays_inside_literals_and_docstrings(generated) -> None:
    for path, text in generated("hostile").files.items():
        if path.suffix != ".py":
            continue
        tree = ast.parse(text)
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert "__import__" not in calls, path
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert "__import__" not in names, path


def test_hostile_names_become_safe_distinct_identifiers(generated) -> None:
    client = client_text(generated("hostile").files)
    tree = ast.parse(client)
    methods = {
        node.name: [a.arg for a in node.args.kwonlyargs]
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }
    assert {"import_", "import_2", "n_1_weird_id_with_spaces"} <= set(methods)
    params = methods["import_"]
    assert len(params) == len(set(params))
    assert {"class_", "n_1_st", "self_2", "body_2", "my_param", "my_param_2"} <= set(params)
