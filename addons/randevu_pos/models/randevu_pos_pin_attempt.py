from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# At most this many PIN checks that failed per cashier (the till's user) in the window.
PIN_FAILURES_ALLOWED = 5
PIN_WINDOW = timedelta(minutes=15)
# First key of the advisory lock serialising one cashier's PIN checks.
PIN_LOCK_KEY = 0x52504950  # "RPIP"


class RandevuPosPinAttempt(models.Model):
    """A manager's PIN checked for a refund at a till, recorded before the check and
    forgotten when the PIN was right: what is left are the failures. Written on a
    connection of its own and committed at once, so that a refused PIN (whose request
    is rolled back) still counts, and two tills checking at the same moment see each
    other's attempts."""

    _name = "randevu.pos.pin.attempt"
    _description = "Refund PIN Attempt"
    _order = "attempt_date desc"
    _log_access = False

    # Not a Many2one: the row is committed on its own connection, which would not see a
    # user created in the checking transaction (and the attempt must survive it).
    user_ref = fields.Integer(string="User ID", required=True, index=True, readonly=True)
    attempt_date = fields.Datetime(required=True, readonly=True)

    @api.model
    def _randevu_start(self):
        """Count a PIN check of the current user: refused (UserError) after
        PIN_FAILURES_ALLOWED failures in PIN_WINDOW; else the attempt's id, to forget
        (`_randevu_forget`) once the PIN is right."""
        registry = self.env.registry
        now = fields.Datetime.now()
        with registry.cursor() as cr:
            if not registry.in_test_mode():
                # Each statement reads what other connections committed (the lock is taken
                # first, so the count sees every attempt made before it).
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PIN_LOCK_KEY, self.env.uid])
            cr.execute("DELETE FROM randevu_pos_pin_attempt WHERE attempt_date < %s", [now - timedelta(days=1)])
            cr.execute(
                "SELECT count(*) FROM randevu_pos_pin_attempt WHERE user_ref = %s AND attempt_date > %s",
                [self.env.uid, now - PIN_WINDOW],
            )
            if cr.fetchone()[0] >= PIN_FAILURES_ALLOWED:
                raise UserError(
                    self.env._(
                        "Too many wrong PINs: try again in %(minutes)s minutes.",
                        minutes=int(PIN_WINDOW.total_seconds() // 60),
                    )
                )
            cr.execute(
                "INSERT INTO randevu_pos_pin_attempt (user_ref, attempt_date) VALUES (%s, %s) RETURNING id",
                [self.env.uid, now],
            )
            return cr.fetchone()[0]

    @api.model
    def _randevu_forget(self, attempt_id):
        with self.env.registry.cursor() as cr:
            cr.execute("DELETE FROM randevu_pos_pin_attempt WHERE id = %s", [attempt_id])
