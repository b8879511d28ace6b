"""Benchmark of the commission engine (randevu.commission.period.action_compute).

    make bench                      # = scripts/randevu.sh bench: setup, then every script of bench/
    .venv/bin/python bench/commissions.py --conf .randevu/odoo.bench.conf --db randevu_bench_commissions

Creates its own database once (randevu_pos, no demo data) with a generated branch:
20 staff (two staff categories), 8 services in two categories and 2 retail products,
rules of each kind (a staff member's progressive bands, a category's retroactive
bands, everyone's percentage, a fixed amount per unit, retail less the product's
cost), and 1,000 paid POS orders of 10 lines each over January 2031 (one line in 20
a refund): 10,000 lines. Each run computes the month (a cold run, then warm runs
that recompute it: idempotent) and a week of it, and reports wall time, queries and
the commission total; the queries of the week (about 2,300 lines) and of the month
(10,000) are the same number. Writes bench/out/commissions.json.
"""

import argparse
import sys
import time
from datetime import date, datetime, timedelta

from common import DEFAULT_CONF, open_registry, write_result

STAFF, ORDERS, LINES_PER_ORDER = 20, 1000, 10
BRANCH = "Bench commissions branch"
TZ = "Europe/Istanbul"


def generate(env):
    """The bench branch, its staff, products, rules and 10,000 paid lines; commits once."""
    print(f"==> generating {STAFF} staff and {ORDERS * LINES_PER_ORDER} paid POS lines", flush=True)
    started = time.time()
    parent = env.ref("base.main_company")
    branch = env["res.company"].create({"name": BRANCH, "parent_id": parent.id, "randevu_tz": TZ})
    env.user.company_ids |= branch
    env = env(context=dict(env.context, allowed_company_ids=[branch.id, parent.id]))
    seniors, juniors = env["hr.employee.category"].create([{"name": "Bench seniors"}, {"name": "Bench juniors"}])
    staff = env["hr.employee"].create(
        [
            {
                "name": f"Bench stylist {n:02d}",
                "company_id": branch.id,
                "category_ids": [(6, 0, (seniors if n % 2 else juniors).ids)],
            }
            for n in range(STAFF)
        ]
    )
    hair, nails = env["product.category"].create([{"name": "Bench hair"}, {"name": "Bench nails"}])
    services = env["product.product"].create(
        [
            {
                "name": f"Bench service {n}",
                "type": "service",
                "categ_id": (hair if n < 5 else nails).id,
                "list_price": 20 + 10 * n,
                "taxes_id": [(5, 0, 0)],
            }
            for n in range(8)
        ]
    )
    retail = env["product.product"].create(
        [
            {"name": f"Bench shampoo {n}", "type": "consu", "list_price": 12 + n, "taxes_id": [(5, 0, 0)]}
            for n in range(2)
        ]
    )
    for product in retail:
        product.with_company(branch).standard_price = 4
    Rule = env["randevu.commission.rule"]
    bands = [(0, 0, {"from_amount": 0, "rate": 10}), (0, 0, {"from_amount": 5000, "rate": 15})]
    Rule.create(
        [
            {"name": "Everyone", "company_id": branch.id, "rate": 8},
            {
                "name": "Hair, seniors",
                "company_id": branch.id,
                "employee_category_id": seniors.id,
                "product_category_id": hair.id,
                "tier_mode": "retroactive",
                "tier_ids": bands,
            },
            {
                "name": "Nails, fixed",
                "company_id": branch.id,
                "product_category_id": nails.id,
                "amount_type": "fixed",
                "fixed_amount": 3,
            },
            {"name": "Retail", "company_id": branch.id, "applies_to": "retail", "rate": 5, "deduct_cost": True},
        ]
        + [
            {
                "name": f"Stylist {n:02d}, hair",
                "company_id": branch.id,
                "employee_id": staff[n].id,
                "product_category_id": hair.id,
                "tier_mode": "progressive",
                "tier_ids": bands,
            }
            for n in range(0, STAFF, 4)
        ]
    )
    if not env["stock.warehouse"].search([("company_id", "=", branch.id)]):
        env["stock.warehouse"].create({"name": "Bench branch", "code": "BNCH", "company_id": branch.id})
    journal = env["account.journal"].create(
        {"name": "Bench cash", "code": "BCSH", "type": "cash", "company_id": parent.id}
    )
    cash = env["pos.payment.method"].create({"name": "Cash", "journal_id": journal.id, "company_id": branch.id})
    config = (
        env["pos.config"]
        .with_company(branch)
        .create({"name": "Bench till", "company_id": branch.id, "payment_method_ids": [(6, 0, cash.ids)]})
    )
    session = env["pos.session"].with_company(branch).create({"config_id": config.id})
    products = services + retail
    first = datetime(2031, 1, 1, 7)  # 10:00 in Istanbul
    orders = []
    for n in range(ORDERS):
        lines, total = [], 0.0
        for k in range(LINES_PER_ORDER):
            index = n * LINES_PER_ORDER + k
            product = products[index % len(products)]
            qty = -1 if index % 20 == 19 else 1 + (index % 3 == 0)
            price = product.list_price
            discount = 10 if index % 7 == 0 else 0
            subtotal = round(qty * price * (1 - discount / 100), 2)
            total += subtotal
            lines.append(
                (0, 0, {
                    "product_id": product.id, "qty": qty, "price_unit": price, "discount": discount,
                    "price_subtotal": subtotal, "price_subtotal_incl": subtotal,
                    "randevu_employee_id": staff[index % STAFF].id,
                })
            )  # fmt: skip
        orders.append(
            {
                "session_id": session.id,
                "date_order": first + timedelta(minutes=43 * n),  # spread over the 31 days
                "lines": lines,
                "amount_tax": 0,
                "amount_total": total,
                "amount_paid": total,
                "amount_return": 0,
                "state": "paid",
            }
        )
    env["pos.order"].with_company(branch).create(orders)
    env.cr.commit()
    print(f"    done in {time.time() - started:.0f}s", flush=True)


def period_of(env, branch, period_type, date_from):
    Period = env["randevu.commission.period"]
    period = Period.search([("company_id", "=", branch.id), ("date_from", "=", date_from)])
    return period or Period.create({"company_id": branch.id, "period_type": period_type, "date_from": date_from})


def run(env, period):
    """One computation; returns (seconds, queries)."""
    env.invalidate_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    period.action_compute()
    env.flush_all()
    seconds = time.perf_counter() - started
    return seconds, env.cr.sql_log_count - before


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_commissions")
    parser.add_argument("--runs", type=int, default=3, help="warm runs of the month")
    args = parser.parse_args()

    import odoo

    registry = open_registry(
        args.conf,
        args.db,
        "randevu_pos",
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'randevu_commission_line' AND column_name = 'move_line_id'",
    )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        branch = env["res.company"].search([("name", "=", BRANCH)])
        if not branch:
            generate(env)
            branch = env["res.company"].search([("name", "=", BRANCH)])
        env = env(context={"allowed_company_ids": branch.ids})
        month = period_of(env, branch, "month", date(2031, 1, 1))
        cold_seconds, cold_queries = run(env, month)
        warm = [run(env, month) for _ in range(args.runs)]
        lines = len(month.line_ids)
        total = month.amount_total
        cr.commit()
        # A week of January in its own period needs the month out of the way (periods never overlap).
        month_id = month.id
        cr.execute("SAVEPOINT bench_week")
        month.unlink()
        week = period_of(env, branch, "week", date(2031, 1, 6))
        run(env, week)
        week_seconds, week_queries = run(env, week)
        week_lines = len(week.line_ids)
        cr.execute("ROLLBACK TO SAVEPOINT bench_week")
        env.invalidate_all()
        assert env["randevu.commission.period"].browse(month_id).exists()
        cr.commit()

    best = min(seconds for seconds, _ in warm)
    result = {
        "data": {"staff": STAFF, "orders": ORDERS, "pos_lines": ORDERS * LINES_PER_ORDER, "commission_lines": lines},
        "month_cold_seconds": round(cold_seconds, 2),
        "month_cold_queries": cold_queries,
        "month_warm_seconds": [round(seconds, 2) for seconds, _ in warm],
        "month_warm_queries": [queries for _, queries in warm],
        "lines_per_second": round(lines / best),
        "week_lines": week_lines,
        "week_seconds": round(week_seconds, 2),
        "week_queries": week_queries,
        "commission_total": total,
    }
    write_result("commissions", result)
    print(f"\nData: {STAFF} staff, {ORDERS} paid orders, {ORDERS * LINES_PER_ORDER} POS lines in January 2031")
    print(f"Commission month ({lines} commission lines, total {total:.2f}):")
    print(f"  cold run       : {result['month_cold_seconds']} s, {cold_queries} queries")
    print(f"  warm runs      : {result['month_warm_seconds']} s, {result['month_warm_queries']} queries")
    print(f"  throughput     : {result['lines_per_second']} lines/s (best warm run)")
    print(f"  one week       : {week_lines} lines, {result['week_seconds']} s, {week_queries} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
