from odoo import api, models
from odoo.tools import SQL


class RandevuMessage(models.Model):
    _inherit = "randevu.message"

    @api.model
    def _randevu_rebook_days(self, partner):
        """Client reconnect (issue 16): the core's rebooking reminder waits for the
        client's own usual interval for the service's category (randevu.client.interval)
        instead of the service's fixed one, when her visit `a` is her last one in that
        category, the branch of the visit has an active *Client reconnect* automation and
        she has a marketing consent for a channel (email, SMS or WhatsApp) that covers her
        current address. Otherwise the service's interval, as before."""
        fixed = super()._randevu_rebook_days(partner)
        Segment = self.env["randevu.segment"]
        consented = SQL(" OR ").join(
            SQL("%s IN %s", partner, Segment._randevu_consent_partners(channel))
            for channel in ("email", "sms", "whatsapp")
        )
        return SQL(
            """COALESCE((SELECT ci.interval_days
                           FROM randevu_client_interval ci
                          WHERE ci.partner_id = %(partner)s
                            AND ci.categ_id = s.categ_id
                            AND ci.last_visit <= a.start
                            AND EXISTS (SELECT 1 FROM randevu_marketing_automation ra
                                         WHERE ra.company_id = a.company_id AND ra.kind = 'reconnect'
                                           AND ra.active)
                            AND (%(consented)s)), %(fixed)s)""",
            partner=partner,
            consented=consented,
            fixed=fixed,
        )
