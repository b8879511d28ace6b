from datetime import timedelta

from odoo import api, fields, models

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
    times is slowed down as much as a customer clicking twice."""

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
        """Record an attempt, then say whether it goes over a limit.

        :return: the window in minutes when the IP address or the phone number has sent
            more attempts than allowed within it (this one included), else 0
        """
        per_ip, per_phone, window = self._limits()
        self.create({"ip_address": ip_address or "unknown", "phone": phone or False, "branch_id": branch and branch.id})
        since = fields.Datetime.now() - window
        over = self.search_count([("ip_address", "=", ip_address or "unknown"), ("create_date", ">=", since)]) > per_ip
        if phone and not over:
            over = self.search_count([("phone", "=", phone), ("create_date", ">=", since)]) > per_phone
        return int(window.total_seconds() // 60) if over else 0

    @api.autovacuum
    def _gc_attempts(self):
        """Forget attempts older than a day (the longest sensible window)."""
        _per_ip, _per_phone, window = self._limits()
        limit = fields.Datetime.now() - max(window, timedelta(days=1))
        self.search([("create_date", "<", limit)]).unlink()
