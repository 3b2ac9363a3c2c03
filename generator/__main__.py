"""`python -m generator` and the `apibind` script: the command line, Ctrl-C handled from the start."""

from __future__ import annotations

import gc
import sys


def run() -> None:
    """Run apibind; a Ctrl-C while its modules load exits 130 with one line, like one later."""
    # apibind builds large trees it keeps (pages, specs, YAML nodes): the cyclic collector's default
    # threshold (700 objects) rescans them thousands of times, 20 % of parsing a 10,000-bullet page.
    # mypy raises it the same way.
    gc.set_threshold(50_000, 20, 20)
    try:
        from generator.cli import main
    except KeyboardInterrupt:
        print("apibind: interrupted", file=sys.stderr)
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
