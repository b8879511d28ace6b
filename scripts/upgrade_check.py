"""Upgrade check: a database made by the code before issue 11 upgrades to this code.

    make upgrade-check          # = scripts/randevu.sh upgrade-check: setup, then this script

1. extracts the addons of BASE (the last commit before the booking service, the
   randevu_account bridge and the outbox worker; git history is enough) into a
   temporary directory;
2. creates a database with them: every addon of that commit, demo data and
   `payment_demo`, then adds what demo data does not hold (SEED): a deposit paid through
   a payment transaction, an invoice deducting it, a waitlist entry and its messages;
3. reads a snapshot of the business records (appointments, deposits and their
   payments, invoices, waitlist, outbox, crons, XML ids);
4. upgrades the database with this checkout's addons (`odoo-bin -u all`);
5. compares: every record of step 3 still there with the same values, no XML id
   twice, no XML id of ours pointing to a missing record, the moved crons keeping
   their state, no error in the upgrade's log.

Prints OK or each difference and exits 1. Never run by `make test` except through
tests/test_upgrade_check.py.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from odoo_process import connect, free_port, odoo_bin, read_options  # noqa: E402

# The last commit before issue 11 (one home per rule, randevu_account): the code whose
# databases must upgrade.
BASE = "2309f78"

# Run in `odoo-bin shell` on BASE's code: records demo data does not make.
SEED = r"""
from datetime import timedelta
from odoo import Command, fields

Appointment = env["randevu.appointment"]
online = env["randevu.online.booking"]
partners = [
    env["res.partner"].create(
        {"name": f"Upgrade Customer {n}", "phone": f"+3361122330{n}", "email": f"up{n}@example.com"}
    )
    for n in range(3)
]
services = env["product.template"].search([("randevu_deposit_type", "not in", [False, "none"])])
booked = Appointment
for branch in env["res.company"].search([("randevu_online_booking", "=", True)]):
    for service in services:
        for employee in online._staff(branch, service):
            for day in online._bookable_days(branch, service, employee)[0][1:]:
                slots = online._day_slots(branch, service, employee, day)
                if slots and len(booked) < 2:
                    booked |= Appointment.create({
                        "company_id": branch.id, "service_id": service.id, "employee_id": employee.id,
                        "start": slots[0]["start"], "partner_id": partners[len(booked)].id,
                        "resource_ids": [Command.set(slots[0]["resource_ids"][:1])],
                    })
print("SERVICES", services.mapped("name"), "BOOKED", booked.ids)
assert len(booked) == 2, "no free time found for the seed"
for appointment in booked:
    provider = env["payment.provider"].search(
        [("code", "=", "demo"), ("company_id", "=", appointment.company_id.id)], limit=1
    )
    transaction = env["payment.transaction"].create({
        "provider_id": provider.id,
        "payment_method_id": provider.payment_method_ids[:1].id,
        "reference": f"RDV-UPGRADE-{appointment.id}",
        "amount": appointment.randevu_deposit_amount or 10.0,
        "currency_id": appointment.currency_id.id,
        "partner_id": appointment.partner_id.id,
        "randevu_appointment_ids": [Command.set(appointment.ids)],
    })
    transaction._set_done()
    transaction._post_process()
action = booked[:1].action_randevu_create_invoice()
env["account.move"].browse(action["res_id"]).action_post()
env["randevu.waitlist"].create({
    "company_id": booked[1].company_id.id, "service_id": booked[1].service_id.id,
    "employee_id": booked[1].employee_id.id,
    "partner_id": partners[2].id, "day": fields.Date.today() + timedelta(days=9),
})
env.cr.commit()
print("SEEDED", booked.ids)
"""

# What must survive the upgrade: (label, query). Rows are compared as they are.
SNAPSHOT = [
    (
        "appointments",
        "SELECT id, start, stop, state, partner_id, employee_id, service_id, company_id, "
        "randevu_deposit_paid FROM randevu_appointment ORDER BY id",
    ),
    (
        "appointment transactions",
        "SELECT transaction_id, appointment_id FROM randevu_appointment_transaction_rel ORDER BY 1, 2",
    ),
    ("transactions", "SELECT id, reference, amount, state, payment_id FROM payment_transaction ORDER BY id"),
    ("payments", "SELECT id, amount, state, partner_id, move_id FROM account_payment ORDER BY id"),
    (
        "invoices",
        "SELECT id, name, state, move_type, amount_total, amount_residual, partner_id, company_id "
        "FROM account_move WHERE move_type != 'entry' ORDER BY id",
    ),
    ("waitlist", "SELECT id, partner_id, service_id, employee_id, day, state FROM randevu_waitlist ORDER BY id"),
    ("outbox", "SELECT id, kind, state, channel, appointment_id, partner_id FROM randevu_message ORDER BY id"),
    (
        "crons",
        "SELECT d.name, c.active, c.interval_number, c.interval_type FROM ir_cron c "
        "JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id WHERE d.module LIKE 'randevu%%' "
        "ORDER BY d.name",
    ),
]
# Snapshots that may gain rows (a new cron of the new code); none may lose or change one.
MAY_GROW = {"crons"}
# Checks on the upgraded database: each query returns the offending rows.
AFTER_CHECKS = [
    (
        "XML ids defined twice",
        "SELECT module, name, count(*) FROM ir_model_data GROUP BY module, name HAVING count(*) > 1",
    ),
    ("XML ids of ours pointing to a missing record", None),
    (
        "modules left half-way (to install, to upgrade, ...)",
        "SELECT name, state FROM ir_module_module WHERE name LIKE 'randevu%%' "
        "AND state NOT IN ('installed', 'uninstalled')",
    ),
    (
        # The old database's addons and the bridge they now depend on; an addon of ours that
        # nothing installed depends on (randevu_pos, say) stays uninstalled, as it should.
        "modules not installed",
        "SELECT name, state FROM ir_module_module "
        "WHERE name IN ('randevu_calendar', 'randevu_account', 'randevu_booking') AND state != 'installed'",
    ),
]
LOG_PROBLEM = re.compile(r" (ERROR|CRITICAL) |Access Rights Inconsistency|Traceback")


def odoo(conf, db, *args, subcommand=(), stdin=None, log=None):
    command = [sys.executable, str(odoo_bin()), *subcommand, "-c", conf, "-d", db, *args]
    command += [f"--http-port={free_port()}", f"--gevent-port={free_port()}"]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if log:
        log.write_text(result.stdout + result.stderr)
    return result


def snapshot(conf, db):
    with closing(connect(conf, db)) as connection, connection.cursor() as cr:
        taken = {}
        for label, query in SNAPSHOT:
            cr.execute(query)
            taken[label] = json.loads(json.dumps(cr.fetchall(), default=str))
        return taken


def missing_targets(conf, db):
    """XML ids of our modules whose record no longer exists."""
    gone = []
    with closing(connect(conf, db)) as connection, connection.cursor() as cr:
        cr.execute("SELECT DISTINCT model FROM ir_model_data WHERE module LIKE 'randevu%%'")
        for (model,) in cr.fetchall():
            table = model.replace(".", "_")
            cr.execute("SELECT to_regclass(%s)", [table])
            if not cr.fetchone()[0]:
                continue
            cr.execute(
                f'SELECT d.module, d.name FROM ir_model_data d LEFT JOIN "{table}" r ON r.id = d.res_id '
                "WHERE d.model = %s AND d.module LIKE 'randevu%%' AND r.id IS NULL",
                [model],
            )
            gone += cr.fetchall()
    return gone


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", required=True, help="an Odoo config for this checkout (its addons_path)")
    parser.add_argument("--base", default=BASE, help="the commit whose database is upgraded")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    started = time.time()
    db = f"randevu_upgrade_{time.strftime('%Y%m%d_%H%M%S')}"
    logs = ROOT / ".randevu" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="randevu-upgrade-"))
    problems = []
    try:
        print(f"==> the addons of {args.base} into {workdir}", flush=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base, "addons"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
        options = read_options(args.conf)
        old_path = options["addons_path"].replace(str(ROOT / "addons"), str(workdir / "addons"))
        old_conf = workdir / "odoo.old.conf"
        old_conf.write_text(Path(args.conf).read_text().replace(options["addons_path"], old_path))
        old_addons = sorted(path.parent.name for path in (workdir / "addons").glob("*/__manifest__.py"))

        print(f"==> database {db} with {', '.join(old_addons)}, demo data and payment_demo (old code)", flush=True)
        result = odoo(
            str(old_conf),
            db,
            "-i",
            ",".join([*old_addons, "payment_demo"]),
            "--stop-after-init",
            "--without-demo=",
            log=logs / "upgrade-old-install.log",
        )
        if result.returncode:
            raise RuntimeError(f"installing {args.base} failed: see .randevu/logs/upgrade-old-install.log")
        result = odoo(str(old_conf), db, "--no-http", subcommand=["shell"], stdin=SEED, log=logs / "upgrade-seed.log")
        if "SEEDED" not in result.stdout:
            raise RuntimeError("seeding failed: see .randevu/logs/upgrade-seed.log")
        before = snapshot(args.conf, db)
        print("    " + ", ".join(f"{len(rows)} {label}" for label, rows in before.items()), flush=True)

        print("==> upgrading it with this checkout's addons (-u all)", flush=True)
        log_path = logs / "upgrade-run.log"
        result = odoo(args.conf, db, "-u", "all", "--stop-after-init", log=log_path)
        if result.returncode:
            problems.append(f"the upgrade exited with {result.returncode}")
        problems += [
            f"upgrade log: {line.strip()}" for line in log_path.read_text().splitlines() if LOG_PROBLEM.search(line)
        ][:20]

        after = snapshot(args.conf, db)
        for label, rows in before.items():
            if label in MAY_GROW:
                after[label] = [row for row in after[label] if row in rows]
            if after[label] != rows:
                lost = [row for row in rows if row not in after[label]]
                added = [row for row in after[label] if row not in rows]
                problems.append(f"{label} changed: {len(lost)} lost/changed {lost[:3]}, {len(added)} new {added[:3]}")
        with closing(connect(args.conf, db)) as connection, connection.cursor() as cr:
            for label, query in AFTER_CHECKS:
                rows = missing_targets(args.conf, db) if query is None else (cr.execute(query) or cr.fetchall())
                if rows:
                    problems.append(f"{label}: {rows[:5]}")
    except (RuntimeError, subprocess.CalledProcessError) as error:
        problems.append(str(error))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            with closing(connect(args.conf, "postgres")) as connection, connection.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{db}"')
    elapsed = time.time() - started
    for problem in problems:
        print(f"!! {problem}")
    print(f"==== upgrade check {'FAILED' if problems else 'OK'} ({args.base} -> this checkout) in {elapsed:.0f}s ====")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
