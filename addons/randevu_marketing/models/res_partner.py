from odoo import api, fields, models
from odoo.osv import expression


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
    # their current address, as it stands when the mailing is sent.
    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """The emails a mailing to contacts must not reach: those of the targeted
        contacts without a granted email consent for that address. An address consented
        by one contact is not refused because another contact shares it."""
        targets = self.search(mailing._get_recipients_domain())
        reachable = self.browse(self.env["randevu.consent"]._randevu_reachable_partner_ids("email", targets.ids))
        return set(targets.mapped("email_normalized")) - set(reachable.mapped("email_normalized")) - {False}

    @api.model
    def _mailing_get_opt_out_list_sms(self, mailing):
        """The contact ids an SMS mailing must not reach: the targeted ones without a
        granted SMS consent for their current number."""
        targets = self.search(mailing._get_recipients_domain())
        reachable = self.env["randevu.consent"]._randevu_reachable_partner_ids("sms", targets.ids)
        return [partner_id for partner_id in targets.ids if partner_id not in reachable]
