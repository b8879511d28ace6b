from datetime import timedelta

from odoo import api, fields, models
from odoo.api import Transaction
from odoo.sql_db import TestCursor

# ir.config_parameter keys of the attempt limits, and their defaults.
LIMIT_PARAMETERS = {
    "randevu_booking.attempts_per_ip": 10,
    "randevu_booking.attempts_per_phone": 5,
    "randevu_booking.attempt_window_minutes": 60,
}


class RandevuBookingAttempt(models.Model):
    """One online booking request (a POST of the details form), kept for a day to
    limit how many a connection or a phone number may send in a window.

    Written whether the booking succeeds or not: a bot trying phone numbers or
    times is slowed down as much as a customer clicking twice.

    The limits hold under simultaneous requests. Each attempt is recorded and
    counted in a short transaction of its own, committed at once (so a refused or
    failed booking still counts, and the request's own transaction, at REPEATABLE
    READ, never has to see it):

    - at READ COMMITTED, where every statement sees what was committed before it
      started (at REPEATABLE READ, the snapshot taken by the first statement would
      predate the lock below and miss the attempts committed while waiting for it);
    - under a transaction-level advisory lock per IP address and per phone number,
      taken in one order: attempts of the same key are recorded and counted one after
      the other, each seeing those before it, and the lock is released at commit.

    Thirty attempts at once from one address with a limit of ten: exactly ten go
    through (tests/test_booking_attempt.py, on real connections).
    """

    _name = "randevu.booking.attempt"
    _description = "Online Booking Attempt"
    _order = "id desc"
    _rec_name = "ip_address"

    ip_address = fields.Char(string="IP Address", required=True, index=True, readonly=True)
    phone = fields.Char(index="btree_not_null", readonly=True, help="Normalised (E.164), when it was valid.")
    branch_id = fields.Many2one("res.company", ondelete="cascade", readonly=True)

    @api.model
    def _limits(self):
        """(attempts per IP, attempts per phone, window) from the system parameters."""
        get_param = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for key, default in LIMIT_PARAMETERS.items():
            try:
                values[key] = max(int(get_param(key, default)), 1)
            except (TypeError, ValueError):
                values[key] = default
        return (
            values["randevu_booking.attempts_per_ip"],
            values["randevu_booking.attempts_per_phone"],
            timedelta(minutes=values["randevu_booking.attempt_window_minutes"]),
        )

    @api.model
    def _register_attempt(self, ip_address, phone=None, branch=None):
        """Record an attempt, then say whether it goes over a limit; in a transaction
        of its own, committed before returning (see the class docstring).

        :return: the window in minutes when the IP address or the phone number has sent
            more attempts than allowed within it (this one included), else 0
        """
        with self.env.registry.cursor() as cr:
            # The registry is handed over rather than looked up by name (which waits
            # for the registry lock a test runner may hold).
            cr.transaction = Transaction(self.env.registry)
            return self.with_env(self.env(cr=cr))._count_attempt(ip_address or "unknown", phone or False, branch)

    @api.model
    def _count_attempt(self, ip_address, phone, branch):
        """_register_attempt on the environment's cursor, which must be at the start
        of a transaction of its own: locks, records, counts; the caller commits."""
        cr = self.env.cr
        if not isinstance(cr, TestCursor):  # a test's cursor is one transaction already
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        keys = [f"randevu.booking.attempt:ip:{ip_address}"]
        if phone:
            keys.append(f"randevu.booking.attempt:phone:{phone}")
        cr.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest(%s::text[]) AS key "
            "ORDER BY hashtextextended(key, 0)",
            [keys],
        )
        per_ip, per_phone, window = self._limits()
        self.create({"ip_address": ip_address, "phone": phone, "branch_id": branch and branch.id})
        since = fields.Datetime.now() - window
        over = self.search_count([("ip_address", "=", ip_address), ("create_date", ">=", since)]) > per_ip
        if phone and not over:
            over = self.search_count([("phone", "=", phone), ("create_date", ">=", since)]) > per_phone
        return int(window.total_seconds() // 60) if over else 0

    @api.autovacuum
    def _gc_attempts(self):
        """Forget attempts older than a day (the longest sensible window)."""
        _per_ip, _per_phone, window = self._limits()
        limit = fields.Datetime.now() - max(window, timedelta(days=1))
        self.search([("create_date", "<", limit)]).unlink()
