"""Parse time of hostile pages (issue 9): each must stay near-linear, goal under 5 s.

    python bench/parse_hostile.py        # prints a table, writes bench/results/parse-hostile.json

Inputs are built here from the bundled pages: ``bullets-10k`` (one schema of 10,000 bullets whose
labels are out of alphabetical order, ~640 KB), ``no-bullets`` (the bundled 16 KB bullet page
``003_*`` with every bullet removed: every block lost its property list) and ``nested-80`` (80
nested array/items pairs, refused with a located error) and ``lost-60`` (a root and 60 object blocks in
alphabetical order, every property list lost: the nesting search is capped). Each runs ``apibind parse`` in its own
process; the wall and CPU times include start-up and the spec validation.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULLET_PAGE = ROOT / "specs" / "scraped" / "003_27e1d0697bf92696.txt"
HEAD = [
    "Action Bill",
    "patch",
    "https://server:port/spl/rest/apis/customer/financials/bills/{billId}/lifecycle",
    "Response",
    "200 Response",
    "Success response",
    "Root Schema : C1ActionBill",
    "Type: object",
    "Show Source",
]
WORDS = [
    "Account",
    "Bill",
    "Charge",
    "Date",
    "Entity",
    "Field",
    "Group",
    "Hold",
    "Item",
    "Job",
    "Key",
    "Line",
    "Meter",
    "Note",
]


def bullets(count: int) -> str:
    rng = random.Random(0)
    lines = list(HEAD)
    for i in range(count):
        label = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        lines += [f"  • Maximum Length: {rng.randint(1, 60)}", f"    {label} defines the value."]
    return "\n".join(lines) + "\n"


def without_bullets() -> str:
    kept, skipping = [], False
    for line in BULLET_PAGE.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("•"):
            skipping = True
        elif not (skipping and line.startswith("    ")):
            skipping = False
            kept.append(line)
    return "\n".join(kept) + "\n"


def nested(pairs: int) -> str:
    lines = [*HEAD, "  • p0"]
    for i in range(pairs):
        lines += [f"Nested Schema : p{i}", "Type: array", "Show Source", "Nested Schema : items"]
        lines += ["Type: object", "Show Source", f"  • p{i + 1}"]
    return "\n".join(lines) + "\n"


def lost_lists(blocks: int) -> str:
    lines = [*HEAD[:6], "Root Schema : C1ActionBill", "Type: object", "Show Source"]
    for i in range(blocks):
        lines += [f"Nested Schema : a{i:03d}", "Type: object", "Show Source"]
    return "\n".join(lines) + "\n"


def main() -> None:
    cases = {
        "bullets-10k": bullets(10_000),
        "no-bullets": without_bullets(),
        "nested-80": nested(80),
        "lost-60": lost_lists(60),
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases.items():
            folder = Path(tmp) / name
            folder.mkdir()
            (folder / "page.txt").write_text(text, encoding="utf-8")
            command = ["apibind", "parse", str(folder), "-o", str(Path(tmp) / f"{name}.yaml")]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            seconds = round(time.perf_counter() - start, 2)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            results[name] = {
                "bytes": len(text.encode()),
                "seconds": seconds,
                "cpu_seconds": round(cpu, 2),
                "exit": done.returncode,
            }
            print(
                f"{name:12} {len(text.encode()):>9} B  {seconds:6.2f} s  {cpu:6.2f} s CPU  exit {done.returncode}"
            )
    out = ROOT / "bench" / "results" / "parse-hostile.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if all(r["exit"] in (0, 1) for r in results.values()) else 1)


if __name__ == "__main__":
    main()
