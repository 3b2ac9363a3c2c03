"""Evidence for parameters the pages lost: path parameters' descriptions, lost query lists."""

from __future__ import annotations

from pathlib import Path

from test_pages import BULLET, NAMED, SEARCH

from generator.scrape import ParseResult, parse_sources
from generator.specfile import dumps

# The next version prints the heading but lost the list under it.
SEARCH_LOST = SEARCH[: SEARCH.index("-\naccountId")] + SEARCH[SEARCH.index("There's no") :]


def _run(tmp_path: Path, text: str, evidence: list[str] | None = None) -> ParseResult:
    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    (folder / "page.txt").write_text(text, encoding="utf-8")
    return parse_sources([folder], evidence=evidence)


def _old(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "v1"
    folder.mkdir()
    (folder / "page.txt").write_text(text, encoding="utf-8")
    return folder


def _params(result: ParseResult) -> dict[str, dict]:  # type: ignore[type-arg]
    [item] = result.spec["paths"].values()
    return {p["name"]: p for p in item["get"].get("parameters", [])}


def test_a_path_parameter_the_page_lost_takes_its_description_from_evidence(
    tmp_path: Path,
) -> None:
    assert "description" not in _params(_run(tmp_path, BULLET))["billId"]
    old = _old(tmp_path, NAMED)
    billid = _params(_run(tmp_path, BULLET, [str(old)]))["billId"]
    assert billid["description"] == "Bill ID is the unique identifier of the bill."
    assert billid["example"] == "211122345678" and billid["required"] is True
    assert billid["x-apibind-type"]["source"] == "evidence"
    assert billid["x-apibind-type"]["evidence"].startswith(f"{old / 'page.txt'}:8:")


def test_a_lost_query_list_is_lent_by_the_pages_of_another_version(tmp_path: Path) -> None:
    assert _params(_run(tmp_path, SEARCH_LOST)) == {}
    result = _run(tmp_path, SEARCH_LOST, [str(_old(tmp_path, SEARCH))])
    params = _params(result)
    assert list(params) == ["accountId", "limit"]
    assert params["accountId"]["in"] == "query" and params["accountId"]["required"] is True
    assert params["limit"]["schema"] == {"type": "number", "maximum": 100}
    assert params["limit"]["x-apibind-name"]["source"] == "evidence"
    assert result.report["summary"]["names_by_source"] == {"evidence": 2}


def test_a_lost_query_list_is_lent_by_a_spec_with_its_lines(tmp_path: Path) -> None:
    spec = tmp_path / "v1.openapi.yaml"
    spec.write_text(dumps(_run(tmp_path, SEARCH).spec, spec), encoding="utf-8")
    params = _params(_run(tmp_path, SEARCH_LOST, [str(spec)]))
    assert params["limit"]["schema"] == {"type": "number", "maximum": 100}
    assert params["accountId"]["example"] == "1112345900"
    line = int(params["limit"]["x-apibind-name"]["evidence"].split(":")[1])
    assert spec.read_text().splitlines()[line - 1].strip() == "- name: limit"


def test_no_parameter_is_added_where_the_page_prints_no_parameter_heading(tmp_path: Path) -> None:
    without = SEARCH_LOST.replace("Query Parameters\n", "")
    assert _params(_run(tmp_path, without, [str(_old(tmp_path, SEARCH))])) == {}


def test_two_evidence_sources_that_disagree_on_a_parameter_are_reported(tmp_path: Path) -> None:
    one = _old(tmp_path, SEARCH)
    two = tmp_path / "v0"
    two.mkdir()
    (two / "page.txt").write_text(SEARCH.replace("limit: number", "limit: integer"))
    result = _run(tmp_path, SEARCH_LOST, [str(one), str(two)])
    limit = _params(result)["limit"]
    assert limit["schema"]["type"] == "number" and limit["x-apibind-name"]["confidence"] <= 0.5
    [warning] = [d for d in result.diagnostics if d.code == "evidence-disagrees"]
    assert "query parameter `limit`" in warning.message and "integer" in warning.message
