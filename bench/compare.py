"""The booking HTTP benchmark, old code and this checkout side by side, in one run.

    make bench-compare          # = scripts/randevu.sh bench-compare
    .venv/bin/python bench/compare.py --conf .randevu/odoo.bench.conf [--base 2309f78]

Extracts BASE (the commit before issue 11: the booking path with the multi-worker fix
of the issue before it) into a temporary directory. Both sides run on the same data:
the old code's demo database `<db>_base` (made once, kept), copied to `<db>_old` for
the old code and to `<db>_new`, which this checkout upgrades (`-u all`, as a customer
upgrading would), both copied afresh at every run. Then BASE's own
bench/booking_http.py runs against its addons on `<db>_old`, and this checkout's on
`<db>_new`: same machine, same data, same 2 workers and 20 clients. This checkout's
run also keeps one cron thread, so the outbox worker that now renders and sends the
confirmations (and the calendar cron) run during the measure (the old code did that
inside the booking request). Writes bench/out/compare.json and prints both side by side.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from odoo_process import connect, free_port, odoo_bin, read_options  # noqa: E402

BASE = "2309f78"
ROWS = [
    ("slots JSON, 1 client, p50 ms", ("slots_json", "sequential", "p50_ms")),
    ("slots JSON, 1 client, p95 ms", ("slots_json", "sequential", "p95_ms")),
    ("slots JSON, 20 clients, p95 ms", ("slots_json", "concurrent_20", "p95_ms")),
    ("slots JSON, 20 clients, requests/s", ("slots_json", "concurrent_20", "requests_per_s")),
    ("booking POST, 20 clients, p50 ms", ("booking", "p50_ms")),
    ("booking POST, 20 clients, p95 ms", ("booking", "p95_ms")),
    ("bookings per second", ("booking", "bookings_per_s")),
    ("bookings made", ("booking", "bookings")),
]


def run(root, conf, db, extra=()):
    command = [sys.executable, str(root / "bench" / "booking_http.py"), "--conf", str(conf), "--db", db, *extra]
    subprocess.run(command, cwd=root, check=True)
    return json.loads((root / "bench" / "out" / "booking_http.json").read_text())


def odoo(conf, db, *args):
    command = [sys.executable, str(odoo_bin()), "-c", str(conf), "-d", db, *args, "--stop-after-init"]
    command += [f"--http-port={free_port()}", f"--gevent-port={free_port()}", "--log-level=warn"]
    subprocess.run(command, check=True)


def exists(conf, db):
    try:
        connect(conf, db).close()
    except psycopg2.OperationalError:
        return False
    return True


def copy_database(conf, source, target):
    """`target` as a copy of `source`, its filestore included (images, assets)."""
    with closing(connect(conf, "postgres")) as connection, connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    filestore = Path(read_options(conf)["data_dir"]) / "filestore"
    shutil.rmtree(filestore / target, ignore_errors=True)
    if (filestore / source).exists():
        shutil.copytree(filestore / source, filestore / target)


def prepare(old_conf, new_conf, db):
    """<db>_old and <db>_new: fresh copies of the old code's demo database <db>_base,
    the new one upgraded by this checkout."""
    base = f"{db}_base"
    if not exists(old_conf, base):
        print(f"==> creating {base} with the old code's randevu_booking and its demo data", flush=True)
        odoo(old_conf, base, "-i", "randevu_booking", "--without-demo=")
    copy_database(old_conf, base, f"{db}_old")
    copy_database(new_conf, base, f"{db}_new")
    print(f"==> upgrading {db}_new with this checkout (-u all)", flush=True)
    odoo(new_conf, f"{db}_new", "-u", "all")


def value(result, path):
    for key in path:
        result = result[key]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", default="randevu_bench_cmp")
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--bookings", default="100")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="randevu-bench-old-"))
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base, "addons", "bench", "scripts"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
        # Both runs start Odoo the same way (this checkout's launcher: one database, no
        # filter, as in production): only the addons differ.
        shutil.copy(ROOT / "scripts" / "odoo_process.py", workdir / "scripts" / "odoo_process.py")
        addons_path = read_options(args.conf)["addons_path"]
        old_conf = workdir / "odoo.old.conf"
        old_conf.write_text(
            Path(args.conf).read_text().replace(addons_path, addons_path.replace(str(ROOT), str(workdir)))
        )
        prepare(old_conf, Path(args.conf).resolve(), args.db)
        print(f"==> old code ({args.base})", flush=True)
        old = run(workdir, old_conf, f"{args.db}_old", ["--bookings", args.bookings])
        print("==> this checkout", flush=True)
        extra = ["--bookings", args.bookings, "--cron-threads", "1"]
        new = run(ROOT, Path(args.conf).resolve(), f"{args.db}_new", extra)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "compare.json").write_text(json.dumps({"base": args.base, "old": old, "new": new}, indent=2))
    print(f"\n{'2 workers, 20 clients':<38} {'old (' + args.base + ')':>14} {'new':>10}")
    for label, path in ROWS:
        print(f"{label:<38} {value(old, path)!s:>14} {value(new, path)!s:>10}")
    refused = (old["booking"]["refused"], new["booking"]["refused"])
    print(f"{'refused bookings':<38} {refused[0]!s:>14} {refused[1]!s:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
