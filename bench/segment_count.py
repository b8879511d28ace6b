"""Benchmark of a customer segment's count (randevu.segment.partner_count).

    .venv/bin/python bench/segment_count.py --conf .randevu/odoo.bench.conf --db randevu_bench_segments

Creates its own database once (randevu_marketing, no demo data) with a generated
branch: 50,000 customers (a tenth of them tagged VIP, birthdays over the year), mixed
marketing consents (40% email granted, 10% email withdrawn, 30% SMS granted, 5% email
consents for an old address) and 250,000 appointments over two years (done, a few
no-shows and cancellations, two services, two branches). The data is written with
plain SQL INSERTs (the benchmark measures the segment, not the booking engine; the
appointments hold no time segments). Then counts several saved segments, each read
cold and warm, and reports the wall time and the number of queries of each count.
Writes bench/out/segment_count.json.
"""

import argparse
import random
import time
from datetime import datetime, timedelta

from common import DEFAULT_CONF, insert_customers, open_registry, write_result

CUSTOMERS = 50_000
APPOINTMENTS_PER_CUSTOMER = 5  # on average
BRANCH, OTHER_BRANCH = "Bench segments branch", "Bench segments other branch"
NOW = datetime.now().replace(microsecond=0)

SEGMENTS = {
    "regulars: 3+ visits, email consent": {"visits_min": 3, "consent_channel": "email"},
    "lapsed: no visit in 8 weeks": {"no_visit_weeks": 8},
    "VIP with SMS consent, born in March": {"tag": True, "consent_channel": "sms", "birthday_month": "3"},
    "colour, 1 to 4 visits, other branch": {"colour": True, "visits_min": 1, "visits_max": 4, "other": True},
    "no-shows 2+": {"noshow_min": 2},
    "every criterion": {
        "tag": True,
        "visits_min": 1,
        "visits_max": 20,
        "last_visit_after": (NOW - timedelta(days=700)).date(),
        "no_visit_weeks": 2,
        "colour": True,
        "other": True,
        "noshow_min": 1,
        "consent_channel": "email",
    },
}


def generate(env):
    """The branches, customers, consents and appointments; commits once."""
    print(f"==> generating {CUSTOMERS} customers and about {CUSTOMERS * APPOINTMENTS_PER_CUSTOMER} appointments")
    started = time.time()
    rng = random.Random(16)
    cr = env.cr
    parent = env.ref("base.main_company")
    branch, other = env["res.company"].create(
        [{"name": BRANCH, "parent_id": parent.id}, {"name": OTHER_BRANCH, "parent_id": parent.id}]
    )
    staff = env["hr.employee"].create([{"name": "Bench stylist", "company_id": branch.id, "randevu_bookable": True}])
    cut, colour = env["product.template"].create(
        [
            {"name": "Bench cut", "type": "service", "is_appointment_service": True, "randevu_duration": 0.5},
            {"name": "Bench colour", "type": "service", "is_appointment_service": True, "randevu_duration": 1.0},
        ]
    )
    vip = env["res.partner.category"].create({"name": "Bench VIP"})
    ids, consents = insert_customers(env, CUSTOMERS, "Bench customer", "bench", "+90532", rng, birthdays=True)
    cr.execute(
        "INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id) SELECT unnest(%s::int[]), %s",
        [ids[::10], vip.id],
    )
    rows = []
    for partner_id in ids:
        for _ in range(rng.randint(0, 2 * APPOINTMENTS_PER_CUSTOMER)):
            state = rng.choices(["done", "no_show", "cancelled"], [90, 4, 6])[0]
            start = NOW - timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
            service = colour.id if rng.random() < 0.3 else cut.id
            company = other.id if rng.random() < 0.2 else branch.id
            rows.append((partner_id, company, service, start, state))
    cr.execute(
        """
        INSERT INTO randevu_appointment (partner_id, company_id, service_id, employee_id, start, stop, duration,
                                         state, source, payment_state, name, create_date, write_date)
        SELECT a.partner_id, a.company_id, a.service_id, %s, a.start, a.start + interval '30 minutes', 0.5,
               a.state, 'backend', 'not_paid', 'Bench', now(), now()
          FROM unnest(%s::int[], %s::int[], %s::int[], %s::timestamp[], %s::text[])
               AS a(partner_id, company_id, service_id, start, state)
        """,
        [staff.id, *(list(column) for column in zip(*rows, strict=True))],
    )
    cr.execute("ANALYZE res_partner; ANALYZE randevu_appointment; ANALYZE randevu_consent")
    cr.commit()
    print(f"    {len(ids)} customers, {consents} consents, {len(rows)} appointments in {time.time() - started:.0f}s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_segments")
    args = parser.parse_args()

    import odoo

    registry = open_registry(
        args.conf,
        args.db,
        "randevu_marketing",
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'randevu_segment'",
    )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        branch = env["res.company"].search([("name", "=", BRANCH)])
        if not branch:
            generate(env)
            branch = env["res.company"].search([("name", "=", BRANCH)])
        other = env["res.company"].search([("name", "=", OTHER_BRANCH)])
        vip = env["res.partner.category"].search([("name", "=", "Bench VIP")])
        colour = env["product.template"].search([("name", "=", "Bench colour")])
        results = {}
        for name, criteria in SEGMENTS.items():
            values = {key: value for key, value in criteria.items() if key not in ("tag", "colour", "other")}
            if criteria.get("tag"):
                values["tag_ids"] = [(6, 0, vip.ids)]
            if criteria.get("colour"):
                values["service_ids"] = [(6, 0, colour.ids)]
            if criteria.get("other"):
                values["visited_branch_ids"] = [(6, 0, other.ids)]
            segment = env["randevu.segment"].create({"name": name, "company_id": branch.id, **values})
            env.flush_all()
            timings = []
            for _run in range(3):
                segment._randevu_domain()  # the criteria read
                segment.invalidate_recordset(["partner_count"])
                before = cr.sql_log_count
                started = time.perf_counter()
                count = segment.partner_count
                timings.append(time.perf_counter() - started)
                queries = cr.sql_log_count - before
            results[name] = {
                "customers": count,
                "first_seconds": round(timings[0], 3),
                "best_seconds": round(min(timings), 3),
                "queries": queries,
            }
            print(
                f"    {name:<40} {count:>6} customers  {timings[0]:.3f}s first, {min(timings):.3f}s best,"
                f" {queries} query"
            )
        cr.rollback()  # the segments are not kept
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Bench customer %%'")
        customers = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM randevu_appointment WHERE company_id IN %s", [tuple((branch | other).ids)])
        appointments = cr.fetchone()[0]
    result = {"data": {"customers": customers, "appointments": appointments}, "segments": results}
    write_result("segment_count", result)
    print(f"==> bench/out/segment_count.json: {customers} customers, {appointments} appointments")


if __name__ == "__main__":
    main()
