from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from odoo.addons.randevu_calendar.const import APPOINTMENT_HOLDING_STATES, ATTENDEE_SEAT_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_consent_ids = fields.One2many(
        "randevu.consent", "partner_id", string="Marketing consents", groups="randevu_calendar.group_randevu_user"
    )
    randevu_consent_event_ids = fields.One2many(
        "randevu.consent.event", "partner_id", string="Consent history", groups="randevu_calendar.group_randevu_user"
    )
    # Search only ("customers of segment X", the segment's Customers button): a segment's
    # customers are its domain, never a stored list.
    randevu_segment_ids = fields.Many2many(
        "randevu.segment",
        string="Segments",
        compute="_compute_randevu_segment_ids",
        search="_search_randevu_segment_ids",
        groups="randevu_calendar.group_randevu_user",
    )

    # The customer profile's marketing buttons: the campaigns that reached her and the
    # bookings campaigns brought (one grouped query each for all the customers shown).
    randevu_mailing_count = fields.Integer(
        "Campaigns Received",
        compute="_compute_randevu_mailing_count",
        groups="mass_mailing.group_mass_mailing_user",
        help="Mailings (email, SMS) sent to this customer, not those cancelled or failed.",
    )
    randevu_campaign_booking_count = fields.Integer(
        "Bookings Brought",
        compute="_compute_randevu_campaign_booking_count",
        groups="randevu_calendar.group_randevu_user",
        help="Her appointments made through a campaign (its link, QR code or discount code), not cancelled.",
    )

    def _randevu_received_domain(self):
        return [
            ("model", "=", "res.partner"),
            ("res_id", "in", self.ids),
            ("trace_status", "not in", ("cancel", "error", "bounce")),
        ]

    def _compute_randevu_mailing_count(self):
        groups = self.env["mailing.trace"]._read_group(
            self._randevu_received_domain() if self.ids else [("id", "=", False)],
            ["res_id"],
            ["mass_mailing_id:count_distinct"],
        )
        counts = dict(groups)
        for partner in self:
            partner.randevu_mailing_count = counts.get(partner.id, 0)

    def _randevu_brought_domain(self):
        return [("partner_id", "in", self.ids), ("campaign_id", "!=", False), ("state", "!=", "cancelled")]

    def _compute_randevu_campaign_booking_count(self):
        Appointment = self.env["randevu.appointment"]
        groups = Appointment._read_group(self._randevu_brought_domain(), ["partner_id"], ["__count"])
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.randevu_campaign_booking_count = counts.get(partner.id, 0)

    def _randevu_check_profile_action(self, group="randevu_calendar.group_randevu_user"):
        """The customer profile's buttons (campaigns received, bookings brought, codes
        used) open the team's business about a customer: refused, through the API as in
        the form, to anyone outside `group` (the button's) and for a customer the user
        cannot read. The list opened shows only what the user's record rules let her
        read (her branches' bookings)."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(group):
            raise AccessError(self.env._("Only the salon's team may open a customer's campaigns and bookings."))
        self.check_access("read")

    def action_randevu_mailings_received(self):
        self._randevu_check_profile_action("mass_mailing.group_mass_mailing_user")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Campaigns Received"),
            "res_model": "mailing.trace",
            "view_mode": "list,form",
            "domain": self._randevu_received_domain(),
            "context": {"create": False},
        }

    def action_randevu_campaign_bookings(self):
        self._randevu_check_profile_action()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_marketing.randevu_campaign_bookings_action")
        action["domain"] = [("partner_id", "=", self.id), ("campaign_id", "!=", False)]
        action["context"] = {"search_default_randevu_not_cancelled": 1, "create": False}
        return action

    def _compute_randevu_segment_ids(self):
        # Not computed per customer (one query per segment and customer): searched only.
        self.randevu_segment_ids = False

    def _search_randevu_segment_ids(self, operator, value):
        if operator not in ("=", "in") or not value:
            raise NotImplementedError(self.env._("Customers can only be searched by the segment they are in."))
        segments = self.env["randevu.segment"].browse([value] if isinstance(value, int) else value)
        return expression.OR([segment._randevu_domain() for segment in segments.exists()]) or expression.FALSE_DOMAIN

    # Called by mailing.mailing at send time (mass_mailing's opt-out hooks): a marketing
    # mailing to contacts reaches only those whose consent for the channel is granted for
    # their current address, as it stands when the mailing is sent. mass_mailing asks for
    # each batch; our composers name the batch's contacts in the context key
    # `randevu_mailing_batch_ids` (else: every contact the mailing targets).
    @api.model
    def _randevu_mailing_batch_ids(self, mailing):
        batch_ids = self.env.context.get("randevu_mailing_batch_ids")
        if batch_ids is not None:
            return list(batch_ids)
        return self.search(mailing._get_recipients_domain()).ids

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """The emails a mailing to contacts must not reach: those of the targeted
        contacts without a granted email consent for that address. An address consented
        by one contact is not refused because another contact shares it. One query."""
        partner_ids = self._randevu_mailing_batch_ids(mailing)
        if not partner_ids:
            return set()
        self.flush_model(["email_normalized"])
        self.env["randevu.consent"].flush_model(["state", "address", "partner_id", "channel", "purpose"])
        self.env.cr.execute(
            """
            SELECT partner.email_normalized
              FROM res_partner partner
             WHERE partner.id = ANY(%s) AND partner.email_normalized IS NOT NULL
          GROUP BY partner.email_normalized
            HAVING NOT bool_or(EXISTS (
                       SELECT 1 FROM randevu_consent consent
                        WHERE consent.partner_id = partner.id
                          AND consent.channel = 'email' AND consent.purpose = 'marketing'
                          AND consent.state = 'granted' AND consent.address = partner.email_normalized))
            """,
            [partner_ids],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _mailing_get_opt_out_list_sms(self, mailing):
        """The contact ids an SMS mailing must not reach: the targeted ones without a
        granted SMS consent for their current number. One query."""
        partner_ids = self._randevu_mailing_batch_ids(mailing)
        reachable = self.env["randevu.consent"]._randevu_reachable_partner_ids("sms", partner_ids)
        return [partner_id for partner_id in partner_ids if partner_id not in reachable]

    def _randevu_first_visit(self, exclude=None, exclude_order=None, exclude_seats=None):
        """Whether this customer has never come and has nothing else booked, at any
        branch (see _randevu_returning_ids): the one rule of first-visit offers, on the
        website (randevu_booking_marketing) and at the till (randevu_pos_marketing)."""
        self.ensure_one()
        return self.id not in self._randevu_returning_ids(exclude, exclude_order, exclude_seats)

    def _randevu_returning_ids(self, exclude=None, exclude_order=None, exclude_seats=None):
        """The ids of the customers of `self` who are not a first visit: an appointment
        done or still to come (booked, confirmed, arrived, in progress) or a seat in a
        group class, at any branch (randevu_pos_marketing adds: a paid order at the
        till). A cancelled booking or a no-show is no visit. One query per kind of
        visit, whatever the number of customers.

        :param exclude: appointments not to count (the one a code is applied to, those
            the till's order pays)
        :param exclude_order: a till order not to count (the one being paid)
        :param exclude_seats: class seats not to count (those the till's order pays)
        """
        if not self.ids:
            return set()
        # Superuser: every branch's visits count, whoever asks (the website's visitor,
        # a receptionist or cashier of one branch); only customer ids come out.
        domain = [("partner_id", "in", self.ids), ("state", "in", APPOINTMENT_HOLDING_STATES)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        groups = self.env["randevu.appointment"].sudo()._read_group(domain, ["partner_id"])
        returning = {partner.id for (partner,) in groups}
        rest = self.browse(set(self.ids) - returning)
        if rest:
            seat_domain = [("partner_id", "in", rest.ids), ("state", "in", ATTENDEE_SEAT_STATES)]
            if exclude_seats:
                seat_domain.append(("id", "not in", exclude_seats.ids))
            seats = self.env["randevu.attendee"].sudo()._read_group(seat_domain, ["partner_id"])
            returning |= {partner.id for (partner,) in seats}
        return returning
