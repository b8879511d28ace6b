from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # A campaign to a saved segment: its recipients are the segment's customers as they are
    # when the mailing is sent (the domain names the segment, not a list of ids), still
    # filtered by consent (res.partner's opt-out hooks), the frequency cap and quiet hours.
    randevu_segment_id = fields.Many2one(
        "randevu.segment",
        string="Segment",
        index="btree_not_null",
        ondelete="restrict",
        groups="randevu_calendar.group_randevu_user",
        help="Send to the customers of this saved segment, as they are when the mailing goes out. "
        "Only those with a marketing consent for the channel receive it.",
    )

    @api.constrains("randevu_segment_id", "mailing_model_id")
    def _check_randevu_segment_model(self):
        # Only a segment the user may read (her branches'): the recipients are computed
        # as superuser afterwards.
        # (The field itself is the team's: read as superuser, so that other mailing users
        # may still change the recipients of mailings without a segment.)
        segments = self.env["randevu.segment"].browse(self.sudo().randevu_segment_id.ids)
        if segments:
            segments.check_access("read")
        for mailing in self.sudo():
            if mailing.randevu_segment_id and mailing.mailing_model_id.model != "res.partner":
                raise ValidationError(self.env._("A mailing to a segment is sent to contacts (Recipients: Contact)."))

    @api.model_create_multi
    def create(self, vals_list):
        partner_model = self.env["ir.model"]._get_id("res.partner")
        for vals in vals_list:
            if vals.get("randevu_segment_id") and not vals.get("mailing_model_id"):
                vals["mailing_model_id"] = partner_model
        return super().create(vals_list)

    @api.onchange("randevu_segment_id")
    def _onchange_randevu_segment_id(self):
        if self.randevu_segment_id:
            self.mailing_model_id = self.env["ir.model"]._get("res.partner")

    @api.depends("mailing_model_id", "contact_list_ids", "mailing_type", "mailing_filter_id", "randevu_segment_id")
    def _compute_mailing_domain(self):
        result = super()._compute_mailing_domain()
        # Superuser: the segment is only read for its id (the field is the team's).
        for mailing in self.sudo():
            if mailing.randevu_segment_id and mailing.mailing_model_id.model == "res.partner":
                segment_domain = [("randevu_segment_ids", "in", mailing.randevu_segment_id.ids)]
                mailing.mailing_domain = repr(expression.AND([mailing._get_default_mailing_domain(), segment_domain]))
        return result

    def _randevu_company(self):
        """The branch whose marketing rules (frequency cap, quiet hours) the mailing follows:
        its segment's, else its responsible's current branch."""
        self.ensure_one()
        return self.sudo().randevu_segment_id.company_id or self.user_id.company_id or self.env.company

    # ------------------------------------------------------------------ quiet hours
    def _randevu_postpone_quiet_hours(self):
        """Move the departure of the mailings whose departure (their schedule date, or now)
        falls in their branch's quiet hours to the end of them, and wake the queue then.
        Returns the mailings postponed."""
        now = fields.Datetime.now()
        postponed = self.browse()
        for mailing in self:
            departure = max(mailing.schedule_date or now, now)
            until = mailing._randevu_company()._randevu_quiet_hours_end(departure)
            if until:
                mailing.write({"schedule_type": "scheduled", "schedule_date": until})
                postponed |= mailing
        if postponed:
            self.env.ref("mass_mailing.ir_cron_mass_mailing_queue")._trigger(set(postponed.mapped("schedule_date")))
        return postponed

    def action_put_in_queue(self):
        res = super().action_put_in_queue()
        self._randevu_postpone_quiet_hours()
        return res

    @api.model
    def _process_mass_mailing_queue(self):
        # Mailings due now but inside their branch's quiet hours wait for the end of them
        # (the queue below only takes those whose schedule date has passed).
        due = self.search(
            [
                ("state", "in", ("in_queue", "sending")),
                "|",
                ("schedule_date", "<", fields.Datetime.now()),
                ("schedule_date", "=", False),
            ]
        )
        due._randevu_postpone_quiet_hours()
        return super()._process_mass_mailing_queue()

    # ------------------------------------------------------------------ frequency cap
    def _randevu_capped_partner_ids(self, partner_ids):
        """The contacts among `partner_ids` who already received as many marketing messages
        as their branch allows in its window (mailing traces of every other mailing, email
        and SMS, not cancelled, failed nor bounced). One query for the whole batch."""
        self.ensure_one()
        company = self._randevu_company()
        limit, days = company.randevu_marketing_cap_count, company.randevu_marketing_cap_days
        if not limit or not partner_ids or self.mailing_model_real != "res.partner":
            return set()
        self.env["mailing.trace"].flush_model()
        # The CTE rewrites the batch's rows of the cap's lock table (see mailing.trace.init):
        # a mailing sending to the same customers at the same moment makes this statement
        # fail to serialize (retried by Odoo's request loop, or the queue's next run).
        self.env.cr.execute(
            """
            WITH marked AS (
                INSERT INTO randevu_marketing_cap_mark (partner_id, marked_at)
                SELECT partner_id, now() AT TIME ZONE 'UTC' FROM unnest(%s::integer[]) AS partner_id
                ON CONFLICT (partner_id) DO UPDATE SET marked_at = EXCLUDED.marked_at
            )
            SELECT res_id
              FROM mailing_trace
             WHERE model = 'res.partner'
               AND res_id = ANY(%s)
               AND mass_mailing_id != %s
               AND trace_status IN ('outgoing', 'process', 'pending', 'sent', 'open', 'reply')
               AND COALESCE(sent_datetime, create_date) >= %s
          GROUP BY res_id
            HAVING COUNT(DISTINCT mass_mailing_id) >= %s
            """,
            [sorted(partner_ids), list(partner_ids), self.id, fields.Datetime.now() - timedelta(days=days), limit],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ unsubscribe
    # A mailing to contacts: its unsubscribe links (in the body and the List-Unsubscribe
    # header, RFC 8058 one-click) withdraw the contact's marketing consent by email.
    def _get_unsubscribe_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)

    def _get_unsubscribe_oneclick_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_oneclick_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)
