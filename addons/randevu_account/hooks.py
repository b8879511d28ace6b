"""Installing randevu_account in a database created before it existed.

Deposits, holds, payments and invoices used to live in randevu_booking. When such a
database is upgraded (``-u all``), the new dependency randevu_account is installed first:
its pre_init_hook gives it the XML ids of the records it now owns, so that they are
updated in place instead of duplicated (and randevu_booking's update then deletes
nothing). Fields move by themselves, the model staying the same; their XML ids,
SQL constraints and relation table are handed over too, so that uninstalling
randevu_booking one day drops none of them.

A module being installed loads its data in "init" mode, which rewrites even noupdate
records: what the owner changed on the moved cron (its active flag, interval, next
call) is read before and written back by post_init_hook.
"""

import logging

_logger = logging.getLogger(__name__)

OLD_MODULE = "randevu_booking"
NEW_MODULE = "randevu_account"

# Records of data files.
MOVED_RECORDS = (
    "ir_cron_randevu_expired_holds",
    "randevu_appointment_view_form",
    "randevu_appointment_action_create_invoice",
)
# The records whose noupdate state their owner may have changed, and what is kept.
KEPT_VALUES = {"ir_cron_randevu_expired_holds": ("active", "interval_number", "interval_type", "nextcall", "priority")}
MOVED_FIELDS = {
    "randevu.appointment": (
        "randevu_deposit_amount",
        "randevu_deposit_paid",
        "randevu_deposit_due",
        "randevu_hold_until",
        "randevu_transaction_ids",
        "randevu_invoice_line_ids",
        "randevu_invoice_ids",
        "randevu_invoice_count",
    ),
    "res.company": ("randevu_hold_minutes", "randevu_noshow_deposit"),
    "payment.transaction": ("randevu_appointment_ids",),
    "account.move": ("randevu_appointment_ids",),
    "account.move.line": ("randevu_appointment_id",),
}
MOVED_CONSTRAINTS = ("res_company_randevu_hold_minutes_positive", "res_company_randevu_noshow_deposit_positive")
MOVED_RELATIONS = ("randevu_appointment_transaction_rel",)

# Kept between the two hooks of one install, per database.
_kept = {}


def _moved_xmlids():
    names = list(MOVED_RECORDS)
    for model, fields in MOVED_FIELDS.items():
        names += [f"field_{model.replace('.', '_')}__{field}" for field in fields]
    names += [f"constraint_{name}" for name in MOVED_CONSTRAINTS]
    return names


def _move_xmlids(env):
    """Give randevu_account the XML ids (and the module of the constraints and relation
    tables) that randevu_booking held before. Returns the names moved."""
    env.flush_all()  # SQL below: pending ORM writes first
    cr = env.cr
    cr.execute(
        """
        UPDATE ir_model_data old
           SET module = %(new)s
         WHERE old.module = %(old)s
           AND old.name IN %(names)s
           AND NOT EXISTS (SELECT 1 FROM ir_model_data new WHERE new.module = %(new)s AND new.name = old.name)
     RETURNING old.name
        """,
        {"old": OLD_MODULE, "new": NEW_MODULE, "names": tuple(_moved_xmlids())},
    )
    moved = [name for (name,) in cr.fetchall()]
    cr.execute("SELECT id FROM ir_module_module WHERE name = %s", (NEW_MODULE,))
    row = cr.fetchone()
    if row:
        cr.execute(
            """
            UPDATE ir_model_constraint SET module = %(new)s
             WHERE name IN %(names)s AND module = (SELECT id FROM ir_module_module WHERE name = %(old)s)
            """,
            {"new": row[0], "old": OLD_MODULE, "names": MOVED_CONSTRAINTS},
        )
        cr.execute(
            """
            UPDATE ir_model_relation SET module = %(new)s
             WHERE name IN %(names)s AND module = (SELECT id FROM ir_module_module WHERE name = %(old)s)
            """,
            {"new": row[0], "old": OLD_MODULE, "names": MOVED_RELATIONS},
        )
    if moved:
        _logger.info("XML ids moved from %s to %s: %s", OLD_MODULE, NEW_MODULE, ", ".join(moved))
        # Written in SQL: the XML id lookups and records cached so far are stale.
        env["ir.model.data"].invalidate_model(["module"])
        env.registry.clear_cache()
    return moved


def _read_kept_values(env):
    """{xmlid name: {field: value}} of the moved noupdate records, as their owner left them."""
    kept = {}
    for name, fields in KEPT_VALUES.items():
        record = env.ref(f"{NEW_MODULE}.{name}", raise_if_not_found=False)
        if record:
            values = record.with_context(active_test=False).read(fields)[0]
            kept[name] = {field: values[field] for field in fields}
    return kept


def _write_kept_values(env, kept):
    for name, values in kept.items():
        record = env.ref(f"{NEW_MODULE}.{name}", raise_if_not_found=False)
        if record:
            record.write(values)


def pre_init_hook(env):
    _move_xmlids(env)
    _kept[env.cr.dbname] = _read_kept_values(env)


def post_init_hook(env):
    _write_kept_values(env, _kept.pop(env.cr.dbname, {}))
