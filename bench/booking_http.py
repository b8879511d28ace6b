"""HTTP benchmark of the booking flow on a real multi-worker Odoo (prefork).

    make bench                      # = scripts/randevu.sh bench: setup, then this script
    .venv/bin/python bench/booking_http.py --conf .randevu/odoo.bench.conf --db randevu_bench_http

Creates its database once (randevu_booking with the demo branches, services and
staff), raises the attempt limits there (every client is 127.0.0.1), then starts
Odoo with 2 HTTP workers on free ports and measures:

1. the slots JSON route (/book/<branch>/<service>/slots): p50 / p95 latency,
   one client after a warm-up, then 20 concurrent clients;
2. booking throughput: 20 concurrent clients, each booking distinct free times as
   a browser does (details page for the CSRF token, then the POST), bookings per
   second and the POST's p50 / p95.

Writes bench/out/booking_http.json. Never run by `make test`.
"""

import argparse
import re
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import psutil
import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from booking_pages import bookable_services  # noqa: E402
from common import DEFAULT_CONF, percentile, write_result  # noqa: E402
from odoo_process import OdooServer, connect, odoo_bin  # noqa: E402

CLIENTS = 20
SPACING_MINUTES = 180
LIMIT_PARAMS = ("randevu_booking.attempts_per_ip", "randevu_booking.attempts_per_phone")


def millis(values):
    return {"p50_ms": round(statistics.median(values) * 1000, 1), "p95_ms": round(percentile(values, 0.95) * 1000, 1)}


def ensure_database(conf, db):
    try:
        connect(conf, db).close()
        return
    except psycopg2.OperationalError:
        pass
    print(f"==> creating database {db} with randevu_booking and its demo data", flush=True)
    command = [sys.executable, str(odoo_bin()), "-c", conf, "-d", db, "-i", "randevu_booking"]
    subprocess.run([*command, "--without-demo=", "--stop-after-init", "--log-level=warn"], check=True)


def spaced(starts, minutes=SPACING_MINUTES):
    """Starts at least `minutes` apart: bookings that cannot overlap (duration, buffers)."""
    kept = []
    for start in starts:
        if not kept or datetime.fromisoformat(start) - datetime.fromisoformat(kept[-1]) >= timedelta(minutes=minutes):
            kept.append(start)
    return kept


def free_times(url, connection, wanted):
    """(base URL, [(staff, start)], [(slots URL, params)]): up to `wanted` distinct free
    times of one bookable service, per staff member, and the slots queries behind them."""
    first_day = (date.today() + timedelta(days=2)).isoformat()
    for base, staff_ids in bookable_services(url, connection):
        times, queries = [], []
        for staff in staff_ids:
            next_day = first_day
            while next_day and len(times) < wanted * (staff_ids.index(staff) + 1) // len(staff_ids) + 1:
                days = requests.get(f"{base}/days", params={"staff": staff, "from_day": next_day}, timeout=60).json()
                next_day = days.get("next")
                for day in days.get("days", []):
                    params = {"staff": staff, "day": day["date"]}
                    queries.append(params)
                    slots = requests.get(f"{base}/slots", params=params, timeout=60).json()
                    times += [(staff, start) for start in spaced([slot["start"] for slot in slots.get("slots", [])])]
        if len(times) >= wanted:
            return base, times[:wanted], queries
    raise RuntimeError("not enough free times in the demo data")


def bench_slots(base, queries, rounds):
    session = requests.Session()
    for params in queries[:5]:
        session.get(f"{base}/slots", params=params, timeout=60)  # warm-up
    sequential = []
    for index in range(rounds):
        began = time.perf_counter()
        response = session.get(f"{base}/slots", params=queries[index % len(queries)], timeout=60)
        sequential.append(time.perf_counter() - began)
        response.raise_for_status()

    def client(offset):
        own, spent = requests.Session(), []
        for index in range(rounds // CLIENTS):
            began = time.perf_counter()
            own.get(f"{base}/slots", params=queries[(offset + index) % len(queries)], timeout=120).raise_for_status()
            spent.append(time.perf_counter() - began)
        return spent

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        concurrent = [value for spent in pool.map(client, range(CLIENTS)) for value in spent]
    wall = time.perf_counter() - began
    return {
        "sequential": millis(sequential),
        "concurrent_20": dict(millis(concurrent), requests_per_s=round(len(concurrent) / wall, 1)),
    }


def _cpu(process):
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return times.user + times.system + times.children_user + times.children_system


class CpuMeter:
    """CPU seconds spent by each side of a measure: Odoo (the server and its workers,
    reaped ones included), PostgreSQL (the backends connected to the bench database
    only: other databases' work on the machine is left out) and this client."""

    def __init__(self, server_pid, db):
        self.server, self.db = psutil.Process(server_pid), db

    def read(self):
        odoo = _cpu(self.server) + sum(_cpu(child) for child in self.server.children(recursive=True))
        postgres = 0.0
        for process in psutil.process_iter(["name", "cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or [])
            if process.info["name"] == "postgres" and f" {self.db} " in f"{cmdline} ":
                postgres += _cpu(process)
        return {"odoo": odoo, "postgres": postgres, "client": time.process_time()}

    def since(self, before, count):
        """Milliseconds of CPU per unit (request, booking) of each side since `before`."""
        after = self.read()
        spent = {side: after[side] - before[side] for side in after}
        return {f"{side}_cpu_ms": round(seconds * 1000 / count, 1) for side, seconds in spent.items()}


def bench_bookings(base, times):
    run = uuid.uuid4().hex[:6]
    chunks = [times[index::CLIENTS] for index in range(CLIENTS)]

    def client(number):
        session, posts, booked, refused = requests.Session(), [], 0, 0
        for index, (staff, start) in enumerate(chunks[number]):
            page = session.get(f"{base}/details", params={"staff": staff, "start": start}, timeout=120)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            terms = re.search(r'name="terms" value="([^"]*)"', page.text).group(1)  # the duration and price shown
            serial = number * 1000 + index
            # Every run books new customers: a phone of this run is no earlier run's (a
            # phone shared by earlier runs' customers makes each lookup compare them all).
            digits = (int(run, 16) * 100_000 + serial) % 10**8
            form = {
                "csrf_token": token,
                "terms": terms,
                "start": start,
                "staff": staff,
                "name": f"Bench {run} {serial}",
                "phone": f"+33 6 {digits:08d}",
                "email": f"bench-{run}-{serial}@example.com",
            }
            began = time.perf_counter()
            response = session.post(f"{base}/confirm", data=form, allow_redirects=False, timeout=300)
            posts.append(time.perf_counter() - began)
            booked += response.status_code == 303
            refused += response.status_code != 303
        return posts, booked, refused

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    wall = time.perf_counter() - began
    posts = [value for result in results for value in result[0]]
    booked = sum(result[1] for result in results)
    return dict(
        millis(posts),
        bookings=booked,
        refused=sum(result[2] for result in results),
        seconds=round(wall, 1),
        bookings_per_s=round(booked / wall, 1),
        run=run,
    )


def confirmations_sent(connection, run, booked, timeout=60):
    """Seconds until every confirmation of the run's bookings was sent (None: not all
    within `timeout`), and how many were: with cron threads, the outbox worker sends them."""
    began = time.perf_counter()
    while True:
        with connection.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM randevu_message m JOIN res_partner p ON p.id = m.partner_id "
                "WHERE m.kind = 'confirmation' AND m.state = 'sent' AND p.name LIKE %s",
                [f"Bench {run} %"],
            )
            sent = cr.fetchone()[0]
        waited = time.perf_counter() - began
        if sent >= booked or waited > timeout:
            return {"sent": sent, "seconds": round(waited, 1) if sent >= booked else None}
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_http")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slot-requests", type=int, default=200, help="slots JSON requests per measure")
    parser.add_argument("--bookings", type=int, default=100, help="bookings over the 20 clients")
    parser.add_argument(
        "--cron-threads", type=int, default=0, help="cron threads: 1 runs the outbox worker during the measure"
    )
    args = parser.parse_args()

    ensure_database(args.conf, args.db)
    connection = connect(args.conf, args.db)
    with connection.cursor() as cr:
        for key in LIMIT_PARAMS:  # the bench's own database: set for good
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES (%s, '100000') "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key],
            )
        cr.execute("DELETE FROM randevu_booking_attempt")
    print(f"==> Odoo with {args.workers} HTTP workers", flush=True)
    server = OdooServer(
        args.conf, args.db, args.workers, log_name="bench-booking-http.log", cron_threads=args.cron_threads
    ).wait_ready(120)
    try:
        base, times, queries = free_times(server.url, connection, args.bookings)
        meter = CpuMeter(server.process.pid, args.db)
        before = meter.read()
        slots = bench_slots(base, queries, args.slot_requests)
        slots["cpu_per_request"] = meter.since(before, args.slot_requests * 2)
        before = meter.read()
        bookings = bench_bookings(base, times)
        # a booking is two requests (the details page, then the POST)
        bookings["cpu_per_booking"] = meter.since(before, max(bookings["bookings"], 1))
        if args.cron_threads:
            bookings["confirmations"] = confirmations_sent(connection, bookings["run"], bookings["bookings"])
    finally:
        server.stop()
        connection.close()

    result = {"workers": args.workers, "clients": CLIENTS, "slots_json": slots, "booking": bookings}
    write_result("booking_http", result)
    sequential, concurrent = slots["sequential"], slots["concurrent_20"]
    print(f"\nOdoo, {args.workers} HTTP workers, {CLIENTS} clients")
    print(f"  slots JSON, 1 client  : p50 {sequential['p50_ms']} ms, p95 {sequential['p95_ms']} ms")
    print(
        f"  slots JSON, {CLIENTS} clients: p50 {concurrent['p50_ms']} ms, p95 {concurrent['p95_ms']} ms, "
        f"{concurrent['requests_per_s']} requests/s"
    )
    print(
        f"  booking, {CLIENTS} clients  : {bookings['bookings']} booked ({bookings['refused']} refused) in "
        f"{bookings['seconds']} s = {bookings['bookings_per_s']} bookings/s; "
        f"POST p50 {bookings['p50_ms']} ms, p95 {bookings['p95_ms']} ms"
    )
    for label, cpu in (("slots request", slots["cpu_per_request"]), ("booking", bookings["cpu_per_booking"])):
        print(f"  CPU per {label}: " + ", ".join(f"{key[:-7]} {value} ms" for key, value in cpu.items()))
    if "confirmations" in bookings:
        sent, seconds = bookings["confirmations"]["sent"], bookings["confirmations"]["seconds"]
        print(f"  confirmations sent by the outbox worker: {sent} (all in {seconds} s)")
    return 0 if bookings["refused"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
