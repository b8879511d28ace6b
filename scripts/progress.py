"""Turn Odoo's module-loading log into one progress line.

Reads Odoo's log on stdin; shows "[n/m] module" for each module loaded (on a
terminal, one line rewritten in place; otherwise one line per module) and passes
warnings, errors and tracebacks through unchanged. Exits 1 when Odoo logged an
error, so that the calling script stops.
"""

import re
import sys

MODULE_LINE = re.compile(r"Loading module (\S+) \((\d+)/(\d+)\)")
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")


def main():
    failed = False
    passing_through = False
    in_place = sys.stdout.isatty()
    pending = False  # a progress line without its end of line (terminal only)

    def show(line):
        nonlocal pending
        if pending:
            print(flush=True)
            pending = False
        print(line, end="", flush=True)

    for line in sys.stdin:
        match = MODULE_LINE.search(line)
        level = LEVEL.match(line)
        if match:
            name, index, total = match.groups()
            if in_place:
                print(f"\r\033[K    [{index:>3}/{total}] {name}", end="", flush=True)
                pending = True
            else:
                print(f"    [{index:>3}/{total}] {name}", flush=True)
            passing_through = False
        elif level:
            passing_through = level.group(1) in ("WARNING", "ERROR", "CRITICAL")
            failed = failed or level.group(1) in ("ERROR", "CRITICAL")
            if passing_through:
                show(line)
        elif passing_through or not line.startswith("20"):
            # Tracebacks and other continuation lines of a shown message.
            show(line)
    if pending:
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
