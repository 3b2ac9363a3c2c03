"""The bundled scraped pages: golden spec, validity, completeness, determinism, the CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate
from scrape_helpers import schema_at

from generator.cli import main
from generator.scrape import parse_sources
from generator.specfile import dumps

ROOT = Path(__file__).resolve().parents[2]
SCRAPED = ROOT / "specs" / "scraped"
GOLDEN_SPEC = ROOT / "specs" / "oracle_utilities.openapi.yaml"


@pytest.fixture(scope="module")
def bundled() -> Any:
    cwd = Path.cwd()
    os.chdir(ROOT)  # file names in the spec and report are relative to the working directory
    try:
        return parse_sources([Path("specs/scraped")], overrides=Path("specs/overrides.yaml"))
    finally:
        os.chdir(cwd)


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in spec["paths"].values() for op in item.values()]


def test_committed_spec_is_what_the_parser_produces(bundled, update_golden) -> None:  # type: ignore[no-untyped-def]
    text = dumps(bundled.spec, GOLDEN_SPEC)
    if update_golden:
        GOLDEN_SPEC.write_text(text, encoding="utf-8")
    assert text == GOLDEN_SPEC.read_text(encoding="utf-8"), (
        "rerun with --update-golden and review the diff"
    )


def test_spec_is_valid_openapi_31(bundled) -> None:  # type: ignore[no-untyped-def]
    assert bundled.spec["openapi"] == "3.1.0"
    validate(bundled.spec)
    assert not bundled.diagnostics.errors


def test_every_index_operation_is_in_the_spec(bundled) -> None:  # type: ignore[no-untyped-def]
    index = (SCRAPED / "000_ce5b8d2015ebc163.txt").read_text(encoding="utf-8")
    listed = re.findall(r"^Method: (\w+)\nPath: (\S+)$", index, flags=re.MULTILINE)
    assert len(listed) == 228
    for method, path in listed:
        assert method in bundled.spec["paths"][path], f"{method} {path}"
    ids = [op["operationId"] for op in _operations(bundled.spec)]
    assert len(ids) == 229 and len(set(ids)) == 229  # + the unindexed detail page, all ids unique


def test_each_finding_is_reported_once(bundled) -> None:  # type: ignore[no-untyped-def]
    # a block borrowing another's property list used to repeat that list's example warning
    found = [(d.code, d.message, str(d.location)) for d in bundled.diagnostics]
    assert len(found) == len(set(found))


def test_only_operations_without_a_detail_page_are_marked_undocumented(bundled) -> None:  # type: ignore[no-untyped-def]
    for op in _operations(bundled.spec):
        documented = any(status != "default" for status in op["responses"])
        assert op.get("x-apibind-undocumented", False) is not documented, op["operationId"]


def test_named_pages_keep_their_exact_property_names(bundled) -> None:  # type: ignore[no-untyped-def]
    page = (SCRAPED / "002_4ea59fd956a0a932.txt").read_text(encoding="utf-8")
    root_block = page.split("Root Schema : C1BilSegSmry")[1].split("Nested Schema")[0]
    printed = re.findall(
        r"^(\w+): (?:string|number|boolean|object|array)$", root_block, flags=re.MULTILINE
    )
    schema = bundled.spec["components"]["schemas"]["C1BilSegSmry"]
    assert list(schema["properties"]) == printed


def test_one_shared_error_schema_for_every_detail_page(bundled) -> None:  # type: ignore[no-untyped-def]
    spec = bundled.spec
    assert spec["components"]["responses"]["BadRequest"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/ProblemDetailDocument"}
    detailed = [op for op in _operations(spec) if "400" in op["responses"]]
    assert len(detailed) == 4
    assert all(
        op["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"} for op in detailed
    )
    error = spec["components"]["schemas"]["ProblemDetailDocument"]
    assert list(error["properties"]) == [
        "detail",
        "httpStatus",
        "problemInstance",
        "problemType",
        "serverMessage",
        "stackTrace",
        "title",
    ]


def test_bullet_pages_carry_recovered_names_with_evidence(bundled) -> None:  # type: ignore[no-untyped-def]
    spec = bundled.spec
    op = spec["paths"]["/rest/apis/customer/financials/bills/{billId}/lifecycle"]["patch"]
    request = schema_at(spec, op["requestBody"]["content"]["application/json"]["schema"])
    names = list(request["properties"])
    assert names[:7] == [
        "accountingDate",
        "action",
        "allowEstimates",
        "billDate",
        "cancelReason",
        "creditNoteDate",
        "cutoffDate",
    ]
    for prop in request["properties"].values():
        assert {"source", "confidence", "evidence"} <= set(prop["x-apibind-name"])
    summary = bundled.report["summary"]
    assert summary["names_by_source"]["named-page"] > 0 and summary["names_by_source"]["label"] > 0


def test_report_lists_every_page_and_no_unexplained_line(bundled) -> None:  # type: ignore[no-untyped-def]
    pages = {Path(p["file"]).name: p for p in bundled.report["pages"]}
    assert sorted(pages) == sorted(p.name for p in SCRAPED.glob("*.txt"))
    assert pages["001_78098612a190788d.txt"]["layout"] == "bullet"
    assert pages["002_4ea59fd956a0a932.txt"]["layout"] == "named"
    assert pages["000_ce5b8d2015ebc163.txt"]["kind"] == "index"
    for entry in pages.values():
        assert all(line["explained"] for line in entry["unplaced_lines"]), entry["unplaced_lines"]


def test_output_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"spec-{seed}.yaml"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "parse",
                "-o",
                str(out),
                "--report",
                str(tmp_path / f"r{seed}.json"),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append((out.read_bytes(), (tmp_path / f"r{seed}.json").read_bytes()))
    assert outputs[0] == outputs[1]


def test_cli_writes_yaml_or_json_by_extension(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "spec.json"
    result = runner.invoke(main, ["parse", str(SCRAPED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["openapi"] == "3.1.0"
    assert json.loads((tmp_path / "spec.report.json").read_text())["summary"]["operations"] == 229
    yaml_out = tmp_path / "spec.yaml"
    assert runner.invoke(main, ["parse", str(SCRAPED), "-o", str(yaml_out)]).exit_code == 0
    assert yaml.safe_load(yaml_out.read_text()) == json.loads(out.read_text())


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "page-empty"),
        ("binary.txt", bytes(range(256)) * 4, "page-binary"),
        ("latin1.txt", "caf\xe9 Method: get".encode("latin-1"), "page-encoding"),
        ("other.txt", b"Welcome to my blog!\nToday I baked bread.\n", "page-unknown"),
    ],
)
def test_bad_pages_fail_cleanly_with_a_location_and_write_nothing(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["parse", str(tmp_path / name), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{name}:1: error:" in result.output and f"[{code}]" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_folder_with_no_pages_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(tmp_path), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1 and "no scraped pages" in result.output


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    out = tmp_path / "o.yaml"
    result = CliRunner().invoke(main, ["parse", str(SCRAPED), "-o", str(out), "--strict"])
    assert result.exit_code == 1 and "--strict" in result.output
    assert not out.exists()
