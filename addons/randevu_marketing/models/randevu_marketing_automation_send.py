from odoo import fields, models

from .randevu_marketing_automation import SKIPPED_STATUSES


class RandevuMarketingAutomationSend(models.Model):
    """One client an automation picked for one episode (an absence since her last visit,
    a birthday): at most one per automation, client and episode (a unique index), so that
    she is messaged once however often or however many crons run. *Pending* while it
    waits (quiet hours); *sent* with the mailing's trace; *skipped* (no consent,
    frequency cap, no address: the reason says which) or *cancelled* (she booked)."""

    _name = "randevu.marketing.automation.send"
    _description = "Marketing Automation Send"
    _order = "id desc"
    _rec_name = "partner_id"

    automation_id = fields.Many2one(
        "randevu.marketing.automation", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    kind = fields.Selection(related="automation_id.kind")
    episode = fields.Datetime(
        required=True, readonly=True, help="Her last visit (win-back) or her birthday: one message for each."
    )
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("skipped", "Skipped"), ("cancelled", "Cancelled")],
        required=True,
        default="pending",
        readonly=True,
    )
    reason = fields.Char(readonly=True, help="Why it was skipped or cancelled.")
    sent_date = fields.Datetime(readonly=True)
    trace_id = fields.Many2one("mailing.trace", readonly=True, ondelete="set null")
    code = fields.Char("Personal Code", readonly=True, help="The single-use code the message gave her.")

    _sql_constraints = [
        (
            "automation_partner_episode_unique",
            "UNIQUE(automation_id, partner_id, episode)",
            "A client gets an automation's message once per episode.",
        ),
    ]

    def _randevu_send(self, now):
        """Send the automation's mailing to these pending sends (one automation): those
        with something booked are cancelled, those without consent for the channel or
        over the frequency cap skipped, the others get the message (the mailing's own
        composer checks consent and the cap again and writes the trace)."""
        automation = self.automation_id
        automation.ensure_one()
        # Superuser: the automation's own mailing (see _randevu_ensure_mailing).
        mailing = automation.sudo().mailing_id
        booked = self._randevu_booked(now)
        if booked:
            booked.write({"state": "cancelled", "reason": self.env._("Booked")})
        sends = self - booked
        channel = automation._randevu_consent_channel()
        reachable = self.env["randevu.consent"]._randevu_reachable_partner_ids(channel, sends.partner_id.ids)
        no_consent = sends.filtered(lambda send: send.partner_id.id not in reachable)
        if no_consent:
            no_consent.write({"state": "skipped", "reason": self.env._("No consent")})
        sends -= no_consent
        capped = mailing._randevu_capped_partner_ids(sends.partner_id.ids)
        over_cap = sends.filtered(lambda send: send.partner_id.id in capped)
        if over_cap:
            over_cap.write({"state": "skipped", "reason": self.env._("Frequency Cap Reached")})
        sends -= over_cap
        if not sends:
            return
        automation._randevu_prepare_sends(sends)
        # Marked sent before the mailing goes: the composer commits its batches outside
        # tests, and a send must never be selected again once its message may be out.
        sends.write({"state": "sent", "sent_date": now})
        self.env["mailing.trace"].flush_model()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mailing_trace")
        (last_trace,) = self.env.cr.fetchone()
        partner_ids = sends.partner_id.ids
        mailing.mailing_domain = repr([("id", "in", partner_ids)])
        automation._randevu_send_mailing(mailing, partner_ids)
        mailing.mailing_domain = repr([(0, "=", 1)])
        traces = (
            self.env["mailing.trace"]
            .sudo()
            .search([("mass_mailing_id", "=", mailing.id), ("id", ">", last_trace), ("res_id", "in", partner_ids)])
        )
        by_partner = {trace.res_id: trace for trace in traces}
        failures = dict(self.env["mailing.trace"]._fields["failure_type"]._description_selection(self.env))
        for send in sends:
            trace = by_partner.get(send.partner_id.id)
            if not trace:
                send.write({"state": "skipped", "reason": self.env._("Not sent")})
            elif trace.trace_status in SKIPPED_STATUSES:
                reason = failures.get(trace.failure_type) or trace.failure_reason or self.env._("Not sent")
                send.write({"state": "skipped", "reason": reason, "trace_id": trace.id})
            else:
                send.trace_id = trace

    def _randevu_booked(self, now):
        """The sends whose customer has an appointment (or a class seat) to come."""
        if not self:
            return self
        booked = self.env["randevu.marketing.automation"]._randevu_booked_partners(now)
        return self.search([("id", "in", self.ids), ("partner_id", "in", booked)])
