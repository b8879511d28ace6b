"""Turn Odoo's module-loading log into one progress line per module.

Reads Odoo's log on stdin; prints "[n/m] module" for each module loaded and
passes warnings, errors and tracebacks through unchanged. Exits 1 when Odoo
logged an error, so that the calling script stops.
"""

import re
import sys

MODULE_LINE = re.compile(r"Loading module (\S+) \((\d+)/(\d+)\)")
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")


def main():
    failed = False
    passing_through = False
    for line in sys.stdin:
        match = MODULE_LINE.search(line)
        level = LEVEL.match(line)
        if match:
            name, index, total = match.groups()
            print(f"    [{index:>3}/{total}] {name}", flush=True)
            passing_through = False
        elif level:
            passing_through = level.group(1) in ("WARNING", "ERROR", "CRITICAL")
            failed = failed or level.group(1) in ("ERROR", "CRITICAL")
            if passing_through:
                print(line, end="", flush=True)
        elif passing_through or not line.startswith("20"):
            # Tracebacks and other continuation lines of a shown message.
            print(line, end="", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
