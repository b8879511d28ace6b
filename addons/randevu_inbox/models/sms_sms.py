import logging

from odoo import api, fields, models

from ..tools.sms_gateway import HttpSmsGateway, SmsGatewayError

_logger = logging.getLogger(__name__)

# A gateway's delivery statuses in the order they happen (a late one never goes back).
SMS_STATUS_RANK = {"sent": 1, "delivered": 2, "failed": 3}


class SmsSms(models.Model):
    """Odoo's outgoing texts sent through the branch's SMS provider: texts of branches on
    Odoo IAP go as before (super); those of branches with an HTTP gateway go one by one
    through the adapter (HttpSmsGateway), keeping the gateway's message id for its
    delivery statuses. So the outbox, the SMS composer and mass SMS all use it."""

    _inherit = "sms.sms"

    randevu_gateway_message_id = fields.Char(
        string="Gateway Message ID", copy=False, readonly=True, index="btree_not_null"
    )

    def _randevu_company(self):
        """The branch a text is sent for: its chatter message's record's, else the user's."""
        self.ensure_one()
        return self.mail_message_id.record_company_id or self.env.company

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        # sudo: the provider's settings are administrators' fields; sending reads them.
        by_gateway = self.filtered(lambda sms: sms._randevu_company().sudo().randevu_sms_provider == "http")
        iap = self - by_gateway
        result = None
        if iap:
            result = super(SmsSms, iap)._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception
            )
        if by_gateway:
            by_gateway._randevu_send_gateway(unlink_failed=unlink_failed, unlink_sent=unlink_sent)
        return result

    def _randevu_send_gateway(self, unlink_failed=False, unlink_sent=True):
        """Send these texts through their branch's HTTP gateway, one request each; each
        gets its state (Sent, or Error with the failure type) as with IAP, and the outbox
        row it came from keeps the gateway's message id."""
        # sudo: as Odoo's _send, the state of texts and their trackers is the queue's.
        texts_sudo = self.sudo().with_context(sms_skip_msg_notification=True)
        outbox = (
            self.env["randevu.message"]
            .sudo()
            .search([("mail_message_id", "in", texts_sudo.mail_message_id.ids), ("channel", "=", "sms")])
        )
        outbox_by_chatter = {message.mail_message_id.id: message for message in outbox}
        # Seconds to wait for the gateway (a system parameter; 10 by default).
        timeout = float(self.env["ir.config_parameter"].sudo().get_param("randevu_inbox.sms_gateway_timeout", 10))
        for sms in texts_sudo:
            gateway = HttpSmsGateway(sms._randevu_company().sudo(), timeout=timeout)
            try:
                message_id = gateway.send(sms.number, sms.body)
            except SmsGatewayError as error:
                _logger.info("SMS %s through the gateway failed: %s", sms.id, error)
                sms.sms_tracker_id._action_update_from_sms_state("error", failure_type=error.failure_type)
                values = {"state": "error", "failure_type": error.failure_type}
                if unlink_failed:
                    values["to_delete"] = True
                sms.write(values)
                continue
            sms.sms_tracker_id._action_update_from_sms_state("pending")
            values = {"state": "pending", "failure_type": False, "randevu_gateway_message_id": message_id}
            if unlink_sent:
                values["to_delete"] = True
            sms.write(values)
            if sms.mail_message_id.id in outbox_by_chatter:
                outbox_by_chatter[sms.mail_message_id.id].write(
                    {"sms_gateway_message_id": message_id, "sms_status": "sent"}
                )
        texts_sudo.mail_message_id._notify_message_notification_update()

    @api.model
    def _randevu_gateway_status(self, company, message_id, status):
        """Record a gateway's delivery `status` (sent, delivered, failed) of its message
        `message_id` on the text, its tracker and the outbox row it came from, never going
        back (a late "sent" does not undo "delivered")."""
        rank = SMS_STATUS_RANK.get(status)
        if not rank or not message_id:
            return False
        # sudo: the webhook is public (its token checked); it updates the branch's queue.
        outbox = (
            self.env["randevu.message"]
            .sudo()
            .search([("sms_gateway_message_id", "=", message_id), ("company_id", "=", company.id)])
        )
        texts = self.sudo().search([("randevu_gateway_message_id", "=", message_id)])
        texts = texts.filtered(lambda sms: sms._randevu_company() == company)
        if outbox and SMS_STATUS_RANK.get(outbox[0].sms_status, 0) >= rank:
            return outbox
        outbox.write({"sms_status": status})
        if status == "delivered":
            texts.sms_tracker_id._action_update_from_sms_state("sent")
            texts.write({"state": "sent"})
        elif status == "failed":
            texts.sms_tracker_id._action_update_from_provider_error("not_delivered")
            texts.write({"state": "error", "failure_type": "unknown"})
            for message in outbox:
                message.error = self.env._("The SMS gateway reports the text was not delivered.")
        return outbox
