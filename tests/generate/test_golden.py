"""Whole output trees compared with tests/golden/<case>/; refresh with --update-golden and review the diff."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path, PurePosixPath

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = ("petstore", "oracle")


def on_disk(root: Path) -> dict[PurePosixPath, str]:
    return {
        PurePosixPath(path.relative_to(root).as_posix()): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("case", CASES)
def test_output_matches_golden_tree(case: str, generated, update_golden: bool) -> None:
    files = generated(case).files
    root = GOLDEN / case
    if update_golden:
        shutil.rmtree(root, ignore_errors=True)
        for relative, text in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text, encoding="utf-8")
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
