"""Benchmark of a busy day's consumables: 1,000 appointments done in one batch, each
writing its products off the branch's stock in one transfer.

    make bench                      # = scripts/randevu.sh bench: setup, then every script of bench/
    .venv/bin/python bench/inventory_done.py --conf .randevu/odoo.bench.conf --db randevu_bench_inventory

Creates its own database once (randevu_inventory, no demo data) with a generated branch
(Istanbul time, its warehouse made by randevu_inventory): 50 staff, 4 services each using
two products (a colour cream bought by the litre and used by the millilitre, and a
lot-tracked serum removed first-expiring-first-out from three lots), 200 customers,
stock for the day. Each run, in a transaction rolled back at the end (so runs repeat):
1,000 appointments today (20 half-hour ones per staff member from 08:00), started,
then done in one `action_done()` of the whole batch, the first 100 in a batch of their
own and the last 100 too, so that the queries per appointment of a small and a large
batch can be compared: they must not grow. Writes bench/out/inventory_done.json.
"""

import argparse
import sys
import time
from datetime import datetime, timedelta

from common import DEFAULT_CONF, bench_branch, open_registry, write_result

STAFF, PER_STAFF, CUSTOMERS = 50, 20, 200
BRANCH = "Bench stock branch"
TZ = "Europe/Istanbul"


def generate(env):
    """The bench branch with its staff, services, their products, stock and customers; commits once."""
    print(f"==> generating a branch with {STAFF} staff and stock", flush=True)
    env, branch, staff = bench_branch(env, BRANCH, TZ, STAFF, "Bench stock stylist")
    litre = env.ref("uom.product_uom_litre")
    ml = env["uom.uom"].create(
        {"name": "bench ml", "category_id": litre.category_id.id, "factor": 1000, "uom_type": "smaller", "rounding": 1}
    )
    fefo = env["product.category"].create(
        {"name": "Bench professional (FEFO)", "removal_strategy_id": env.ref("product_expiry.removal_fefo").id}
    )
    cream, serum = env["product.product"].create(
        [
            {
                "name": "Bench colour cream",
                "is_storable": True,
                "uom_id": litre.id,
                "uom_po_id": litre.id,
                "standard_price": 30,
                "categ_id": fefo.id,
            },
            {
                "name": "Bench serum",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "standard_price": 8,
                "categ_id": fefo.id,
            },
        ]
    )
    services = env["product.template"].create(
        [
            {
                "name": f"Bench stock service {n}",
                "type": "service",
                "is_appointment_service": True,
                "randevu_duration": 0.5,
                "list_price": 300 + 50 * n,
                "randevu_staff_line_ids": [(0, 0, {"employee_id": employee.id}) for employee in staff],
            }
            for n in range(4)
        ]
    )
    env["randevu.service.consumable"].create(
        [
            vals
            for service in services
            for vals in (
                {"service_id": service.id, "product_id": cream.id, "quantity": 60, "uom_id": ml.id},
                {"service_id": service.id, "product_id": serum.id, "quantity": 1},
            )
        ]
    )
    stock = branch._randevu_warehouse().lot_stock_id
    Quant = env["stock.quant"]
    Quant._update_available_quantity(cream, stock, 100)  # litres: 1,000 x 60 ml = 60 l
    now = datetime.now()
    for n in range(3):
        lot = env["stock.lot"].create(
            {
                "name": f"BENCH-SER-{n}",
                "product_id": serum.id,
                "company_id": branch.id,
                "expiration_date": now + timedelta(days=60 + 90 * n),
            }
        )
        Quant._update_available_quantity(serum, stock, 400, lot_id=lot)
    env["res.partner"].create(
        [{"name": f"Bench stock customer {n:03d}", "phone": f"+90533{n:07d}"} for n in range(CUSTOMERS)]
    )
    env.cr.commit()


def book_today(env, branch):
    """1,000 started appointments today at the branch, 20 per staff member from 08:00."""
    import pytz

    today = branch._randevu_local_today()
    first = pytz.timezone(TZ).localize(datetime.combine(today, datetime.min.time()) + timedelta(hours=8))
    first = first.astimezone(pytz.utc).replace(tzinfo=None)
    staff = env["hr.employee"].search([("company_id", "=", branch.id), ("name", "like", "Bench stock stylist")])
    services = env["product.template"].search([("name", "like", "Bench stock service")])
    customers = env["res.partner"].search([("name", "like", "Bench stock customer")])
    appointments = env["randevu.appointment"].create(
        [
            {
                "company_id": branch.id,
                "service_id": services[(slot + n) % len(services)].id,
                "employee_id": employee.id,
                "start": first + timedelta(minutes=30 * slot),
                "partner_id": customers[(slot * len(staff) + n) % len(customers)].id,
                "hours_override": True,
            }
            for slot in range(PER_STAFF)
            for n, employee in enumerate(staff)
        ]
    )
    appointments.action_start()
    return appointments


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_inventory")
    args = parser.parse_args()

    import odoo

    registry = open_registry(args.conf, args.db, "randevu_inventory")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["res.company"].search([("name", "=", BRANCH)]):
            generate(env)
        branch = env["res.company"].search([("name", "=", BRANCH)])
        # Everything below is rolled back: each run starts from the same database.
        env = env(context={"allowed_company_ids": branch.ids, "tracking_disable": True})
        appointments = book_today(env, branch)
        env.flush_all()
        print(f"==> {len(appointments)} appointments started today; done in batches", flush=True)
        batches = [
            ("first 100", appointments[:100]),
            ("middle 800", appointments[100:900]),
            ("last 100", appointments[900:]),
        ]
        results = {}
        total_seconds = total_queries = 0
        for label, batch in batches:
            env.invalidate_all()
            before, clock = cr.sql_log_count, time.perf_counter()
            batch.action_done()
            env.flush_all()
            seconds, queries = time.perf_counter() - clock, cr.sql_log_count - before
            total_seconds += seconds
            total_queries += queries
            results[label] = {
                "appointments": len(batch),
                "seconds": round(seconds, 1),
                "ms_per_appointment": round(1000 * seconds / len(batch), 1),
                "queries_per_appointment": round(queries / len(batch), 1),
            }
        pickings = appointments.randevu_consumption_picking_id
        assert len(pickings) == len(appointments), f"{len(pickings)} transfers for {len(appointments)} appointments"
        assert set(pickings.mapped("state")) == {"done"}, set(pickings.mapped("state"))
        lots = pickings.move_line_ids.lot_id.mapped("name")
        short = sum(appointments.mapped("randevu_stock_short"))
        cr.rollback()

    result = {
        "data": {"staff": STAFF, "appointments": len(appointments), "products_per_appointment": 2},
        "batches": results,
        "total_seconds": round(total_seconds, 1),
        "total_queries_per_appointment": round(total_queries / len(appointments), 1),
        "serum_lots_used": sorted(set(lots)),
        "short_appointments": short,
    }
    write_result("inventory_done", result)
    print(f"\nData: {len(appointments)} appointments, {STAFF} staff, 2 products each (one lot-tracked, FEFO)")
    for label, row in results.items():
        print(
            f"  done, {label:10}: {row['seconds']} s, {row['ms_per_appointment']} ms and "
            f"{row['queries_per_appointment']} queries per appointment"
        )
    print(f"  all: {result['total_seconds']} s; serum lots used {result['serum_lots_used']}; short {short}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
