"""A 204 response documented with content (ShipEngine's deletes): no body, and the server loads."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from generate_helpers import client_text

from generator.generate import generate
from tests.generate.conftest import write_files

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Bodiless", "version": "1"},
    "paths": {
        "/tags/{name}": {
            "delete": {
                "operationId": "deleteTag",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "204": {
                        "description": "deleted",
                        "content": {"application/json": {"schema": {"type": "string"}}},
                    }
                },
            }
        }
    },
}


def test_a_204_response_with_content_has_no_body_and_the_server_app_loads(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    generation = generate(path, name="bodiless")
    (warning,) = [d for d in generation.diagnostics if d.code == "response-content-ignored"]
    assert warning.location is not None
    assert warning.location.pointer == "/paths/~1tags~1{name}/delete/responses/204"
    client = client_text(generation.files)
    assert "def delete_tag(self, *, name: str) -> None:" in client
    write_files(generation.files, tmp_path / "out")
    roots = [str(tmp_path / "out" / f"bodiless_{target}") for target in ("models", "server")]
    sys.path[:0] = roots
    try:
        server = importlib.import_module("bodiless_server")
        assert "/tags/{name}" in server.create_app(server.Api()).openapi()["paths"]
    finally:
        for root in roots:
            sys.path.remove(root)
        for name in [m for m in sys.modules if m.startswith("bodiless_")]:
            del sys.modules[name]
