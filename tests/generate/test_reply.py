"""Typed response headers and a chosen 2xx status (``Reply``) in the generated server, over
uvicorn on 127.0.0.1 (``specs/headers.yaml``): set with their documented names and serialized in
OpenAPI's simple style; off-contract ones answer the documented 500; mypy checks their types."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.generate import generate
from tests.generate.conftest import SPECS, Live

PET = {"id": 1, "name": "rex"}


@pytest.fixture(scope="module")
def server(server_of: Callable[[str], Any]) -> Any:
    return server_of("headers")


def _serve(live: Live, server: Any, **methods: Any) -> str:
    """``live`` serving an ``Api`` whose operations answer what ``methods`` give."""
    members = {name: _answering(value) for name, value in methods.items()}
    live.app = server.create_app(type("Impl", (server.Api,), members)())
    return live.url


def _answering(value: Any) -> Any:
    async def operation(self: Any, **kwargs: Any) -> Any:
        return value() if callable(value) else value

    return operation


def test_documented_headers_are_set_by_their_names(live: Live, server: Any) -> None:
    import header_shop_models as models

    headers = server.api.ListReposHeaders(
        link='</repos?page=2>; rel="next"',
        x_rate_limit_remaining=42,
        x_tags=["a", "b"],
        x_flags=[1, 2],
        x_cached=False,
        x_mood=models.ListReposXMoodHeader.busy,
    )
    url = _serve(live, server, list_repos=server.Reply(["apibind"], headers))
    answer = httpx.get(f"{url}/repos")
    assert (answer.status_code, answer.json()) == (200, ["apibind"])
    assert answer.headers["Link"] == '</repos?page=2>; rel="next"'
    assert answer.headers["X-RateLimit-Remaining"] == "42"
    assert answer.headers["X-Tags"] == "a,b" and answer.headers["X-Flags"] == "1,2"
    assert answer.headers["X-Cached"] == "false" and answer.headers["X-Mood"] == "busy"


def test_petstore_x_next_is_optional(live: Live, server: Any) -> None:
    paged = server.Reply([PET], server.api.ListPetsHeaders(x_next="/pets?page=2"))
    url = _serve(live, server, list_pets=paged)
    answer = httpx.get(f"{url}/pets")
    assert (answer.status_code, answer.json(), answer.headers["x-next"]) == (
        200,
        [PET],
        "/pets?page=2",
    )
    url = _serve(live, server, list_pets=[PET])  # the body alone: no header
    answer = httpx.get(f"{url}/pets")
    assert (answer.status_code, answer.json()) == (200, [PET]) and "x-next" not in answer.headers


def test_a_documented_2xx_status_is_chosen_with_its_required_headers(
    live: Live, server: Any
) -> None:
    created = server.Reply(PET, server.api.CreatePetHeaders(location="/pets/1"), status_code=201)
    url = _serve(live, server, create_pet=created)
    answer = httpx.post(f"{url}/pets", json=PET)
    assert (answer.status_code, answer.headers["Location"], answer.json()) == (201, "/pets/1", PET)
    url = _serve(live, server, create_pet=PET)
    assert httpx.post(f"{url}/pets", json=PET).status_code == 200  # the first documented 2xx


def test_a_status_is_chosen_where_no_header_is_documented(live: Live, server: Any) -> None:
    url = _serve(live, server, vote=server.Reply(3, None, status_code=202))
    assert (httpx.post(f"{url}/votes").status_code, httpx.post(f"{url}/votes").json()) == (202, 3)
    url = _serve(live, server, vote=3)
    assert httpx.post(f"{url}/votes").status_code == 200


def test_text_and_bodiless_answers_carry_their_headers(live: Live, server: Any) -> None:
    expires = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    url = _serve(
        live,
        server,
        motd=server.Reply("hello", server.api.MotdHeaders(x_expires=expires)),
        ping=server.Reply(None, server.api.PingHeaders(x_uptime=1.5)),
    )
    motd = httpx.get(f"{url}/motd")
    assert (motd.status_code, motd.text, motd.headers["X-Expires"]) == (
        200,
        "hello",
        "2026-01-01T00:00:00Z",
    )
    assert motd.headers["content-type"].startswith("text/plain")
    ping = httpx.get(f"{url}/ping")
    assert (ping.status_code, ping.content, ping.headers["X-Uptime"]) == (204, b"", "1.5")


def test_a_structured_header_is_typed_as_text_with_a_warning() -> None:
    generation = generate(SPECS / "headers.yaml", only=frozenset({"server"}))
    warned = [d for d in generation.diagnostics if d.code == "parameter-simplified"]
    assert [d.message for d in warned] == ["response header has a structured schema; typed as str"]
    api = next(text for path, text in generation.files.items() if path.name == "api.py")
    assert 'x_meta: str | None = _dc.field(default=None, metadata={"header": "X-Meta"})' in api


def _off_contract(server: Any) -> dict[str, tuple[str, str, Any]]:
    """Answers that break the contract: (operation, method and path, what it returns)."""
    pets = server.api.ListPetsHeaders
    repos = server.api.ListReposHeaders
    return {
        "wrong type": ("list_pets", "GET /pets", server.Reply([PET], pets(x_next=5))),
        "header injection": (
            "list_pets",
            "GET /pets",
            server.Reply([PET], pets(x_next="a\r\nSet-Cookie: s=1")),
        ),
        "not latin-1": ("list_pets", "GET /pets", server.Reply([PET], pets(x_next="🐶"))),
        "another operation's class": (
            "list_pets",
            "GET /pets",
            server.Reply([PET], repos(x_rate_limit_remaining=1)),
        ),
        "below its minimum": (
            "list_repos",
            "GET /repos",
            server.Reply([], repos(x_rate_limit_remaining=-1)),
        ),
        "required header missing": ("list_repos", "GET /repos", []),
        "required for that status": (
            "create_pet",
            "POST /pets",
            server.Reply(PET, server.api.CreatePetHeaders(), status_code=201),
        ),
        "undocumented status": (
            "create_pet",
            "POST /pets",
            server.Reply(PET, server.api.CreatePetHeaders(), status_code=202),
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "wrong type",
        "header injection",
        "not latin-1",
        "another operation's class",
        "below its minimum",
        "required header missing",
        "required for that status",
        "undocumented status",
    ],
)
def test_off_contract_headers_and_statuses_answer_the_documented_500(
    live: Live, server: Any, case: str
) -> None:
    operation, route, answered = _off_contract(server)[case]
    url = _serve(live, server, **{operation: answered})
    method, path = route.split()
    answer = httpx.request(method, f"{url}{path}", json=PET if method == "POST" else None)
    assert answer.status_code == 500, answer.text
    assert "Set-Cookie" not in answer.headers
    expected = "the implementation's answer does not match the documented response schema"
    if path == "/pets" and method == "GET":  # it documents `default: {code, message}`
        assert answer.json() == {"code": 500, "message": expected}
    else:
        assert answer.json()["detail"] == expected


USER_CODE = """
from header_shop_server import Api, Reply
from header_shop_server.api import ListPetsHeaders, ListReposHeaders
import header_shop_models as models


class Mine(Api):
    async def list_repos(self) -> Reply[list[str], ListReposHeaders]:
        return Reply(["apibind"], ListReposHeaders(x_rate_limit_remaining=42, link="<next>"))

    async def list_pets(
        self, *, limit: int | None = None
    ) -> list[models.Pet] | Reply[list[models.Pet], ListPetsHeaders]:
        return [] if limit else Reply([], ListPetsHeaders(x_next="/pets?page=2"))
"""
# the same, wrong: a header of the wrong type, and the body alone where a header is required
BAD_CODE = (
    USER_CODE.replace("x_rate_limit_remaining=42", 'x_rate_limit_remaining="42"')
    .replace('x_next="/pets?page=2"', "x_next=2")
    .replace("Reply[list[str], ListReposHeaders]:", "list[str]:")
)


def test_mypy_checks_the_header_types_and_the_package_is_clean(server: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text(USER_CODE, encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text(BAD_CODE, encoding="utf-8")
    project = Path(server.__file__).parents[1]
    packages = [project, project.parent / "header_shop_models"]
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(map(str, packages))}
    args = ["--cache-dir", os.devnull, str(good), str(bad)]
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors and all(line.startswith(str(bad)) for line in errors), result.stdout
    assert any('"x_rate_limit_remaining"' in line and '"str"' in line for line in errors), errors
    assert any('"x_next"' in line and '"int"' in line for line in errors), errors
    assert any("list_repos" in line and "supertype" in line for line in errors), errors
    # the package itself is mypy-clean (no error outside bad.py, above) and ruff-clean
    ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet", str(project)]
    linted = subprocess.run(ruff, capture_output=True, text=True, check=False)
    assert linted.returncode == 0, linted.stdout
