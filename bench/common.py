"""What the benchmarks of bench/ share: their own database (created once with one addon,
updated when an older version made it), the branch's opening hours, percentiles, the
result file in bench/out/, and the generated customers with their marketing consents."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONF = str(ROOT / ".randevu" / "odoo.bench.conf")


def odoo_bin():
    return Path(__import__("odoo").__file__).parent.parent / "odoo-bin"


def _odoo(conf, db, *args):
    subprocess.run([sys.executable, str(odoo_bin()), "-c", conf, "-d", db, *args], check=True)


def open_registry(conf, db, addon, outdated_sql=None):
    """Odoo configured from `conf` and the registry of `db`: created with `addon` (no demo
    data) when missing, `addon` updated when `outdated_sql` (a query) returns no row, as in a
    database made by an older version of the benchmark."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    if not odoo.service.db.exp_db_exist(db):
        print(f"==> creating database {db} with {addon} (no demo data)", flush=True)
        _odoo(conf, db, "-i", addon, "--without-demo=all", "--stop-after-init", "--log-level=warn")
    elif outdated_sql:
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute(outdated_sql)
            outdated = not cr.fetchone()
        if outdated:
            print(f"==> updating {addon} in {db} (created by an older version)", flush=True)
            _odoo(conf, db, "-u", addon, "--stop-after-init", "--log-level=warn")
    return Registry(db)


def opening_hours(env, name, tz, hour_from, hour_to, **extra):
    """A resource calendar open every day of the week from `hour_from` to `hour_to`."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": tz,
            "attendance_ids": [
                (0, 0, {"name": str(day), "dayofweek": str(day), "hour_from": hour_from, "hour_to": hour_to, **extra})
                for day in range(7)
            ],
        }
    )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_result(name, result):
    """bench/out/<name>.json."""
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))


def bench_branch(env, name, tz, staff_count, staff_prefix):
    """A branch of the main company named `name` (time zone `tz`, open 08:00-20:00 every
    day, in Turkey) with `staff_count` bookable staff members named `staff_prefix NN`.
    Returns the environment allowed in the branch, the branch and its staff."""
    parent = env.ref("base.main_company")
    hours = opening_hours(env, f"{name} hours", tz, 8, 20, day_period="morning")
    branch = env["res.company"].create(
        {
            "name": name,
            "parent_id": parent.id,
            "randevu_tz": tz,
            "resource_calendar_id": hours.id,
            "country_id": env.ref("base.tr").id,
        }
    )
    hours.company_id = branch
    env.user.company_ids |= branch
    env = env(context=dict(env.context, allowed_company_ids=[branch.id, parent.id], tracking_disable=True))
    staff = env["hr.employee"].create(
        [
            {
                "name": f"{staff_prefix} {n:02d}",
                "company_id": branch.id,
                "resource_calendar_id": hours.id,
                "randevu_bookable": True,
            }
            for n in range(staff_count)
        ]
    )
    return env, branch, staff


def insert_customers(env, count, name, email, phone, rng, birthdays=False):
    """`count` customers written with plain SQL (`name N`, `emailN@example.com`, phone
    `phone` + N on 7 digits, a birthday when `birthdays`) and their mixed marketing consents
    drawn from `rng`: 40% email granted, 10% email withdrawn, 5% email granted for an old
    address, and independently 30% SMS granted. Returns (customer ids, consents written)."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, email_normalized, phone, phone_sanitized, active,
                                 type, is_company, randevu_client, randevu_birthday, create_date, write_date)
        SELECT %(name)s || ' ' || n, %(name)s || ' ' || n, %(email)s || n || '@example.com',
               %(email)s || n || '@example.com', %(phone)s || lpad(n::text, 7, '0'),
               %(phone)s || lpad(n::text, 7, '0'), true, 'contact', false, true,
               CASE WHEN %(birthdays)s THEN date '1970-01-01' + (n * 7919 %% 18000) END, now(), now()
          FROM generate_series(1, %(count)s) n
     RETURNING id
        """,
        {"name": name, "email": email, "phone": phone, "birthdays": birthdays, "count": count},
    )
    ids = [row[0] for row in cr.fetchall()]
    consents = []
    for partner_id in ids:
        roll = rng.random()
        if roll < 0.40:
            consents.append((partner_id, "email", "granted", None))
        elif roll < 0.50:
            consents.append((partner_id, "email", "withdrawn", None))
        elif roll < 0.55:
            consents.append((partner_id, "email", "granted", "old"))
        if rng.random() < 0.30:
            consents.append((partner_id, "sms", "granted", None))
    cr.execute(
        """
        INSERT INTO randevu_consent (partner_id, channel, purpose, state, address, date, source, create_date)
        SELECT c.partner_id, c.channel, 'marketing', c.state,
               CASE WHEN c.old IS NOT NULL THEN 'old' || p.email_normalized
                    WHEN c.channel = 'email' THEN p.email_normalized ELSE p.phone_sanitized END,
               now(), 'import', now()
          FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[]) AS c(partner_id, channel, state, old)
          JOIN res_partner p ON p.id = c.partner_id
        """,
        [list(column) for column in zip(*consents, strict=True)],
    )
    return ids, len(consents)
