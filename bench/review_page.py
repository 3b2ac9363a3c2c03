"""The review page of the bundled pages: size, time to open in headless Chromium, screenshots.

    python bench/review_page.py        # writes bench/results/review.json and docs/review-*.png

Runs `apibind review` on this repository's configuration (timed), opens the page from file://
in Debian's Chromium through playwright with the network blocked, times it until the page's
script has run (the progress line is filled in), and screenshots the summary, one operation
and an ambiguous nesting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPERATION = "updateBillLifecycleAction"  # the operation shown in the README screenshot
SELECTED = "unnamedProperty8"  # its row selected there: a placeholder
NESTED = "createBillSegment"  # the operation whose ambiguous nesting is shown
VIEW = {"width": 1400, "height": 900}


def main() -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.browser import CHROMIUM_ARGS, chromium_path  # the tests' browser setup

    out = Path(tempfile.mkdtemp(prefix="apibind-review-")) / "review.html"
    started = time.monotonic()
    subprocess.run(["apibind", "review", "-o", str(out)], cwd=ROOT, check=True, capture_output=True)
    generate = time.monotonic() - started
    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEW)
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (blocked.append(route.request.url), route.abort())
            ),
        )
        opened: list[float] = []
        in_browser: list[float] = []  # navigation start -> the page's script done
        for _ in range(3):
            started = time.monotonic()
            page.goto(out.as_uri())
            page.wait_for_function("document.getElementById('progress').textContent !== ''")
            opened.append(time.monotonic() - started)
            in_browser.append(page.evaluate("performance.now()") / 1000)
        docs = ROOT / "docs"
        page.screenshot(path=str(docs / "review-summary.png"))
        row = page.locator(f"#op-{OPERATION} tr.item").filter(has_text=SELECTED).first
        row.locator("td").first.click()
        row.evaluate("row => row.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(docs / "review-operation.png"))
        nesting = page.locator(f"#op-{NESTED} .alternatives").first
        nesting.evaluate("box => box.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -130)")
        page.screenshot(path=str(docs / "review-nesting.png"))
        browser.close()
    result = {
        "page_bytes": out.stat().st_size,
        "apibind_review_seconds": round(generate, 2),
        "open_seconds": [round(t, 3) for t in opened],
        "open_seconds_in_browser": [round(t, 3) for t in in_browser],
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "blocked_requests": blocked,
    }
    (ROOT / "bench" / "results" / "review.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
