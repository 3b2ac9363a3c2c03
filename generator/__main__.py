"""`python -m generator` and the `apibind` script: the command line, Ctrl-C handled from the start."""

from __future__ import annotations

import sys


def run() -> None:
    """Run apibind; a Ctrl-C while its modules load exits 130 with one line, like one later."""
    try:
        from generator.cli import main
    except KeyboardInterrupt:
        print("apibind: interrupted", file=sys.stderr)
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
