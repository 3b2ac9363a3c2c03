"""The bundled spec through the linters other teams use: errors and warnings per rule.

    python bench/lint_spec.py            # specs/oracle_utilities.openapi.yaml
    python bench/lint_spec.py SPEC

Installs ``@stoplight/spectral-cli`` and ``@redocly/cli`` from npm into bench/.cache/lint/
(git-ignored) on first use, then runs ``spectral lint`` with the ``spectral:oas`` ruleset and
``redocly lint`` with the committed ``redocly.yaml`` (``recommended``). Results:
bench/results/lint.json. Exit 1 when either linter reports an error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache" / "lint"
RESULTS = ROOT / "bench" / "results"
PACKAGES = ("@stoplight/spectral-cli@6", "@redocly/cli@2")
SPECTRAL_SEVERITY = {0: "error", 1: "warn", 2: "info", 3: "hint"}


def _tool(name: str) -> Path:
    binary = CACHE / "node_modules" / ".bin" / name
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), *PACKAGES],
            check=True,
            capture_output=True,
        )
    return binary


def spectral(spec: Path) -> Counter[tuple[str, str]]:
    ruleset = CACHE / "spectral.yaml"
    ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
    run = subprocess.run(
        [str(_tool("spectral")), "lint", "-q", "-f", "json", "-r", str(ruleset), str(spec)],
        check=False,
        capture_output=True,
        text=True,
    )
    found = json.loads(run.stdout or "[]")
    return Counter((SPECTRAL_SEVERITY[p["severity"]], p["code"]) for p in found)


def redocly(spec: Path) -> Counter[tuple[str, str]]:
    run = subprocess.run(
        [str(_tool("redocly")), "lint", "--format", "json", "--max-problems", "100000", str(spec)],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = json.loads(run.stdout)["problems"]
    return Counter((p["severity"], p["ruleId"]) for p in found)


def main() -> int:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "specs/oracle_utilities.openapi.yaml"
    results = {"spectral:oas": spectral(spec), "redocly recommended": redocly(spec)}
    out: dict[str, dict[str, int]] = {}
    errors = 0
    for linter, counts in results.items():
        out[linter] = {f"{sev} {rule}": n for (sev, rule), n in sorted(counts.items())}
        errors += sum(n for (sev, _), n in counts.items() if sev == "error")
        total = Counter(sev for sev, _ in counts.elements())
        print(f"{linter}: {total['error']} errors, {total['warn']} warnings")
        for key, n in out[linter].items():
            print(f"  {n:5d}  {key}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lint.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
