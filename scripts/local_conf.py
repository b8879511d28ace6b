"""Derive a local Odoo configuration from the repository's odoo.conf.

The deployment settings (limits, log handlers, ...) stay in one place, odoo.conf;
this only overrides what differs on a developer or CI machine.
"""

import argparse
import configparser
import pathlib


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()

    config = configparser.ConfigParser(interpolation=None)
    config.read(args.base)
    for item in args.set:
        key, _sep, value = item.partition("=")
        config["options"][key] = value
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w") as handle:
        handle.write(f"; Generated from {args.base.name} by scripts/local_conf.py; edits are overwritten.\n")
        config.write(handle)


if __name__ == "__main__":
    main()
