"""Benchmark of the availability engine (randevu.availability.find_slots).

    make bench                      # = scripts/randevu.sh bench: setup, then this script
    .venv/bin/python bench/find_slots.py --conf .randevu/odoo.bench.conf --db randevu_bench

Creates the database once (randevu_calendar, no demo data) with a generated
salon: 20 staff with breaks (two shift patterns), 30 services, 60 days of
appointments (about 8 per staff member per working day) and some leave. Then
times a 14-day "anyone" search for several services, median and p95 over
repeated cold-cache runs, with its SQL query count, and the same search done
naively on the same data: Odoo's working intervals per staff member, then one
overlap query per candidate slot and staff member. Prints the ratio and writes
bench/out/find_slots.json.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

import pytz
from common import DEFAULT_CONF, open_registry, percentile, write_result

STAFF, SERVICES, DAYS, PER_DAY = 20, 30, 60, 8
TZ = "Europe/Istanbul"
FIRST_DAY = datetime(2031, 3, 3)  # a Monday; appointments span FIRST_DAY .. FIRST_DAY + DAYS
SEARCH_FROM = FIRST_DAY + timedelta(days=21)  # a 14-day window in the middle of the data


def generate(env):
    """The bench salon: returns nothing, commits once."""
    rng = random.Random(7)
    print("==> generating 20 staff, 30 services, 60 days of appointments", flush=True)
    calendar_model = env["resource.calendar"]

    def shift(name, periods):
        return calendar_model.create(
            {
                "name": name,
                "tz": TZ,
                "attendance_ids": [
                    (0, 0, {"name": f"{d}", "dayofweek": str(d), "hour_from": a, "hour_to": b, "day_period": "morning"})
                    for d in range(6)
                    for a, b in periods
                ],
            }
        )

    opening = shift("Bench opening", [(8, 20)])
    branch = env["res.company"].create(
        {"name": "Bench branch", "randevu_tz": TZ, "resource_calendar_id": opening.id, "randevu_horizon_days": 3650}
    )
    early = shift("Bench early", [(9, 13), (14, 18)])
    late = shift("Bench late", [(11, 15), (16, 20)])
    staff = env["hr.employee"].create(
        [
            {
                "name": f"Stylist {i:02d}",
                "company_id": branch.id,
                "resource_calendar_id": (early if i % 2 else late).id,
                "randevu_bookable": True,
            }
            for i in range(STAFF)
        ]
    )
    services = env["product.template"].create(
        [
            {
                "name": f"Service {i:02d}",
                "type": "service",
                "is_appointment_service": True,
                "randevu_duration": rng.choice([0.5, 0.75, 1.0]),
                "randevu_buffer_after": rng.choice([0, 0, 0.25]),
                "randevu_staff_line_ids": [
                    (0, 0, {"employee_id": e.id, "sequence": n}) for n, e in enumerate(rng.sample(list(staff), 8))
                ],
            }
            for i in range(SERVICES)
        ]
    )
    # Leave: every fourth staff member is off two days a fortnight.
    leaves = []
    for index, employee in enumerate(staff):
        if index % 4 == 0:
            for week in range(0, DAYS, 14):
                day = FIRST_DAY + timedelta(days=week + 2 + index % 3)
                local = pytz.timezone(TZ)
                leaves.append(
                    {
                        "name": "Leave",
                        "resource_id": employee.resource_id.id,
                        "date_from": local.localize(day).astimezone(pytz.utc).replace(tzinfo=None),
                        "date_to": local.localize(day + timedelta(days=2)).astimezone(pytz.utc).replace(tzinfo=None),
                    }
                )
    env["resource.calendar.leaves"].create(leaves)
    # 8 appointments per staff member per working day, 45-minute grid inside their shift.
    Appointment = env["randevu.appointment"].with_context(tracking_disable=True, mail_notrack=True)
    Availability = env["randevu.availability"]
    started = time.time()
    total = 0
    for day_index in range(DAYS):
        day = FIRST_DAY + timedelta(days=day_index)
        if day.weekday() == 6:
            continue
        start_utc = pytz.timezone(TZ).localize(day).astimezone(pytz.utc).replace(tzinfo=None)
        plan = Availability._load(branch, staff, env["resource.resource"], start_utc, start_utc + timedelta(days=1))
        vals = []
        for employee in staff:
            eligible = services.filtered(lambda s, e=employee: e in s.randevu_staff_line_ids.employee_id)
            day_end = start_utc + timedelta(days=1)
            free = plan["work"][employee.id].intervals
            slots = []
            for begin, end in ((max(b, start_utc), min(e, day_end)) for b, e in free if b < day_end and e > start_utc):
                cursor = begin
                while cursor + timedelta(minutes=45) <= end:
                    slots.append(cursor)
                    cursor += timedelta(minutes=60)
            for slot in sorted(rng.sample(slots, min(PER_DAY, len(slots)))):
                service = rng.choice(eligible) if eligible else False
                vals.append(
                    {
                        "company_id": branch.id,
                        "employee_id": employee.id,
                        "service_id": service.id if service else False,
                        "start": slot,
                        "duration": 0.5,
                    }
                )
        Appointment.create(vals)
        total += len(vals)
    env.cr.commit()
    print(f"    {total} appointments in {time.time() - started:.0f}s", flush=True)


def engine_search(env, service, branch, now):
    env.invalidate_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    slots = env["randevu.availability"].find_slots(
        service, branch, SEARCH_FROM, SEARCH_FROM + timedelta(days=14), now=now
    )
    return time.perf_counter() - started, env.cr.sql_log_count - before, slots


def naive_search(env, service, branch, now):
    """What a straightforward implementation does: Odoo's working intervals per staff
    member, then one overlap query per candidate slot and staff member."""
    env.invalidate_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    tz = pytz.timezone(TZ)
    start = SEARCH_FROM
    end = SEARCH_FROM + timedelta(days=14)
    step = timedelta(minutes=branch.randevu_slot_step)
    duration = timedelta(hours=service.randevu_duration)
    after = timedelta(hours=service.randevu_buffer_after)
    employees = service.randevu_staff_line_ids.employee_id
    found = []
    for employee in employees:
        intervals = employee.resource_calendar_id._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end + timedelta(days=1)), resources=employee.resource_id
        )[employee.resource_id.id]
        for begin, stop, _records in intervals:
            slot = begin.astimezone(pytz.utc).replace(tzinfo=None)
            local = pytz.utc.localize(slot).astimezone(tz)
            minutes = local.hour * 60 + local.minute
            slot += timedelta(minutes=(-minutes) % branch.randevu_slot_step)
            stop_utc = stop.astimezone(pytz.utc).replace(tzinfo=None)
            while slot < end and slot + duration + after <= stop_utc:
                if slot >= start and slot >= now:
                    env.cr.execute(
                        "SELECT 1 FROM randevu_appointment_segment WHERE employee_id = %s AND start < %s AND stop > %s"
                        " LIMIT 1",
                        [employee.id, slot + duration + after, slot],
                    )
                    if not env.cr.fetchone():
                        found.append(slot)
                slot += step
    return time.perf_counter() - started, env.cr.sql_log_count - before, sorted(set(found))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per service (after one warm-up)")
    parser.add_argument("--services", type=int, default=6, help="services searched")
    args = parser.parse_args()

    import odoo

    registry = open_registry(args.conf, args.db, "randevu_calendar")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        branch = env["res.company"].search([("name", "=", "Bench branch")])
        if not branch:
            generate(env)
            branch = env["res.company"].search([("name", "=", "Bench branch")])
        appointments = env["randevu.appointment"].search_count([("company_id", "=", branch.id)])
        services = env["product.template"].search([("name", "=like", "Service %")], limit=args.services)
        now = SEARCH_FROM - timedelta(days=1)
        engine_times, naive_times, engine_queries, naive_queries, slot_counts = [], [], set(), [], []
        mismatches = 0
        for service in services:
            engine_search(env, service, branch, now)  # warm-up (registry caches, as in a running server)
            for _ in range(args.repeat):
                seconds, queries, slots = engine_search(env, service, branch, now)
                engine_times.append(seconds)
                engine_queries.add(queries)
            slot_counts.append(len(slots))
            for _ in range(max(1, args.repeat // 3)):
                seconds, queries, naive_slots = naive_search(env, service, branch, now)
                naive_times.append(seconds)
                naive_queries.append(queries)
            engine_starts = sorted({slot["start"] for slot in slots})
            mismatches += len(set(engine_starts) ^ set(naive_slots))
        cr.rollback()

    result = {
        "data": {"staff": STAFF, "services": SERVICES, "days": DAYS, "appointments": appointments},
        "search": "14 days, anyone",
        "engine": {
            "median_ms": round(statistics.median(engine_times) * 1000, 1),
            "p95_ms": round(percentile(engine_times, 0.95) * 1000, 1),
            "queries": sorted(engine_queries),
            "slots_per_search": round(statistics.mean(slot_counts)),
        },
        "naive": {
            "median_ms": round(statistics.median(naive_times) * 1000, 1),
            "p95_ms": round(percentile(naive_times, 0.95) * 1000, 1),
            "queries_median": int(statistics.median(naive_queries)),
        },
        "ratio_median": round(statistics.median(naive_times) / statistics.median(engine_times), 1),
        "slot_start_mismatches": mismatches,
    }
    write_result("find_slots", result)
    engine, naive = result["engine"], result["naive"]
    print(f"\nData: {STAFF} staff, {SERVICES} services, {DAYS} days, {appointments} appointments")
    print(f"find_slots, 14 days, anyone ({len(services)} services x {args.repeat} cold runs):")
    print(f"  engine : median {engine['median_ms']} ms, p95 {engine['p95_ms']} ms, queries {engine['queries']}")
    print(f"  naive  : median {naive['median_ms']} ms, p95 {naive['p95_ms']} ms, queries ~{naive['queries_median']}")
    print(f"  engine is {result['ratio_median']}x faster (median); slot starts differing: {mismatches}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
