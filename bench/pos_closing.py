"""Benchmark of a day at the till: 1,000 appointments checked out, then the session closed.

    make bench                      # = scripts/randevu.sh bench: setup, then every script of bench/
    .venv/bin/python bench/pos_closing.py --conf .randevu/odoo.bench.conf --db randevu_bench_pos_closing

Creates its own database once (randevu_pos, no demo data) with a generated branch
(Istanbul time): 50 staff, 8 appointment services, a retail product, 200 customers, a
till paying by cash and card, and its cashier (a POS and Randevu user of the branch).
Each run, in a transaction rolled back at the end (so runs repeat on the same day):
1,000 appointments today (20 half-hour ones per staff member, from 08:00), each
arrived; 1,000 orders synced one by one through `pos.order.sync_from_ui` as the
cashier, exactly as the till sends them (the appointment's service with its performer,
every tenth order a shampoo too, one in three by card); then the session closed as the
till closes it (`post_closing_cash_details`, `update_closing_control_state_session`,
`close_session_from_ui`). Reports the sync's time and queries per order (the first
hundred and the last hundred: they must be the same) and the closing's time and
queries. Writes bench/out/pos_closing.json.
"""

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta

from common import DEFAULT_CONF, bench_branch, open_registry, write_result

STAFF, PER_STAFF, CUSTOMERS = 50, 20, 200
BRANCH = "Bench till branch"
TZ = "Europe/Istanbul"


def generate(env):
    """The bench branch with its staff, services, customers, till and cashier; commits once."""
    print(f"==> generating a branch with {STAFF} staff and a till", flush=True)
    env, branch, staff = bench_branch(env, BRANCH, TZ, STAFF, "Bench stylist")
    env["product.template"].create(
        [
            {
                "name": f"Bench till service {n}",
                "type": "service",
                "is_appointment_service": True,
                "randevu_duration": 0.5,
                "list_price": 300 + 50 * n,
                "taxes_id": [(5, 0, 0)],
                "available_in_pos": True,
                "randevu_staff_line_ids": [(0, 0, {"employee_id": employee.id}) for employee in staff],
            }
            for n in range(8)
        ]
    )
    env["product.product"].create(
        {
            "name": "Bench till shampoo",
            "type": "consu",
            "list_price": 250,
            "available_in_pos": True,
            "taxes_id": [(5, 0, 0)],
        }
    )
    env["res.partner"].create(
        [{"name": f"Bench customer {n:03d}", "phone": f"+90532{n:07d}"} for n in range(CUSTOMERS)]
    )
    if not env["stock.warehouse"].search([("company_id", "=", branch.id)]):
        env["stock.warehouse"].create({"name": "Bench till branch", "code": "BTIL", "company_id": branch.id})
    cash_journal, bank_journal = env["account.journal"].create(
        [
            {"name": "Bench till cash", "code": "BTCS", "type": "cash", "company_id": branch.parent_id.id},
            {"name": "Bench till bank", "code": "BTBK", "type": "bank", "company_id": branch.parent_id.id},
        ]
    )
    methods = env["pos.payment.method"].create(
        [
            {"name": "Cash", "journal_id": cash_journal.id, "company_id": branch.id},
            {"name": "Card", "journal_id": bank_journal.id, "company_id": branch.id},
        ]
    )
    env["pos.config"].with_company(branch).create(
        {"name": "Bench till", "company_id": branch.id, "payment_method_ids": [(6, 0, methods.ids)]}
    )
    groups = [env.ref(xmlid).id for xmlid in ("base.group_user", "point_of_sale.group_pos_user")]
    groups.append(env.ref("randevu_calendar.group_randevu_user").id)
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": "Bench cashier",
            "login": "bench_till_cashier",
            "email": "cashier@bench.example.com",
            "company_id": branch.id,
            "company_ids": [(6, 0, branch.ids)],
            "groups_id": [(6, 0, groups)],
        }
    )
    env.cr.commit()


def book_today(env, branch):
    """1,000 arrived appointments today at the branch, 20 per staff member from 08:00."""
    import pytz

    today = branch._randevu_local_today()
    first = pytz.timezone(TZ).localize(datetime.combine(today, datetime.min.time()) + timedelta(hours=8))
    first = first.astimezone(pytz.utc).replace(tzinfo=None)
    staff = env["hr.employee"].search([("company_id", "=", branch.id), ("name", "like", "Bench stylist")])
    services = env["product.template"].search([("name", "like", "Bench till service")])
    customers = env["res.partner"].search([("name", "like", "Bench customer")])
    vals_list = [
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
    appointments = env["randevu.appointment"].create(vals_list)
    appointments.action_arrive()
    return appointments


def order_data(session, appointment, index, methods, shampoo):
    """The order of `appointment` as the till sends it to sync_from_ui."""
    uuid = f"bench-{session.id}-{index}"
    price = appointment.price
    lines = [
        {
            "product_id": appointment.service_id.product_variant_id.id,
            "qty": 1,
            "price_unit": price,
            "price_subtotal": price,
            "price_subtotal_incl": price,
            "tax_ids": [(6, 0, [])],
            "pack_lot_ids": [],
            "uuid": f"{uuid}-0",
            "randevu_appointment_id": appointment.id,
            "randevu_employee_id": appointment.employee_id.id,
        }
    ]
    if index % 10 == 0:
        lines.append(
            {
                "product_id": shampoo.id,
                "qty": 1,
                "price_unit": shampoo.list_price,
                "price_subtotal": shampoo.list_price,
                "price_subtotal_incl": shampoo.list_price,
                "tax_ids": [(6, 0, [])],
                "pack_lot_ids": [],
                "uuid": f"{uuid}-1",
                "randevu_employee_id": appointment.employee_id.id,
            }
        )
    total = sum(line["price_subtotal_incl"] for line in lines)
    method = methods[1] if index % 3 == 0 else methods[0]
    now = datetime.utcnow().replace(microsecond=0)
    return {
        "amount_paid": total,
        "amount_return": 0,
        "amount_tax": 0,
        "amount_total": total,
        "date_order": now.strftime("%Y-%m-%d %H:%M:%S"),
        "fiscal_position_id": False,
        "pricelist_id": session.config_id.pricelist_id.id,
        "name": f"Order {uuid}",
        "last_order_preparation_change": "{}",
        "lines": [(0, 0, line) for line in lines],
        "partner_id": appointment.partner_id.id,
        "session_id": session.id,
        "sequence_number": index + 1,
        "payment_ids": [(0, 0, {"amount": total, "name": now, "payment_method_id": method.id})],
        "uuid": uuid,
        "user_id": session.user_id.id,
        "to_invoice": False,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_pos_closing")
    args = parser.parse_args()

    import odoo

    registry = open_registry(args.conf, args.db, "randevu_pos")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["res.company"].search([("name", "=", BRANCH)]):
            generate(env)
        branch = env["res.company"].search([("name", "=", BRANCH)])
        cashier = env["res.users"].search([("login", "=", "bench_till_cashier")])
        if not cashier.email:  # a database made by the first version: closing posts a message
            cashier.email = "cashier@bench.example.com"
            cr.commit()
        # Everything below is rolled back: each run starts from the same database.
        started = time.perf_counter()
        admin_env = env(context={"allowed_company_ids": branch.ids, "tracking_disable": True})
        appointments = book_today(admin_env, branch)
        admin_env.flush_all()
        booking_seconds = time.perf_counter() - started
        print(f"==> {len(appointments)} appointments booked today in {booking_seconds:.0f}s", flush=True)

        till_env = env(user=cashier.id, context={"allowed_company_ids": branch.ids})
        config = till_env["pos.config"].search([("company_id", "=", branch.id)])
        config.open_ui()
        session = config.current_session_id
        methods = config.payment_method_ids.sorted(lambda method: method.is_cash_count, reverse=True)
        shampoo = till_env["product.product"].search([("name", "=", "Bench till shampoo")])
        Order = till_env["pos.order"]
        per_order = []
        sync_started = time.perf_counter()
        for index, appointment in enumerate(appointments.with_env(till_env)):
            data = order_data(session, appointment, index, methods, shampoo)
            till_env.invalidate_all()
            before, clock = cr.sql_log_count, time.perf_counter()
            Order.sync_from_ui([data])
            till_env.flush_all()
            per_order.append((time.perf_counter() - clock, cr.sql_log_count - before))
        sync_seconds = time.perf_counter() - sync_started
        paid = appointments.filtered(lambda appt: appt.payment_state == "paid" and appt.state == "done")
        assert len(paid) == len(appointments), f"{len(paid)} of {len(appointments)} appointments paid and done"

        print(f"==> {len(per_order)} orders synced in {sync_seconds:.0f}s; closing the session", flush=True)
        till_env.invalidate_all()
        before, clock = cr.sql_log_count, time.perf_counter()
        session.post_closing_cash_details(session.cash_register_balance_end)
        session.update_closing_control_state_session("Bench closing")
        closing = session.close_session_from_ui()
        till_env.flush_all()
        closing_seconds, closing_queries = time.perf_counter() - clock, cr.sql_log_count - before
        assert closing.get("successful"), closing
        assert session.state == "closed" and session.move_id.state == "posted", session.state
        orders = session.order_ids
        total = sum(orders.mapped("amount_total"))
        cr.rollback()

    first, last = per_order[:100], per_order[-100:]
    result = {
        "data": {"staff": STAFF, "appointments": len(per_order), "orders": len(orders), "total": total},
        "booking_seconds": round(booking_seconds, 1),
        "sync_seconds": round(sync_seconds, 1),
        "sync_ms_per_order_first_100": round(1000 * statistics.mean(s for s, _ in first), 1),
        "sync_ms_per_order_last_100": round(1000 * statistics.mean(s for s, _ in last), 1),
        "sync_queries_per_order_first_100": sorted({q for _, q in first}),
        "sync_queries_per_order_last_100": sorted({q for _, q in last}),
        "closing_seconds": round(closing_seconds, 1),
        "closing_queries": closing_queries,
    }
    write_result("pos_closing", result)
    print(f"\nData: {len(per_order)} appointments today, {STAFF} staff, {len(orders)} orders, total {total:.2f}")
    print(f"  sync, all orders  : {result['sync_seconds']} s")
    for label, which in (("orders 1-100", "first_100"), ("last 100    ", "last_100")):
        ms, queries = result[f"sync_ms_per_order_{which}"], result[f"sync_queries_per_order_{which}"]
        print(f"  sync, {label}: {ms} ms per order, queries per order {queries}")
    print(f"  closing           : {result['closing_seconds']} s, {closing_queries} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
