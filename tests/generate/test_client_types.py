"""Natural types in the generated client: enum parameters take their values (checked by mypy),
dates travel as ISO 8601, array and map responses are plain ``list`` / ``dict``, a shared enum is
named after its component. Against the generated Kiosk server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from generate_helpers import call_client

pytestmark = pytest.mark.usefixtures("on_path")
UTC = datetime.UTC


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest, kiosk: tuple[str, Any]) -> Any:
    import kiosk_client

    return lambda: getattr(kiosk_client, request.param)(kiosk[0])


def test_an_enum_parameter_takes_the_enum_or_its_value(make: Any, seen: Any) -> None:
    import kiosk_models

    by_value = call_client(make(), "list_animals", kind="rock pigeon")
    by_enum = call_client(make(), "list_animals", kind=kiosk_models.Kind.rock_pigeon)
    assert by_value == by_enum and [a.name for a in by_value.items] == ["Coo"]
    assert seen.received["kind"] is kiosk_models.Kind.rock_pigeon


def test_dates_are_typed_and_sent_in_iso_form(make: Any, seen: Any) -> None:
    since = datetime.datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    page = call_client(
        make(), "list_animals", born_after=datetime.date(2021, 1, 1), updated_since=since
    )
    assert [a.name for a in page.items] == ["Coo", "Kit"] and page.total == 3
    assert seen.last.query_params["born_after"] == "2021-01-01"
    assert seen.last.query_params["updated_since"] == "2024-05-01T10:30:00Z"
    assert seen.received["updated_since"] == since
    assert page.items[0].born == datetime.date(2021, 1, 30)


def test_array_and_map_responses_are_plain_lists_and_dicts(make: Any) -> None:
    import kiosk_models

    kinds = call_client(make(), "list_kinds")
    assert type(kinds) is list and kinds == list(kiosk_models.Kind)
    counts = call_client(make(), "count_animals")
    assert counts == {"cat": 2, "dog": 2, "rock pigeon": 1} and type(counts) is dict


def test_a_shared_parameter_enum_is_named_after_its_component() -> None:
    import kiosk_client
    import kiosk_models

    assert kiosk_models.Sort.born.value == "born"
    assert "ListAnimalsSort" not in dir(kiosk_models)
    hints = kiosk_client.Client.list_kinds.__annotations__
    assert hints["sort"].startswith("_m.Sort | Literal[")


USER_CODE = """
import datetime
import kiosk_client
import kiosk_models

with kiosk_client.Client("http://127.0.0.1:9") as client:
    page = client.list_animals(kind="dog", sort=kiosk_models.Sort.born, born_after=datetime.date(2020, 1, 1))
    kinds: list[kiosk_models.Kind] = client.list_kinds(sort="born")
    counts: dict[str, int] = client.count_animals()
    total: int = page.total
    names: list[str] = [a.name for a in client.paginate.list_animals(kind="dog")]
animal = kiosk_models.Animal(name="Tom", kind="dog", born=datetime.date(2020, 1, 1))
member: kiosk_models.Kind = animal.kind
"""


def test_mypy_accepts_enum_values_and_rejects_others(site: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text(USER_CODE, encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text(
        USER_CODE.replace('kind="dog"', 'kind="cow"').replace(
            "datetime.date(2020, 1, 1)", '"2020-01-01"'
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    env = {**os.environ, "MYPYPATH": str(site)}
    args = ["--cache-dir", os.devnull, str(good), str(bad)]
    result = subprocess.run(
        [*command, *args], cwd=site, env=env, capture_output=True, text=True, check=False
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert all(line.startswith(str(bad)) for line in errors), result.stdout
    assert any('"kind"' in line and "cow" in line for line in errors), result.stdout
    assert any('"Animal"' in line and "cow" in line for line in errors), result.stdout
    assert any('"born_after"' in line for line in errors), result.stdout


def test_a_model_field_takes_an_enum_value_and_keeps_the_member() -> None:
    import kiosk_models

    animal = kiosk_models.Animal(name="Tom", kind="cat", born="2020-01-01")
    assert animal.kind is kiosk_models.Kind.cat
