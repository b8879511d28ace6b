import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Appointments still to happen: "done" ones are visits, even when dated in the future.
UPCOMING_STATES = ("booked", "confirmed", "arrived", "in_progress")


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_appointment_ids = fields.One2many("randevu.appointment", "partner_id", string="Appointments")
    randevu_customer_note = fields.Text(
        string="Customer Note",
        groups="randevu_calendar.group_randevu_user",
        help="Allergies, preferences: copied onto every new appointment of this customer.",
    )
    randevu_visit_count = fields.Integer(compute="_compute_randevu_stats", string="Visits")
    randevu_upcoming_count = fields.Integer(compute="_compute_randevu_stats", string="Upcoming")
    randevu_noshow_count = fields.Integer(compute="_compute_randevu_stats", string="No-shows")
    randevu_cancel_count = fields.Integer(compute="_compute_randevu_stats", string="Cancellations")
    randevu_last_visit = fields.Datetime(compute="_compute_randevu_stats", string="Last Visit")
    randevu_total_spent = fields.Monetary(
        compute="_compute_randevu_stats", string="Total Spent", currency_field="randevu_currency_id"
    )
    randevu_currency_id = fields.Many2one("res.currency", compute="_compute_randevu_currency_id")
    # Channels the customer turned off (Odoo's email and phone blacklists apply as well).
    randevu_email_opt_out = fields.Boolean(
        string="No Appointment Emails", help="No confirmation, reminder or follow-up by email."
    )
    randevu_sms_opt_out = fields.Boolean(
        string="No Appointment Texts", help="No confirmation, reminder or follow-up by SMS."
    )

    def _compute_randevu_currency_id(self):
        self.randevu_currency_id = self.env.company.currency_id

    def _compute_randevu_stats(self):
        # One grouped query for every partner and state (no query per record).
        Appointment = self.env["randevu.appointment"]
        groups = Appointment._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id", "state"],
            ["__count", "start:max", "price:sum"],
        )
        now = fields.Datetime.now()
        upcoming = dict(
            Appointment._read_group(
                [("partner_id", "in", self.ids), ("start", ">=", now), ("state", "in", UPCOMING_STATES)],
                ["partner_id"],
                ["__count"],
            )
        )
        stats = {}
        for partner, state, count, last_start, price in groups:
            entry = stats.setdefault(partner.id, {"done": 0, "no_show": 0, "cancelled": 0, "last": False, "spent": 0.0})
            if state in entry:
                entry[state] += count
            if state == "done":
                entry["spent"] += price
                entry["last"] = max(entry["last"] or last_start, last_start)
        for partner in self:
            entry = stats.get(partner.id, {})
            partner.randevu_visit_count = entry.get("done", 0)
            partner.randevu_noshow_count = entry.get("no_show", 0)
            partner.randevu_cancel_count = entry.get("cancelled", 0)
            partner.randevu_last_visit = entry.get("last", False)
            partner.randevu_total_spent = entry.get("spent", 0.0)
            partner.randevu_upcoming_count = upcoming.get(partner, 0)

    @api.model
    def _randevu_normalize_phone(self, phone, country=None):
        """`phone` in E.164 (+905321234567), read in `country`'s numbering plan.

        Raises a ValidationError naming the number when it is not a valid phone number.
        """
        if not phone or not phone.strip():
            return False
        region = (country.code if country else None) or None
        try:
            parsed = phonenumbers.parse(phone.strip(), region)
        except phonenumbers.NumberParseException:
            parsed = None
        if not parsed or not phonenumbers.is_valid_number(parsed):
            raise ValidationError(self.env._("%s is not a valid phone number.", phone))
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    @api.model
    def _randevu_find_or_create(self, name, phone=None, email=None, country=None):
        """The customer with this phone (E.164) or email, created when none exists.

        An existing customer is reused, never duplicated; the phone is stored normalised.
        """
        phone = self._randevu_normalize_phone(phone, country)
        email = (email or "").strip().lower() or False
        if not (name or "").strip() and not phone and not email:
            raise ValidationError(self.env._("A customer needs a name, a phone number or an email."))
        domain = []
        if phone:
            domain = ["|", ("phone", "=", phone), ("mobile", "=", phone)]
        if email:
            domain = ["|", *domain, ("email", "=ilike", email)] if domain else [("email", "=ilike", email)]
        partner = self.search(domain, limit=1, order="id") if domain else self.browse()
        if partner:
            return partner
        return self.create(
            {
                "name": (name or "").strip() or phone or email,
                "phone": phone,
                "email": email,
                "country_id": country.id if country else False,
            }
        )

    def action_randevu_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_calendar.randevu_appointment_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
