"""`apibind build` twice across a version change: named pages, then the next version's bullets."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from scrape_helpers import page

INDEX = page("""
    All REST Endpoints
    Financial Transactions/Bill Segment
    Bill segments hold the charges of one service agreement on one bill.
    Get Bill Segment
    Method: get
    Path: /rest/apis/customer/financials/billSegments/{billSegmentId}
""")

V1 = page("""
    Get Bill Segment
    get
    https://server:port/spl/rest/apis/customer/financials/billSegments/{billSegmentId}
    This operation retrieves a bill segment.
    Request
    Path Parameters
    -
    billSegmentId(required): string
    Bill Segment ID is the system-assigned unique identifier of the bill segment.Example:
    211366855400
    There's no request body for this operation.
    Back to TopResponse
    Supported Media Types
    - application/json
    200 Response
    Success response
    Root Schema : C1BilSeg
    Type:
    Show Source
    object-
    bill: object
    bill
    -
    billSegmentStatus: string
    Allowed Values:
    [ "10 ", "20 " ]Bill Segment Status: * `10 ` - Incomplete, * `20 ` - Error -
    cancelReason: string
    Maximum Length:
    4Cancel Reason defines why the bill segment is being canceled.Example:Wrong read -
    totalAmount: number
    Total Amount is the bill segment's amount.
    Nested Schema : bill
    Type:
    Show Source
    object
    -
    billId: string
    Maximum Length:
    12
    Bill ID is the system-assigned unique identifier of the bill. -
    isActive: boolean
    Active is true when the bill is active.
""")

# The next version: bullets that lost the scalar names, descriptions slightly reworded.
V2 = page("""
    Get Bill Segment
    get
    https://server:port/spl/rest/apis/customer/financials/billSegments/{billSegmentId}
    This operation retrieves a bill segment.
    Request
    Path Parameters
    Response
    Supported Media Types
    200 Response
    Success response
    Body ()
    Root Schema : C1BilSeg
    Type: object
    Show Source
      • bill
      • Allowed Values: [ "10 ", "20 " ]
        The status of the segment. * `10 ` - Incomplete, * `20 ` - Error
      • Maximum Length: 4
        Cancel Reason defines why the bill segment is canceled.
        Example: Wrong read
      • Total Amount is the amount of the bill segment.
    Nested Schema : bill
    Type: object
    Show Source
      • Maximum Length: 12
        Bill ID is the system assigned unique identifier of the bill.
      • Active is true if the bill is active.
""")

CONFIG = '[tool.apibind]\nname = "acme"\nsources = ["pages"]\ntargets = ["models"]\n'


def _apibind(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("apibind")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "generator"]
    return subprocess.run(
        [*command, *args], cwd=project, capture_output=True, text=True, check=False, timeout=300
    )


def _names(node: Any, at: str = "") -> set[str]:
    """Every property of the spec, as the pointer of its place (`.../properties/isActive`)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found |= _names(value, f"{at}/{key}")
            if key == "properties" and isinstance(value, dict):
                found |= {f"{at}/properties/{name}" for name in value}
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found |= _names(value, f"{at}/{i}")
    return found


def _at(spec: dict[str, Any], pointer: str) -> Any:
    node: Any = spec
    for token in pointer.strip("/").split("/"):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _pages(project: Path, text: str) -> None:
    shutil.rmtree(project / "pages", ignore_errors=True)
    (project / "pages").mkdir()
    (project / "pages" / "index.txt").write_text(INDEX, encoding="utf-8")
    (project / "pages" / "segment.txt").write_text(text, encoding="utf-8")


def test_build_twice_across_a_version_change_keeps_every_name(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    spec_file = project / "specs" / "acme.openapi.yaml"
    _pages(project, V1)
    first = _apibind(project, "build")
    assert first.returncode == 0, first.stderr
    shutil.copy(spec_file, tmp_path / "v1.openapi.yaml")
    v1 = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    [active] = [n for n in _names(v1) if n.endswith("/isActive")]  # lost by the next version

    _pages(project, V2)
    second = _apibind(project, "build")
    assert second.returncode == 0, second.stderr
    v2 = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    assert _names(v2) == _names(v1)
    lent = _at(v2, active)
    assert lent["x-apibind-name"]["source"] == "evidence"
    assert lent["x-apibind-name"]["confidence"] < 0.8  # reworded: named by its place, weakly
    assert lent["x-apibind-name"]["evidence"].startswith("specs/acme.openapi.yaml:")

    diff = _apibind(
        project, "diff", "--format", "json", str(tmp_path / "v1.openapi.yaml"), str(spec_file)
    )
    assert diff.returncode == 0, diff.stderr
    kinds = {c["kind"] for c in json.loads(diff.stdout)["changes"]}
    assert not {k for k in kinds if k.endswith(("-renamed", "-removed"))}, diff.stdout
