import logging

from odoo import api, fields, models

from ..tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi
from .randevu_assistant_dialogue import REMINDER_IDS

_logger = logging.getLogger(__name__)

# Delivery statuses in the order they happen: a late "delivered" never undoes a "read".
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


class RandevuMessage(models.Model):
    """WhatsApp as a channel of the outbox (randevu_calendar's channel interface).

    Within 24 h of the customer's last WhatsApp message the message goes as free text
    (the kind's SMS text); outside it, as the branch's approved WhatsApp template for the
    kind (mail.whatsapp.template.randevu_kind) with its variables. When WhatsApp refuses
    it (or later reports it failed), the row fails with the reason and the same message
    goes by SMS instead (a row of its own, key suffixed ':sms')."""

    _inherit = "randevu.message"

    channel = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "cascade"})
    whatsapp_message_id = fields.Char(string="WhatsApp Message ID", readonly=True, index="btree_not_null")
    whatsapp_status = fields.Selection(
        [("sent", "Sent"), ("delivered", "Delivered"), ("read", "Read"), ("failed", "Failed")],
        string="WhatsApp Status",
        readonly=True,
    )

    sms_gateway_message_id = fields.Char(
        string="SMS Gateway Message ID",
        readonly=True,
        index="btree_not_null",
        help="The id the branch's HTTP SMS gateway gave the text (its delivery statuses name it).",
    )
    sms_status = fields.Selection(
        [("sent", "Sent"), ("delivered", "Delivered"), ("failed", "Failed")],
        string="SMS Status",
        readonly=True,
        help="The delivery status the SMS gateway reported.",
    )

    # ------------------------------------------------------------------ channel interface
    @api.model
    def _randevu_channel_respects_quiet_hours(self, channel):
        return channel == "whatsapp" or super()._randevu_channel_respects_quiet_hours(channel)

    @api.model
    def _randevu_kind_templates(self):
        """WhatsApp's default text is the kind's SMS text (sent as is within the 24-hour
        window); outside it the branch's approved WhatsApp template goes instead."""
        templates = super()._randevu_kind_templates()
        for (kind, channel), xmlid in list(templates.items()):
            if channel == "sms":
                templates[(kind, "whatsapp")] = xmlid
        return templates

    @api.model
    def _randevu_unreachable_whatsapp(self, partners):
        reasons = {}
        for partner in partners:
            if not partner.randevu_whatsapp_opt_in:
                reasons[partner.id] = self.env._("The customer has not agreed to WhatsApp messages.")
            elif not self._randevu_mobile_number(partner):
                reasons[partner.id] = self.env._("The customer has no mobile number.")
            elif partner.phone_sanitized_blacklisted:
                reasons[partner.id] = self.env._("The customer's phone number is blacklisted.")
        return reasons

    def _randevu_send_whatsapp(self):
        """Send these messages on WhatsApp now, one request each through the adapter.
        :return: {message id: mail.message id} of those sent (the others fell back to SMS)."""
        logged = {}
        now = fields.Datetime.now()
        for message in self:
            try:
                text = message._randevu_whatsapp_deliver(now)
            except WhatsAppApiError as error:
                message._randevu_whatsapp_fallback(str(error), now)
                continue
            chatter = message.appointment_id.sudo()._message_log(
                body=self.env._("WhatsApp: %(text)s", text=text), author_id=message.company_id.partner_id.id
            )
            logged[message.id] = chatter.id
        return logged

    def _randevu_whatsapp_deliver(self, now):
        """Send this message through the adapter; returns the text sent. Raises WhatsAppApiError."""
        self.ensure_one()
        branch = self.company_id
        gateway = self.env["mail.gateway"]._randevu_whatsapp_gateway(branch)
        if not gateway:
            raise WhatsAppApiError(self.env._("the branch has no WhatsApp account"))
        phone = self._randevu_mobile_number(self.partner_id)
        conversation = self.env["randevu.conversation"]._randevu_get(
            branch, "whatsapp", phone, gateway, partner=self.partner_id
        )
        api = WhatsAppCloudApi(gateway)
        appointment = self._randevu_recipient_appointment()
        if conversation._randevu_in_window(now):
            template = self._randevu_template()
            text = template._render_field("body", appointment.ids, compute_lang=True)[appointment.id]
            if self.kind == "reminder":
                # Within the window a reminder gets reply buttons; the customer's tap comes
                # back with this message's wamid as its context: tied to this appointment.
                wamid = api.send_buttons(phone, text, self._randevu_reminder_buttons())
            else:
                wamid = api.send_text(phone, text)
        else:
            template = self._randevu_whatsapp_template(gateway)
            if not template:
                raise WhatsAppApiError(
                    self.env._("no approved WhatsApp template for this message outside the 24-hour window")
                )
            template = template.with_context(default_res_id=appointment.id, default_res_ids=appointment.ids)
            wamid = api.send_template(
                phone, template.template_name, template.language, template.prepare_value_to_send()
            )
            text = template.render_body_message()
        self.write({"whatsapp_message_id": wamid, "whatsapp_status": "sent"})
        conversation._randevu_log_outbound(text)
        return text

    def _randevu_reminder_buttons(self):
        """The reply buttons of a reminder (Confirm / Change / Cancel) in the customer's
        language (titles of at most 20 characters: Meta's limit)."""
        lang = self.partner_id.lang or self.company_id.partner_id.lang or "en_US"
        speaker = self.with_context(lang=lang).env
        return [
            (REMINDER_IDS["confirm"], speaker._("Confirm")),
            (REMINDER_IDS["change"], speaker._("Reschedule")),
            (REMINDER_IDS["cancel"], speaker._("Cancel")),
        ]

    def _randevu_whatsapp_template(self, gateway):
        """The gateway's approved template for this message's kind, in the customer's
        language when there is one (tr_TR: tr_TR, then tr), else the first."""
        # sudo: templates are configuration the outbox reads for every branch.
        templates = (
            self.env["mail.whatsapp.template"]
            .sudo()
            .search(
                [
                    ("gateway_id", "=", gateway.id),
                    ("randevu_kind", "=", self.kind),
                    ("state", "=", "approved"),
                    ("model", "=", "randevu.appointment"),
                ],
                order="id",
            )
        )
        lang = self.partner_id.lang or ""
        for code in (lang, lang.split("_")[0]):
            match = templates.filtered(lambda template, code=code: template.language == code)
            if match:
                return match[0]
        return templates[:1]

    def _randevu_whatsapp_fallback(self, reason, now):
        """WhatsApp failed for these messages: each fails with `reason` and goes by SMS
        instead when the customer can take texts (else it is reported as failed)."""
        unreachable = self._randevu_unreachable_sms(self.partner_id)
        for message in self:
            if message.partner_id.id in unreachable:
                message._randevu_failed(
                    self.env._("WhatsApp: %(reason)s", reason=reason), now, new_attempt=True, permanent=True
                )
                continue
            message.write(
                {
                    "state": "error",
                    "next_try": False,
                    "error": self.env._("WhatsApp: %(reason)s. Sent by SMS instead.", reason=reason),
                }
            )
            fallback = self._randevu_insert(
                [
                    {
                        "appointment": message.appointment_id,
                        "kind": message.kind,
                        "channel": "sms",
                        "key": f"{message.key}:sms",
                        "rule_id": message.rule_id.id or None,
                        "planned": now,
                        "partner_id": message.partner_id.id if message._randevu_is_attendee_message() else None,
                    }
                ],
                now,
            )
            fallback._randevu_dispatch(now)

    def _randevu_mark_sent(self, logged, now):
        # Rows that fell back to SMS while their batch was sent stay failed.
        return super(RandevuMessage, self.filtered(lambda message: message.state == "queued"))._randevu_mark_sent(
            logged, now
        )

    # ------------------------------------------------------------------ delivery statuses
    @api.model
    def _randevu_whatsapp_statuses(self, statuses):
        """Record the webhook's delivery `statuses` ({"id": wamid, "status", "errors"}) on
        the outbox rows they are about; a failure sends the message by SMS instead."""
        now = fields.Datetime.now()
        by_wamid = {status.get("id"): status for status in statuses if status.get("id")}
        # sudo: the webhook's user updates the outbox of the gateway's branch.
        messages = self.sudo().search([("whatsapp_message_id", "in", list(by_wamid))])
        for message in messages:
            status = by_wamid[message.whatsapp_message_id]
            value = status.get("status")
            if value not in STATUS_RANK:
                continue
            if STATUS_RANK[value] <= STATUS_RANK.get(message.whatsapp_status, 0):
                continue
            message.whatsapp_status = value
            if value == "failed" and message.state == "sent":
                errors = status.get("errors") or [{}]
                reason = errors[0].get("title") or errors[0].get("message") or self.env._("delivery failed")
                message._randevu_whatsapp_fallback(reason, now)
        return messages
