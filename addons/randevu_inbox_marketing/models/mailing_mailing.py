import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import split_every

from odoo.addons.randevu_calendar.tools.cron_batches import commits_allowed
from odoo.addons.randevu_inbox.tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi

_logger = logging.getLogger(__name__)

# Recipients prepared (and checked for consent and the frequency cap) together.
WHATSAPP_BATCH_SIZE = 100
# pg advisory lock namespace (with the mailing's id): one run at a time sends a campaign.
WHATSAPP_SEND_LOCK = 1463877633


class MailingMailing(models.Model):
    """WhatsApp campaigns: a mailing of type *WhatsApp* to contacts (a segment's customers)
    sends an approved WhatsApp **marketing** template of the branch's account to each of
    them who has WhatsApp marketing consent for their current number, checked when it is
    sent. It goes through mass_mailing's own queue, so randevu_marketing's quiet hours
    (action_put_in_queue, _process_mass_mailing_queue) and frequency cap
    (_randevu_capped_partner_ids, counting every mailing's traces, email, SMS and WhatsApp
    together) apply to it as they are."""

    _inherit = "mailing.mailing"

    mailing_type = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
    randevu_whatsapp_template_id = fields.Many2one(
        "mail.whatsapp.template",
        string="WhatsApp Template",
        domain="[('state', '=', 'approved'), ('category', '=', 'marketing'), ('model', '=', 'res.partner')]",
        help="An approved marketing template of the branch's WhatsApp account, applying to Contacts "
        "(its variables read the customer).",
    )

    @api.constrains("mailing_type", "randevu_whatsapp_template_id", "mailing_model_id")
    def _check_randevu_whatsapp(self):
        for mailing in self.filtered(lambda mailing: mailing.mailing_type == "whatsapp"):
            template = mailing.sudo().randevu_whatsapp_template_id
            if mailing.mailing_model_real != "res.partner":
                raise ValidationError(self.env._("A WhatsApp campaign goes to contacts (customers)."))
            if template and (template.category != "marketing" or template.model != "res.partner"):
                raise ValidationError(
                    self.env._("A WhatsApp campaign sends a marketing template applying to Contacts.")
                )
            if template and template.company_id and template.company_id != mailing._randevu_company():
                raise ValidationError(
                    self.env._(
                        "The template belongs to the WhatsApp account of %(branch)s, not of the campaign's branch.",
                        branch=template.company_id.name,
                    )
                )

    def _get_default_mailing_domain(self):
        domain = super()._get_default_mailing_domain()
        if (
            self.mailing_type == "whatsapp"
            and "phone_sanitized_blacklisted" in self.env[self.mailing_model_name]._fields
        ):
            domain = expression.AND([domain, [("phone_sanitized_blacklisted", "=", False)]])
        return domain

    def _get_remaining_recipients(self):
        """A WhatsApp campaign's recipients whose trace a run cut short left unfinished
        (*outgoing*, *processing*) still need a run (which sends or flags them): the
        queue must not mark the campaign done before."""
        remaining = super()._get_remaining_recipients()
        if self.mailing_type != "whatsapp":
            return remaining
        unfinished = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                [
                    ("mass_mailing_id", "=", self.id),
                    ("trace_type", "=", "whatsapp"),
                    ("trace_status", "in", ("outgoing", "process")),
                ]
            )
        )
        known = set(remaining)
        return remaining + [res_id for res_id in unfinished.mapped("res_id") if res_id not in known]

    def _action_send_mail(self, res_ids=None):
        whatsapp = self.filtered(lambda mailing: mailing.mailing_type == "whatsapp")
        for mailing in whatsapp:
            mailing._randevu_send_whatsapp(res_ids)
        return super(MailingMailing, self - whatsapp)._action_send_mail(res_ids=res_ids)

    def _randevu_send_whatsapp(self, res_ids=None):
        """Send the template to the recipients not reached yet, never twice to anyone.

        Each recipient has one trace (mass mailing's bookkeeping: the queue marks the
        mailing done once all have one; a unique index keeps it to one), written before
        the message goes: *outgoing* when prepared, *processing* once the request to
        WhatsApp starts, then *sent* with its wamid, or *error* with WhatsApp's reason
        (or *cancelled*: no consent when it goes, frequency cap). Outside tests (or with
        the context key ``randevu_auto_commit``) each of these steps is committed, so a
        run cut short keeps what it sent; the next run goes on with the prepared
        recipients and the rest, and marks a recipient left *processing* (the request
        went, its answer was never recorded: received or not, nobody knows) as an
        error *Interrupted* for a person to check, instead of sending it again.

        One run at a time per campaign: a session advisory lock (released when the run
        ends or its connection dies) makes a second run, started meanwhile, leave the
        campaign to the first. Each message sent is shown in the customer's chat."""
        self.ensure_one()
        # sudo: the template and its account (token) are configuration; the queue runs as
        # the superuser, a manager's "Send now" reads them for her own branch's mailing.
        template = self.sudo().randevu_whatsapp_template_id
        if not template or template.state != "approved":
            raise ValidationError(self.env._("Choose an approved WhatsApp marketing template before sending."))
        auto_commit = commits_allowed(self.env.context.get("randevu_auto_commit"))
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", [WHATSAPP_SEND_LOCK, self.id])
        if not cr.fetchone()[0]:
            _logger.info("WhatsApp campaign %s is being sent by another worker: left to it", self.id)
            return False
        try:
            if auto_commit:
                # A snapshot taken now, with everything the other run committed before it let go.
                cr.commit()  # pylint: disable=invalid-commit
            self._randevu_whatsapp_interrupted()
            self._randevu_commit(auto_commit)
            Trace = self.env["mailing.trace"].sudo()
            # Prepared by a run cut short: sent first.
            left = Trace.search(
                [("mass_mailing_id", "=", self.id), ("trace_type", "=", "whatsapp"), ("trace_status", "=", "outgoing")]
            )
            for batch in split_every(WHATSAPP_BATCH_SIZE, left.ids, list):
                self._randevu_whatsapp_deliver(Trace.browse(batch), template, auto_commit)
            # (Not the traces' unfinished ones: handled above.)
            remaining = super()._get_remaining_recipients()
            if res_ids:
                known = set(remaining)
                remaining = [res_id for res_id in res_ids if res_id in known]
            for batch in split_every(WHATSAPP_BATCH_SIZE, remaining, list):
                partners = self.env["res.partner"].sudo().browse(batch)
                traces = Trace.create(
                    [
                        {
                            "trace_type": "whatsapp",
                            "model": "res.partner",
                            "res_id": partner.id,
                            "mass_mailing_id": self.id,
                            "sms_number": partner.phone_sanitized,
                            "trace_status": "outgoing",
                        }
                        for partner in partners
                    ]
                )
                self._randevu_commit(auto_commit)
                self._randevu_whatsapp_deliver(traces, template, auto_commit)
        finally:
            try:
                if auto_commit:
                    cr.rollback()  # nothing uncommitted is left to keep; a failed transaction is ended
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", [WHATSAPP_SEND_LOCK, self.id])
            except psycopg2.Error:
                # The connection is gone, and its lock with it (or the test's transaction
                # failed: the lock goes with its connection).
                _logger.info("WhatsApp campaign %s: lock not released, its connection failed", self.id)
        return True

    def _randevu_commit(self, auto_commit):
        if auto_commit:
            # Safe: each step is complete in itself (a trace prepared, a request about to
            # start, its answer recorded): a run stopped after it knows where it was.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        else:
            self.env.flush_all()

    def _randevu_whatsapp_interrupted(self):
        """The traces of this campaign left *processing* by a run cut short between the
        request to WhatsApp and its answer: whether the customer got the message is
        unknown, so it is not sent again; an error *Interrupted* asks a person to check
        (the customer's chat, WhatsApp Manager)."""
        traces = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                [("mass_mailing_id", "=", self.id), ("trace_type", "=", "whatsapp"), ("trace_status", "=", "process")]
            )
        )
        if traces:
            _logger.warning("WhatsApp campaign %s: %s message(s) interrupted while sending", self.id, len(traces))
            traces.write(
                {
                    "trace_status": "error",
                    "failure_type": "whatsapp_interrupted",
                    "failure_reason": self.env._(
                        "The sending was interrupted after the request to WhatsApp started: it was not sent "
                        "again. Check in the customer's chat or in WhatsApp Manager whether it was received."
                    ),
                }
            )
        return traces

    def _randevu_whatsapp_deliver(self, traces, template, auto_commit):
        """Send the template to the recipients of these *outgoing* `traces` who have
        WhatsApp marketing consent for their current number now and are under the
        frequency cap (the others cancelled); one request each, its trace marked
        *processing* (committed) before it starts and its answer recorded after."""
        partners = self.env["res.partner"].sudo().browse(traces.mapped("res_id"))
        consented = self.env["randevu.consent"]._randevu_reachable_partner_ids("whatsapp", partners.ids)
        capped = self._randevu_capped_partner_ids(sorted(consented))
        for trace in traces:
            if trace.res_id not in consented:
                trace.write({"trace_status": "cancel", "failure_type": "whatsapp_no_consent"})
            elif trace.res_id in capped:
                trace.write({"trace_status": "cancel", "failure_type": "whatsapp_frequency_cap"})
        self._randevu_commit(auto_commit)
        gateway = template.gateway_id
        api = WhatsAppCloudApi(gateway)
        Conversation = self.env["randevu.conversation"]
        for trace in traces.filtered(lambda trace: trace.trace_status == "outgoing"):
            partner = self.env["res.partner"].sudo().browse(trace.res_id)
            bound = template.with_context(default_res_id=partner.id, default_res_ids=partner.ids)
            components = bound.prepare_value_to_send()
            trace.write({"trace_status": "process", "sms_number": partner.phone_sanitized})
            self._randevu_commit(auto_commit)
            try:
                wamid = api.send_template(
                    partner.phone_sanitized, template.template_name, template.language, components
                )
            except WhatsAppApiError as error:
                _logger.info("WhatsApp campaign %s: %s refused: %s", self.id, partner.id, error)
                trace.write(
                    {"trace_status": "error", "failure_type": "whatsapp_error", "failure_reason": str(error)[:500]}
                )
                self._randevu_commit(auto_commit)
                continue
            # Sent: Meta accepted it (Odoo's "pending"); delivered and read come by webhook.
            trace.write(
                {"trace_status": "pending", "sent_datetime": fields.Datetime.now(), "whatsapp_message_id": wamid}
            )
            self._randevu_commit(auto_commit)
            try:
                with self.env.cr.savepoint():
                    conversation = Conversation._randevu_get(
                        gateway.company_id, "whatsapp", partner.phone_sanitized, gateway, partner=partner
                    )
                    conversation._randevu_log_outbound(bound.render_body_message())
            except Exception:  # the message went: its trace stands, only the chat misses it
                _logger.exception("WhatsApp campaign %s: message to %s not logged in the chat", self.id, partner.id)
            self._randevu_commit(auto_commit)
