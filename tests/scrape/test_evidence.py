"""Evidence from another version (pages or a spec) names what the run's pages lost."""

from __future__ import annotations

from pathlib import Path

from scrape_helpers import codes
from test_pages import BULLET, NAMED

from generator.scrape import parse_sources
from generator.specfile import dumps

# The next version's bullet page: reworded descriptions, no label to guess `billStatus` from.
NEXT = BULLET.replace(
    "Bill Status. * `C ` - Complete", "The status of the bill, * `C ` - Complete"
).replace("Total Amount", "The amount due.")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _props(result) -> dict:  # type: ignore[no-untyped-def]
    return result.spec["components"]["schemas"]["C1Bill"]["properties"]


def test_without_evidence_the_lost_names_are_placeholders(tmp_path: Path) -> None:
    run = _write(tmp_path / "run", "bill.txt", NEXT)
    assert list(_props(parse_sources([run]))) == [
        "billDate",
        "unnamedProperty2",
        "unnamedProperty3",
    ]


def test_evidence_pages_of_another_version_lend_names(tmp_path: Path) -> None:
    old = _write(tmp_path / "v1", "bill.txt", NAMED)
    run = _write(tmp_path / "run", "bill.txt", NEXT)
    result = parse_sources([run], evidence=[str(old)])
    props = _props(result)
    assert list(props) == ["billDate", "billStatus", "totalAmount"]
    info = props["billStatus"]["x-apibind-name"]
    assert info["source"] == "evidence" and info["confidence"] >= 0.8
    assert info["evidence"].startswith(f"{old / 'bill.txt'}:")
    assert props["totalAmount"]["type"] == "number"  # the type came along
    assert result.report["summary"]["names_by_source"]["evidence"] == 2
    assert len(result.spec["paths"]) == 1  # evidence adds no operation


def test_evidence_from_a_spec_lends_names_with_its_line(tmp_path: Path) -> None:
    named = parse_sources([_write(tmp_path / "v1", "bill.txt", NAMED)])
    spec = tmp_path / "v1.openapi.yaml"
    spec.write_text(dumps(named.spec, spec), encoding="utf-8")
    run = _write(tmp_path / "run", "bill.txt", NEXT)
    props = _props(parse_sources([run], evidence=[str(spec)]))
    assert list(props) == ["billDate", "billStatus", "totalAmount"]
    evidence = props["billStatus"]["x-apibind-name"]["evidence"]
    line = int(evidence.split(":")[1])
    assert spec.read_text().splitlines()[line - 1].strip() == "billStatus:"


def test_a_moved_path_finds_its_evidence_by_title(tmp_path: Path) -> None:
    old = _write(tmp_path / "v1", "bill.txt", NAMED)
    moved = NEXT.replace("/bills/{billId}", "/billing/bills/{billId}")
    run = _write(tmp_path / "run", "bill.txt", moved)
    result = parse_sources([run], evidence=[str(old)])
    assert list(_props(result)) == ["billDate", "billStatus", "totalAmount"]
    assert list(result.spec["paths"]) == ["/rest/apis/customer/financials/billing/bills/{billId}"]


def test_a_printed_name_wins_over_evidence_and_the_conflict_is_reported(tmp_path: Path) -> None:
    old = _write(tmp_path / "v1", "bill.txt", NAMED)
    run = _write(tmp_path / "run", "bill.txt", NAMED.replace("billStatus:", "status:"))
    result = parse_sources([run], evidence=[str(old)])
    assert "status" in _props(result) and "billStatus" not in _props(result)
    assert "evidence-conflict" in codes(result)


def test_two_evidence_sources_that_disagree_lower_the_confidence(tmp_path: Path) -> None:
    one = _write(tmp_path / "v1", "bill.txt", NAMED)
    two = _write(tmp_path / "v2", "bill.txt", NAMED.replace("billStatus:", "billState:"))
    run = _write(tmp_path / "run", "bill.txt", NEXT)
    result = parse_sources([run], evidence=[str(one), str(two)])
    assert "evidence-disagrees" in codes(result)
    props = _props(result)
    lent = next(v for k, v in props.items() if k in ("billStatus", "billState"))
    assert lent["x-apibind-name"]["confidence"] <= 0.5


def test_evidence_from_git_reads_the_committed_pages(tmp_path: Path) -> None:
    run = _write(tmp_path / "run", "bill.txt", NEXT)
    result = parse_sources([run], evidence=["git:HEAD:specs/scraped/002_4ea59fd956a0a932.txt"])
    assert len(result.spec["paths"]) == 1


def test_a_version_change_keeps_every_name_and_diff_sees_no_rename(tmp_path: Path) -> None:
    """Named pages, then the next version's bullet pages with the last spec as evidence."""
    from click.testing import CliRunner

    from generator.cli import main

    v1 = tmp_path / "v1.openapi.yaml"
    v1.write_text(dumps(parse_sources([_write(tmp_path / "a", "b.txt", NAMED)]).spec, v1))
    v2 = tmp_path / "v2.openapi.yaml"
    run = _write(tmp_path / "b", "b.txt", NEXT)
    v2.write_text(dumps(parse_sources([run], evidence=[str(v1)]).spec, v2))
    assert list(_props(parse_sources([run], evidence=[str(v2)]))) == [
        "billDate",
        "billStatus",
        "totalAmount",
    ]
    out = CliRunner().invoke(main, ["diff", str(v1), str(v2)]).output
    assert "renamed" not in out and "removed" not in out, out


def test_build_uses_the_last_spec_as_evidence_unless_turned_off(tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.pipeline import _evidence

    config_file = tmp_path / "apibind.toml"
    config_file.write_text('name = "acme"\n')
    config = load_config(config_file)
    assert _evidence(config, tmp_path) == []  # no spec written yet
    config.spec.parent.mkdir(parents=True)
    config.spec.write_text("openapi: 3.1.0\n")
    assert _evidence(config, tmp_path) == ["specs/acme.openapi.yaml"]
    config_file.write_text('name = "acme"\nevidence = []\n')
    assert _evidence(load_config(config_file), tmp_path) == []
    config_file.write_text('name = "acme"\nevidence = ["old", "git:v1:specs/scraped"]\n')
    assert _evidence(load_config(config_file), tmp_path) == ["old", "git:v1:specs/scraped"]


def test_a_bare_property_is_named_by_its_place_with_low_confidence(tmp_path: Path) -> None:
    """`_link: string` prints nothing but its name: evidence at the same place, not confident."""
    named = NAMED.replace(
        "object-\nbillDate: string", "object-\n_link: string\n-\nbillDate: string"
    )
    bullet = NEXT.replace("  • Bill Date is", "  • (no description)\n  • Bill Date is")
    old = _write(tmp_path / "v1", "bill.txt", named)
    run = _write(tmp_path / "run", "bill.txt", bullet)
    assert "_link" not in _props(parse_sources([run]))
    props = _props(parse_sources([run], evidence=[str(old)]))
    assert next(iter(props)) == "_link"
    assert props["_link"]["x-apibind-name"]["confidence"] < 0.8
