"""Whole output trees compared with golden trees; refresh with --update-golden and review the diff.

The Oracle case's golden tree is the repository's own committed bindings in output/ (what
`apibind build` writes and `apibind check` guards); the small Petstore case lives in tests/golden/.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path, PurePosixPath

import pytest

from generator.write import MANIFEST, write_tree

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "output"
GOLDEN = {"petstore": ROOT / "tests" / "golden" / "petstore", "oracle": OUTPUT}
CASES = tuple(GOLDEN)


def on_disk(root: Path) -> dict[PurePosixPath, str]:
    return {
        PurePosixPath(path.relative_to(root).as_posix()): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


@pytest.mark.parametrize("case", CASES)
def test_output_matches_golden_tree(case: str, generated, update_golden: bool) -> None:
    files = generated(case).files
    root = GOLDEN[case]
    if update_golden:
        if root != OUTPUT:  # output/ keeps its manifests: write_tree updates it in place
            shutil.rmtree(root, ignore_errors=True)
        write_tree(files, root, force=True)
    expected = on_disk(root)
    hint = "rerun with `pytest tests/generate --update-golden` (or APIBIND_UPDATE_GOLDEN=1) and review the diff"
    assert sorted(files) == sorted(expected), hint
    for relative, text in files.items():
        if text != expected[relative]:
            diff = difflib.unified_diff(
                expected[relative].splitlines(), text.splitlines(), lineterm="", n=1
            )
            pytest.fail(
                f"{case}/{relative} differs from golden; {hint}\n" + "\n".join(list(diff)[:40])
            )
