"""Profile one booking request, step by step: SQL queries and time per step.

    .venv/bin/python bench/profile_booking.py --conf .randevu/odoo.bench.conf --db randevu_bench_cmp_new

On a database with randevu_booking and its demo data (bench/compare.py's `_new`
database, or `make run`'s), books `--bookings` distinct free times of the first
bookable service of a demo branch through `randevu.booking.service`, in the order
the website's confirm route calls it, and prints the median queries and
milliseconds of each step. Everything is rolled back: the database is unchanged.
The HTTP part (routing, session, CSRF, rendering the redirect) is not in it: see
bench/booking_http.py for the whole request.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

ONLINE_VALUES = {"source": "website"}  # a website booking (copied by the policy check)
STEPS = [
    "parse and bounds (_visitor_start)",
    "engine pass (_start_check)",
    "customer find or create",
    "no-show policy",
    "customer busy check",
    "hold decision (_randevu_appointment_values)",
    "create: appointment, segments, outbox rows (_book_slot)",
    "flush",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--bookings", type=int, default=20)
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)
    measures = {step: [] for step in STEPS}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        quiet = env(context={"mail_create_nolog": True})  # as _book creates the customer and appointment
        service_model = env["randevu.booking.service"]
        online = env["randevu.online.booking"]
        availability = env["randevu.availability"]
        website = env["website"].search([], limit=1)
        branch = online._branches(website)[:1]
        service = service_model._services(branch).filtered(lambda s: s.randevu_deposit_type == "none")[:1]
        staff = service_model._staff(branch, service)[:1]
        starts = []
        days, _next = service_model._bookable_days(branch, service, staff)
        for day in days[1:]:
            for slot in service_model._day_slots(branch, service, staff, day)[::6]:
                starts.append(slot["start"])
        starts = starts[: args.bookings]
        print(f"{branch.name}, {service.name} with {staff.name}: {len(starts)} bookings", flush=True)
        for number, start in enumerate(starts):
            env.invalidate_all()
            details = {
                "name": f"Profile {number}",
                "phone": f"+3361199{number:04d}",
                "email": f"profile{number}@example.com",
                "note": "",
            }

            def step(name, call):
                queries, began = cr.sql_log_count, time.perf_counter()
                result = call()
                measures[name].append((cr.sql_log_count - queries, (time.perf_counter() - began) * 1000))
                return result

            value = start.strftime("%Y-%m-%dT%H:%M")
            start_parsed, _problem = step(STEPS[0], lambda value=value: online._visitor_start(branch, value))
            slot, problem = step(STEPS[1], lambda s=start_parsed: service_model._start_check(branch, service, staff, s))
            assert slot, problem
            partner = step(
                STEPS[2],
                lambda details=details: quiet["randevu.booking.service"]._find_or_create_customer(branch, details),
            )
            values = step(
                STEPS[3], lambda partner=partner: availability._apply_noshow_policy(branch, partner, ONLINE_VALUES)
            )
            step(STEPS[4], lambda partner=partner, s=start_parsed: service_model._customer_busy(partner, service, s))
            employee = env["hr.employee"].browse(slot["employee_id"])
            values = step(
                STEPS[5],
                lambda partner=partner, values=values, s=start_parsed, employee=employee: (
                    service_model._randevu_appointment_values(branch, service, employee, s, partner, values)
                ),
            )
            step(
                STEPS[6],
                lambda partner=partner, values=values, slot=slot: quiet["randevu.availability"]._book_slot(
                    service, branch, slot, partner, values
                ),
            )
            step(STEPS[7], env.flush_all)
        cr.rollback()
    print(f"\n| step | queries | ms (median of {len(starts)}) |\n|---|---:|---:|")
    total_q = total_ms = 0
    for name in STEPS:
        queries = statistics.median(m[0] for m in measures[name])
        millis = statistics.median(m[1] for m in measures[name])
        total_q += queries
        total_ms += millis
        print(f"| {name} | {queries:g} | {millis:.1f} |")
    print(f"| **one booking** | **{total_q:g}** | **{total_ms:.1f}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
