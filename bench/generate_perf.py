"""Generation speed and peak memory: apibind next to its peers, the Oracle spec, and a size series.

    python bench/generate_perf.py            # apibind on GitHub's spec, Oracle end to end, 1x..16x
    python bench/generate_perf.py --peers    # also openapi-python-client, openapi-generator, datamodel-codegen
    python bench/generate_perf.py --enums    # only: string enums of 20,000 / 40,000 / 50,000 values
                                             # and an integer enum of 50,000

Every measurement runs in its own process; wall time, the peak RSS of its largest process
(``getrusage(RUSAGE_CHILDREN)``) and the peak of the whole process tree's summed RSS (sampled from
/proc every 50 ms) are taken from a fresh wrapper each time. Peers are installed with
pip into bench/.cache/peers (``python -m venv bench/.cache/peers && bench/.cache/peers/bin/pip install
openapi-python-client openapi-generator-cli datamodel-code-generator==0.89.0 ruff``; Java for
openapi-generator). Results: bench/results/perf.json.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
PEERS = CACHE / "peers" / "bin"
GITHUB = CACHE / "octokit-openapi-23.0.2" / "package" / "generated" / "api.github.com.json"
ORACLE = ROOT / "specs" / "oracle_utilities.openapi.yaml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
APIBIND = [sys.executable, "-c", "from generator.cli import main; main()"]
WRAPPER = """
import json, os, resource, subprocess, sys, time

def tree_rss(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
tree_peak = 0
while child.poll() is None:
    tree_peak = max(tree_peak, tree_rss(child.pid))
    time.sleep(0.05)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss // 1024
print(
    json.dumps(
        {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": peak,
            "tree_peak_mb": tree_peak // 2**20,
            "exit": child.returncode,
        }
    )
)
"""


def measure(
    label: str, command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        env=None if env is None else os.environ | env,
    )
    result = {"label": label, **json.loads(done.stdout)}
    print(json.dumps(result), flush=True)
    return result


def version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    return (
        (done.stdout or done.stderr).strip().splitlines()[-1]
        if (done.stdout or done.stderr)
        else "unknown"
    )


def peers(spec: Path, out: Path) -> list[dict[str, Any]]:
    generator = [
        str(PEERS / "openapi-generator-cli"),
        "generate",
        "-i",
        str(spec),
        "--skip-validate-spec",
    ]
    runs = [
        (
            "openapi-python-client (client)",
            [
                str(PEERS / "openapi-python-client"),
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out / "opc"),
                "--overwrite",
            ],
        ),
        (
            "openapi-generator python (client+models)",
            [*generator, "-g", "python", "-o", str(out / "og-py")],
        ),
        (
            "openapi-generator python-fastapi (server)",
            [*generator, "-g", "python-fastapi", "-o", str(out / "og-fa")],
        ),
        (
            "datamodel-codegen --formatters ruff-format (models)",
            [
                str(PEERS / "datamodel-codegen"),
                "--input",
                str(spec),
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--formatters",
                "ruff-format",
                "--output",
                str(out / "dcg.py"),
            ],
        ),
    ]
    return [measure(label, command) for label, command in runs if Path(command[0]).exists()]


def multiplied(spec: dict[str, Any], factor: int) -> dict[str, Any]:
    """``spec`` with every path, operation and schema repeated ``factor`` times under new names."""
    out = copy.deepcopy(spec)
    schemas = spec.get("components", {}).get("schemas", {})
    out["paths"], out.setdefault("components", {})["schemas"] = {}, {}
    for copy_number in range(1, factor + 1):
        suffix = "" if copy_number == 1 else f"Copy{copy_number}"
        text = json.dumps({"paths": spec["paths"], "schemas": schemas})
        if suffix:
            text = re.sub(
                r'"#/components/schemas/([^"]+)"', rf'"#/components/schemas/\1{suffix}"', text
            )
            text = re.sub(r'"operationId": "([^"]+)"', rf'"operationId": "\1{suffix}"', text)
        part = json.loads(text)
        out["paths"] |= {
            (f"/copy{copy_number}{p}" if suffix else p): item for p, item in part["paths"].items()
        }
        out["components"]["schemas"] |= {
            f"{name}{suffix}": schema for name, schema in part["schemas"].items()
        }
    return out


def series(tmp: Path) -> list[dict[str, Any]]:
    base = yaml.safe_load(ORACLE.read_text())
    results = []
    for factor in (1, 2, 4, 8, 16):
        spec = tmp / f"oracle_x{factor}.json"
        spec.write_text(json.dumps(multiplied(base, factor)))
        result = measure(
            f"apibind generate Oracle x{factor}",
            [*APIBIND, "generate", str(spec), "-o", str(tmp / f"x{factor}")],
        )
        paths = json.loads(spec.read_text())["paths"].values()
        result["operations"] = sum(1 for item in paths for key in item if key in METHODS)
        results.append(result)
    return results


def enum_spec(count: int, kind_type: str = "string") -> dict[str, Any]:
    """A spec whose one string enum has ``count`` values that need renaming (``9eta_3``, ``a-b``),
    or whose integer enum has ``count`` values, negative ones among them."""
    rng = random.Random(count)
    words = ["alpha", "Beta", "GAMMA", "delta-x", "eps ilon", "zeta.z", "9eta", "class", "_u"]
    values: list[Any] = [f"{rng.choice(words)}_{i}" for i in range(count)]
    if kind_type == "integer":
        values = [i if i % 3 else -i for i in range(count)]
    kind = {"$ref": "#/components/schemas/Kind"}
    thing = {"type": "object", "properties": {"kind": kind | {"default": values[-1]}}}
    ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    operation = {
        "operationId": "getThing",
        "parameters": [{"name": "kind", "in": "query", "schema": kind}],
        "responses": {"200": {"description": "ok", **ok}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big enum", "version": "1"},
        "paths": {"/thing": {"get": operation}},
        "components": {"schemas": {"Kind": {"type": kind_type, "enum": values}, "Thing": thing}},
    }


def huge_enums(tmp: Path) -> list[dict[str, Any]]:
    """``apibind generate`` on each enum spec twice (hash seeds 1 and 2): time, ruff, same bytes."""
    results = []
    cases = [(20_000, "string"), (40_000, "string"), (50_000, "string"), (50_000, "integer")]
    for count, kind_type in cases:
        spec = tmp / f"enum{count}{kind_type}.json"
        spec.write_text(json.dumps(enum_spec(count, kind_type)))
        trees = []
        for seed in ("1", "2"):
            out = tmp / f"enum{count}{kind_type}-{seed}"
            command = [*APIBIND, "generate", str(spec), "-o", str(out)]
            label = (
                f"apibind generate, {kind_type} enum of {count:,} values (PYTHONHASHSEED={seed})"
            )
            result = measure(label, command, env={"PYTHONHASHSEED": seed})
            trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*.py")})
            results.append(result)
        models = tmp / f"enum{count}{kind_type}-1" / "big_enum_models"
        ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--extend-select", "PLE", "."]
        done = subprocess.run(ruff, cwd=models, capture_output=True, text=True, check=False)
        checks = {"ruff_clean": done.returncode == 0, "same_bytes": trees[0] == trees[1]}
        results[-1] |= checks
        print(json.dumps({"values": count, "type": kind_type} | checks), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", action="store_true", help="also time the peer generators")
    parser.add_argument("--enums", action="store_true", help="only the huge-enum cases")
    args = parser.parse_args()
    if args.enums:
        with tempfile.TemporaryDirectory(prefix="apibind-perf-") as tmp_name:
            enums = {"enums": huge_enums(Path(tmp_name))}
        (ROOT / "bench" / "results" / "perf-enums.json").write_text(json.dumps(enums, indent=1))
        return
    results: dict[str, Any] = {"versions": {"python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="apibind-perf-") as tmp_name:
        tmp = Path(tmp_name)
        results["github"] = [
            measure(
                "apibind generate GitHub (models+client+server)",
                [*APIBIND, "generate", str(GITHUB), "-o", str(tmp / "apibind")],
            )
        ]
        results["github"].append(
            measure(
                "apibind regenerate GitHub (unchanged output)",
                [*APIBIND, "generate", str(GITHUB), "-o", str(tmp / "apibind")],
            )
        )
        if args.peers:
            results["github"] += peers(GITHUB, tmp)
            results["versions"] |= {
                "openapi-python-client": version(
                    [str(PEERS / "openapi-python-client"), "--version"]
                ),
                "openapi-generator": version([str(PEERS / "openapi-generator-cli"), "version"]),
                "datamodel-codegen": version([str(PEERS / "datamodel-codegen"), "--version"]),
            }
        results["oracle"] = [
            measure(
                "apibind parse (scraped pages -> Oracle spec)",
                [*APIBIND, "parse", "-o", str(tmp / "oracle.yaml")],
            ),
            measure(
                "apibind generate Oracle spec",
                [*APIBIND, "generate", str(tmp / "oracle.yaml"), "-o", str(tmp / "oracle")],
            ),
        ]
        results["series"] = series(tmp)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "perf.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
