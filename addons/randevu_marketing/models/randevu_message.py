from odoo import api, fields, models
from odoo.tools import SQL


class RandevuMessage(models.Model):
    _inherit = "randevu.message"

    randevu_marketing_nudge = fields.Boolean(
        "Client Reconnect Nudge",
        readonly=True,
        copy=False,
        help="This rebooking reminder came at the client's own usual interval (Client reconnect): a marketing "
        "message, counted in the branch's frequency cap.",
    )

    @api.model
    def _randevu_reconnect_where(self, partner):
        """SQL condition on the usual interval `ci` of the customer in column `partner`:
        it is the one of the service `s` of her visit `a`, the visit's branch has an
        active *Client reconnect* automation and she has a marketing consent for a
        channel (email, SMS or WhatsApp) that covers her current address."""
        Segment = self.env["randevu.segment"]
        consented = SQL(" OR ").join(
            SQL("%s IN %s", partner, Segment._randevu_consent_partners(channel))
            for channel in ("email", "sms", "whatsapp")
        )
        return SQL(
            """ci.partner_id = %(partner)s
               AND ci.categ_id = s.categ_id
               AND ci.last_visit <= a.start
               AND EXISTS (SELECT 1 FROM randevu_marketing_automation ra
                            WHERE ra.company_id = a.company_id AND ra.kind = 'reconnect' AND ra.active)
               AND (%(consented)s)""",
            partner=partner,
            consented=consented,
        )

    @api.model
    def _randevu_rebook_days(self, partner):
        """Client reconnect (issue 16): the core's rebooking reminder waits for the
        client's own usual interval for the service's category (randevu.client.interval)
        instead of the service's fixed one, when her visit `a` is her last one in that
        category and _randevu_reconnect_where holds. Otherwise the service's interval,
        as before."""
        fixed = super()._randevu_rebook_days(partner)
        return SQL(
            "COALESCE((SELECT ci.interval_days FROM randevu_client_interval ci WHERE %s), %s)",
            self._randevu_reconnect_where(partner),
            fixed,
        )

    @api.model
    def _randevu_rebooking_held(self, partner, now):
        """The reminder that acts as the client reconnect nudge (a marketing message) is
        held while the client is at her branch's frequency cap: the next runs look at it
        again, and it goes once the cap's window has freed a place, as long as the core's
        two weeks for the reminder last (then it is dropped: a nudge weeks late is no
        nudge). The core's own reminder (the service's fixed interval) is a service
        message: never held by the cap."""
        held = super()._randevu_rebooking_held(partner, now)
        target = SQL(
            """(SELECT p.id AS key, p.id AS partner_id, p.email_normalized AS email, p.phone_sanitized AS phone
                  FROM res_partner p WHERE p.id = %s)""",
            partner,
        )
        reached = self.env["mailing.mailing"]._randevu_cap_reached_sql(
            target, SQL("%s - cap.randevu_marketing_cap_days * interval '1 day'", now)
        )
        return SQL(
            """(%(held)s OR (
                   EXISTS (SELECT 1 FROM randevu_client_interval ci WHERE %(reconnect)s)
                   AND EXISTS (SELECT 1 FROM res_company cap
                                WHERE cap.id = a.company_id AND cap.randevu_marketing_cap_count > 0
                                  AND (SELECT COUNT(DISTINCT reached.message) FROM (%(reached)s) reached)
                                      >= cap.randevu_marketing_cap_count)))""",
            held=held,
            reconnect=self._randevu_reconnect_where(partner),
            reached=reached,
        )

    @api.model
    def _randevu_insert(self, rows, now):
        messages = super()._randevu_insert(rows, now)
        # Only the cron's rebooking reminders (told by the rows: no query on the booking path).
        if messages and any(row["kind"] == "rebooking" for row in rows):
            messages._randevu_mark_nudges()
        return messages

    def _randevu_mark_nudges(self):
        """Mark the rebooking reminders of `self` that come as the client reconnect nudge
        (counted in the frequency cap). One statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE randevu_message m
                   SET randevu_marketing_nudge = TRUE
                  FROM randevu_appointment a
                  JOIN product_template s ON s.id = a.service_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.kind = 'rebooking'
                   AND a.id = m.appointment_id
                   AND EXISTS (SELECT 1 FROM randevu_client_interval ci WHERE %(reconnect)s)
                """,
                ids=self.ids,
                reconnect=self._randevu_reconnect_where(SQL.identifier("m", "partner_id")),
            )
        )
        self.invalidate_recordset(["randevu_marketing_nudge"])
