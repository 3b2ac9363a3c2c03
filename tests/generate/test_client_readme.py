"""The client README's examples run: every Python block of the Kiosk client's README, in order,
against the generated Kiosk server on 127.0.0.1 (its spec server URL replaced by the live one)."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import pytest
from generate_helpers import call_client

from generator.generate import Generation

pytestmark = pytest.mark.usefixtures("on_path")
SPEC_URL = "http://127.0.0.1:9/v1"  # the server of specs/service.yaml


def blocks(generation: Generation, project: str) -> list[str]:
    readme = generation.files[PurePosixPath(project, "README.md")]
    return re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)


def test_every_readme_example_runs_against_the_server(
    generated: Callable[[str], Generation], kiosk: tuple[str, Any], seen: Any
) -> None:
    examples = blocks(generated("service"), "kiosk_client")
    assert len(examples) >= 8
    namespace: dict[str, Any] = {}
    for number, code in enumerate(examples):
        assert SPEC_URL in code or "ClientCredentials(" in code or "with_options" in code
        compiled = compile(code.replace(SPEC_URL, kiosk[0]), f"README.md block {number}", "exec")
        exec(compiled, namespace)  # running the README example is the test
    # the first example passes the credential the first operation's server requires
    basic = "Basic " + base64.b64encode(b"user:password").decode()
    assert namespace["result"] == namespace["raw"].parsed == {"authorization": basic}
    assert namespace["statuses"] == [200]  # the event hook saw the logging example's call
    assert [a.name for a in namespace["items"]] == ["Tom", "Rex", "Coo", "Kit", "Ace"]
    assert [page.total for page in namespace["pages"]] == [5, 5, 5]
    assert [len(page.items) for page in namespace["first_pages"]] == [2, 2]  # max_pages=2
    with namespace["steady"] as steady:  # the retry budget example's client retries
        seen.attempts.clear()
        assert steady.get_flaky(fail=1) == 2 and steady._budget.budget.reserve == 5
    seen.challenge = namespace["pkce"].challenge  # the authorization code example signs in
    with namespace["signed_in"]("the-code") as signed:
        assert signed.whoami()["authorization"].startswith("Bearer tok-")
    seen.refresh_tokens.add("a-stored-refresh-token")
    stored = namespace["Client"](kiosk[0], oauth=namespace["stored"])
    assert call_client(stored, "whoami")["authorization"].startswith("Bearer tok-")
    client, fast, admin = namespace["client"], namespace["fast"], namespace["admin"]
    with client, fast, admin:
        fast.with_auth(bearer="token").whoami()
        admin.whoami()
        client.with_auth(bearer="token").whoami()  # the server wants a credential
    logging.getLogger("kiosk_client").setLevel(logging.NOTSET)  # as before the example
    calls = [r for r in seen.requests if r.url.path == "/whoami"]
    fast_request, admin_request, client_request = calls[-3:]
    assert fast_request.headers["X-Request-Id"] == "42"
    # only the first satisfied requirement of /whoami is sent: basic, the admin's
    admin_basic = "Basic " + base64.b64encode(b"admin:password").decode()
    assert admin_request.headers["Authorization"] == admin_basic
    assert "X-Api-Key" not in admin_request.headers
    assert client_request.headers["User-Agent"] == "my-app/1.0"


def test_a_relative_spec_server_gets_an_absolute_example_url(
    generated: Callable[[str], Generation],
) -> None:
    import swagger_petstore_client as pets

    examples = blocks(generated("petstore"), "swagger_petstore_client")
    urls = {url for code in examples for url in re.findall(r'Client\(\s*"([^"]+)"', code)}
    assert urls == {"https://api.example.test/api/v3"}
    pets.Client(urls.pop()).close()
