from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_consent_ids = fields.One2many(
        "randevu.consent", "partner_id", string="Marketing consents", groups="randevu_calendar.group_randevu_user"
    )
    randevu_consent_event_ids = fields.One2many(
        "randevu.consent.event", "partner_id", string="Consent history", groups="randevu_calendar.group_randevu_user"
    )

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
