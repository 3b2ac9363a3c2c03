"""The review page in a real headless Chromium: decisions made on it become overrides that parse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.scrape.emit import structure_of
from tests.browser import OfflinePage

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "/requestBody/properties/unnamedProperty8"
LABELLED = "/requestBody/properties/accountingDate"
LIFECYCLE = "updateBillLifecycleAction"
SEGMENT = "createBillSegment"


def _project(folder: Path, pages: Path | None = None) -> Path:
    """A project with the bundled pages (or ``pages``) and this repository's overrides file."""
    shutil.copytree(pages or ROOT / "specs" / "scraped", folder / "pages")
    shutil.copy(ROOT / "specs" / "overrides.yaml", folder / "overrides.yaml")
    config = folder / "pyproject.toml"
    config.write_text(
        '[tool.apibind]\nsources = ["pages"]\nspec = "api.openapi.yaml"\n'
        'overrides = "overrides.yaml"\nreport = "api.report.json"\nname = "api"\n'
    )
    return config


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _parse(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any]]:
    monkeypatch.chdir(folder)
    _run("parse", "--config", "pyproject.toml")
    spec = yaml.safe_load((folder / "api.openapi.yaml").read_text())
    return spec, json.loads((folder / "api.report.json").read_text())


def _row(page: Any, operation: str, pointer: str) -> Any:
    rows = page.locator(f"#op-{operation} tr.item").filter(
        has=page.locator(".pointer", has_text=pointer)
    )
    return rows.filter(has=page.locator(f'.pointer:text-is("{pointer}")')).first


def _component(spec: dict[str, Any], operation: str) -> dict[str, Any]:
    for item in spec["paths"].values():
        for op in item.values():
            if op.get("operationId") == operation:
                ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    raise AssertionError(operation)


def test_decisions_on_the_page_become_the_overrides_a_parse_applies(
    offline_page: OfflinePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _project(tmp_path)
    before = json.loads((ROOT / "specs" / "oracle_utilities.report.json").read_text())
    _run("review", "--config", str(config), "-o", str(tmp_path / "review.html"))
    page = offline_page.page
    page.goto((tmp_path / "review.html").as_uri())

    rename = _row(page, LIFECYCLE, PLACEHOLDER).locator("input.rename")
    rename.fill("billingOption")
    rename.press("Enter")
    _row(page, LIFECYCLE, LABELLED).locator("td").first.click()  # select, then accept by key
    page.keyboard.press("a")
    page.locator(f'#op-{SEGMENT} input[type=radio][name="alt {SEGMENT} /requestBody"]').nth(
        1
    ).check()

    page.reload()  # decisions are kept in the browser's storage
    assert "2 of" in page.inner_text("#progress")
    assert "1 nestings chosen" in page.inner_text("#progress")
    with page.expect_download() as download:
        page.click("#download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    original = (ROOT / "specs" / "overrides.yaml").read_text(encoding="utf-8")
    assert text.startswith(original.split("overrides:")[0])  # the comments stay
    (tmp_path / "overrides.yaml").write_text(text, encoding="utf-8")
    chosen = json.loads(page.inner_text("#review-data"))["bodies"][f"{SEGMENT} /requestBody"][1]

    spec, report = _parse(tmp_path, monkeypatch)
    applied = {(o["operation"], o["pointer"]) for o in report["overrides"]["applied"]}
    assert applied == {(LIFECYCLE, PLACEHOLDER), (LIFECYCLE, LABELLED), (SEGMENT, "/requestBody")}
    assert report["overrides"]["unmatched"] == []
    lifecycle = _component(spec, LIFECYCLE)["properties"]
    assert lifecycle["billingOption"]["x-apibind-name"]["source"] == "override"
    assert lifecycle["accountingDate"]["x-apibind-name"]["source"] == "override"
    assert "unnamedProperty8" not in lifecycle
    assert structure_of(_component(spec, SEGMENT)) == structure_of(chosen)
    names, old = report["summary"]["names_by_source"], before["summary"]["names_by_source"]
    assert names.get("placeholder", 0) == old["placeholder"] - 1
    assert names["label"] == old["label"] - 1
    assert names["override"] == 2
    assert offline_page.blocked == []


HOSTILE_INDEX = """All REST Endpoints
Financial Transactions/Bill
Bills <script>window.__pwned = 1</script> are produced.
Get Bill <img src=x onerror="window.__pwned = 2">
Method: get
Path: /rest/apis/customer/financials/bills/{billId}
"""
HOSTILE_DETAIL = """Get Bill
get
https://server:port/spl/rest/apis/customer/financials/bills/{billId}
Request
Path Parameters
Supported Media Types
Response
Supported Media Types
200 Response
Success response
Body ()
Root Schema : C1-Bill
Type: object
Show Source
  • Bill Date </script><script>window.__pwned = 3</script> is the date.
    Example: 2021-10-05
  • Allowed Values: [ "C ", "P " ]
    Bill Status <img src=x onerror="window.__pwned = 4">. * `C ` - Complete, * `P ` - Pending
"""


def test_page_text_with_markup_renders_as_text(offline_page: OfflinePage, tmp_path: Path) -> None:
    pages = tmp_path / "hostile"
    pages.mkdir()
    (pages / "index.txt").write_text(HOSTILE_INDEX)
    (pages / "detail.txt").write_text(HOSTILE_DETAIL)
    project = tmp_path / "project"
    project.mkdir()
    config = _project(project, pages)
    _run("review", "--config", str(config), "-o", str(tmp_path / "review.html"))
    page = offline_page.page
    page.goto((tmp_path / "review.html").as_uri())
    page.locator("tr.item").nth(1).click()
    assert page.evaluate("window.__pwned") is None
    body = page.inner_text("body")
    assert "</script><script>window.__pwned = 3</script>" in body
    assert 'onerror="window.__pwned = 4"' in body
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the data block and the page's own script
    assert offline_page.blocked == []


STALE = """# why we pin things
overrides:
  - operation: GET /rest/apis/customer/financials/bills/{billId}  # this one is kept
    pointer: /responses/200/properties/unnamedProperty1
    rename: billDate
  # a property that is gone
  - operation: getBill
    pointer: /responses/200/properties/gone
    remove: true
"""


def test_a_stale_override_can_be_deleted_from_the_file(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    pages = tmp_path / "pages-src"
    pages.mkdir()
    (pages / "index.txt").write_text(HOSTILE_INDEX)
    (pages / "detail.txt").write_text(HOSTILE_DETAIL)
    project = tmp_path / "project"
    project.mkdir()
    config = _project(project, pages)
    (project / "overrides.yaml").write_text(STALE)
    _run("review", "--config", str(config), "-o", str(tmp_path / "review.html"))
    page = offline_page.page
    page.goto((tmp_path / "review.html").as_uri())
    assert page.locator(".badge.stale").count() == 1
    assert page.locator(".badge.pinned").count() == 1  # billDate, pinned by the first entry
    page.locator("input.drop").check()
    with page.expect_download() as download:
        page.click("#download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text == STALE.split("  # a property")[0]
    assert offline_page.blocked == []
