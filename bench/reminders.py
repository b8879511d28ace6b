"""Benchmark of the reminder cron (randevu.message._cron_send_reminders).

    make bench                      # = scripts/randevu.sh bench: setup, then find_slots.py and this script
    .venv/bin/python bench/reminders.py --conf .randevu/odoo.bench.conf --db randevu_bench_reminders

Creates its own database once (randevu_calendar, no demo data) with a generated
branch: 125 staff working around the clock, 5,000 customers with an email address
and a mobile number, 5,000 appointments over the next two days, and two reminder
rules (email 48 h before, SMS 47 h before), so that 10,000 reminders are due at
once. Each run first removes what an earlier run sent, then runs the cron as
ir.cron does (a commit per batch), and reports wall time, queries per reminder and
per batch, and the memory high-water mark; then a few shorter runs at other batch
sizes show that the queries per batch do not depend on the batch size. Writes
bench/out/reminders.json.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from unittest.mock import patch

from common import DEFAULT_CONF, open_registry, opening_hours, write_result

STAFF, SLOTS = 125, 40  # 40 half-hour slots per staff member: 5,000 appointments
TZ = "Europe/Istanbul"
NOW = datetime(2031, 3, 3, 9, 0)  # 12:00 in Istanbul: no quiet hours
FIRST_START = NOW + timedelta(hours=26)
BRANCH = "Bench reminders branch"


def generate(env):
    """The bench branch and its 5,000 appointments; commits once."""
    print(f"==> generating {STAFF} staff, {STAFF * SLOTS} customers and appointments", flush=True)
    started = time.time()
    calendar = opening_hours(env, "Bench around the clock", TZ, 0, 24)
    branch = env["res.company"].create(
        {
            "name": BRANCH,
            "randevu_tz": TZ,
            "resource_calendar_id": calendar.id,
            "street": "Moda Caddesi 1",
            "city": "Istanbul",
        }
    )
    branch.email = "bench@salon.example"  # not at create: partner_autocomplete would look the domain up online
    email_rule, sms_rule = branch.randevu_reminder_rule_ids.sorted("offset_hours", reverse=True)
    email_rule.offset_hours, sms_rule.offset_hours = 48, 47
    staff = env["hr.employee"].create(
        [
            {
                "name": f"Bench stylist {n:03d}",
                "company_id": branch.id,
                "resource_calendar_id": calendar.id,
                "randevu_bookable": True,
            }
            for n in range(STAFF)
        ]
    )
    service = env["product.template"].create(
        {"name": "Bench cut", "type": "service", "is_appointment_service": True, "randevu_duration": 0.5}
    )
    customers = env["res.partner"].create(
        [
            {"name": f"Bench customer {n:04d}", "email": f"bench{n}@example.com", "mobile": f"+90532{n:07d}"}
            for n in range(STAFF * SLOTS)
        ]
    )
    Appointment = env["randevu.appointment"].with_context(
        tracking_disable=True, mail_notrack=True, randevu_no_notify=True
    )
    for slot in range(SLOTS):
        Appointment.create(
            [
                {
                    "company_id": branch.id,
                    "service_id": service.id,
                    "employee_id": employee.id,
                    "start": FIRST_START + timedelta(minutes=30 * slot),
                    "partner_id": customers[slot * STAFF + index].id,
                    "start_set_date": NOW - timedelta(days=7),
                }
                for index, employee in enumerate(staff)
            ]
        )
    env.cr.commit()
    print(f"    done in {time.time() - started:.0f}s", flush=True)


def reset(env, appointment_ids):
    """Remove what an earlier run sent (message rows, chatter messages, queued emails and texts)."""
    cr = env.cr
    cr.execute(
        "SELECT id FROM mail_message WHERE model = 'randevu.appointment' AND res_id = ANY(%s)", [appointment_ids]
    )
    message_ids = [row[0] for row in cr.fetchall()]
    cr.execute("DELETE FROM sms_sms WHERE mail_message_id = ANY(%s)", [message_ids])
    cr.execute("DELETE FROM mail_mail WHERE mail_message_id = ANY(%s)", [message_ids])
    cr.execute("DELETE FROM mail_message WHERE id = ANY(%s)", [message_ids])
    cr.execute("DELETE FROM randevu_message WHERE appointment_id = ANY(%s)", [appointment_ids])
    cr.execute("DELETE FROM ir_cron_trigger")
    cr.commit()
    cr.execute("ANALYZE randevu_message")
    env.invalidate_all()


def run_cron(env, batch_size, limit=None, trace=False):
    """One cron run as ir.cron does it; returns (seconds, queries, handled, python peak bytes)."""
    env.invalidate_all()
    if trace:
        tracemalloc.start()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    handled = env["randevu.message"]._cron_send_reminders(batch_size=batch_size, limit=limit, now=NOW, auto_commit=True)
    seconds = time.perf_counter() - started
    queries = env.cr.sql_log_count - before
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, queries, handled, peak


def counting(model_class, counts):
    """A stand-in for _randevu_batch_reminders that records (queries, reminders) of each batch."""
    original = model_class._randevu_batch_reminders

    def batch(self, batch_size, now, **kwargs):
        before = self.env.cr.sql_log_count
        handled, more = original(self, batch_size, now, **kwargs)
        counts.append((self.env.cr.sql_log_count - before, handled))
        return handled, more

    return batch


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_reminders")
    parser.add_argument("--batch-size", type=int, default=500, help="batch size of the main run (the cron's default)")
    args = parser.parse_args()

    import odoo

    registry = open_registry(
        args.conf,
        args.db,
        "randevu_calendar",
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'randevu_message'",
    )
    from odoo.addons.randevu_calendar.models.randevu_message import RandevuMessage  # once the addons path is set

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        branch = env["res.company"].search([("name", "=", BRANCH)])
        if not branch:
            generate(env)
            branch = env["res.company"].search([("name", "=", BRANCH)])
        appointment_ids = env["randevu.appointment"].search([("company_id", "=", branch.id)]).ids

        # The main run: every due reminder, as the cron runs it.
        reset(env, appointment_ids)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds, queries, handled, _peak = run_cron(env, args.batch_size)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.execute(
            "SELECT channel, state, count(*) FROM randevu_message WHERE appointment_id = ANY(%s) GROUP BY 1, 2",
            [appointment_ids],
        )
        states = {f"{channel}/{state}": count for channel, state, count in cr.fetchall()}
        cr.execute("SELECT (SELECT count(*) FROM mail_mail), (SELECT count(*) FROM sms_sms WHERE state = 'outgoing')")
        mails, texts = cr.fetchone()

        # Queries of each reminder batch at several batch sizes (2,000 reminders each).
        per_batch = {}
        for size in (100, 250, 1000):
            reset(env, appointment_ids)
            counts = []
            with patch.object(RandevuMessage, "_randevu_batch_reminders", counting(RandevuMessage, counts)):
                run_cron(env, size, limit=2000)
            full = [count for count, handled in counts if handled == size]
            per_batch[size] = {"first": full[0], "others": sorted(set(full[1:]))}
            others = per_batch[size]["others"]
            print(f"    batch size {size:>4}: queries of the first batch {full[0]}, of the next ones {others}")

        # Python allocations (tracemalloc slows the run down: a separate, shorter run).
        reset(env, appointment_ids)
        _s, _q, traced, peak = run_cron(env, args.batch_size, limit=2000, trace=True)
        reset(env, appointment_ids)

    result = {
        "data": {"staff": STAFF, "appointments": len(appointment_ids), "rules": "email 48 h, SMS 47 h"},
        "due_reminders": handled,
        "batch_size": args.batch_size,
        "wall_seconds": round(seconds, 1),
        "reminders_per_second": round(handled / seconds),
        "queries": queries,
        "queries_per_reminder": round(queries / handled, 3),
        "queries_per_reminder_batch": per_batch,
        "peak_rss_mb": round(rss_after / 1024),
        "rss_growth_mb": round((rss_after - rss_before) / 1024),  # high-water mark growth during the main run
        "python_peak_mb_per_2000": round(peak / 2**20, 1),
        "messages": states,
        "queued_emails": mails,
        "queued_texts": texts,
    }
    write_result("reminders", result)
    print(f"\nData: {STAFF} staff, {len(appointment_ids)} appointments, rules: email 48 h + SMS 47 h before")
    print(f"Reminder cron, {handled} due reminders, batches of {args.batch_size}, a commit per batch:")
    print(f"  wall time      : {result['wall_seconds']} s ({result['reminders_per_second']} reminders/s)")
    print(f"  queries        : {queries} ({result['queries_per_reminder']} per reminder)")
    print(f"  per batch      : {per_batch} (batch size: queries of one reminder batch)")
    print(f"  peak RSS       : {result['peak_rss_mb']} MB (+{result['rss_growth_mb']} MB during the run)")
    print(f"  python peak    : {result['python_peak_mb_per_2000']} MB for {traced} reminders (tracemalloc)")
    print(f"  result         : {states}, {mails} emails and {texts} texts queued")
    return 0


if __name__ == "__main__":
    sys.exit(main())
