from datetime import datetime, timezone

from odoo import api, fields, models

# Meta's delivery statuses and the trace statuses they give (Odoo 18: "pending" is *Sent*,
# "sent" is *Delivered*), in the order they happen: a late "delivered" never undoes a "read".
WHATSAPP_TRACE_STATUS = {"delivered": "sent", "read": "open", "failed": "error"}
TRACE_RANK = {"process": 0, "pending": 1, "sent": 2, "open": 3, "reply": 4}


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    trace_type = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
    failure_type = fields.Selection(
        selection_add=[
            ("whatsapp_no_consent", "No WhatsApp Marketing Consent"),
            ("whatsapp_frequency_cap", "Frequency Cap Reached (WhatsApp)"),
            ("whatsapp_error", "Refused by WhatsApp"),
            ("whatsapp_undelivered", "Not Delivered by WhatsApp"),
            ("whatsapp_interrupted", "Interrupted: Check Whether It Was Received"),
        ]
    )
    whatsapp_message_id = fields.Char(string="WhatsApp Message ID", readonly=True, index="btree_not_null")

    def init(self):
        result = super().init()
        # One WhatsApp trace per recipient of a campaign: the trace is written before the
        # message goes, so a second one would be a second message.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS mailing_trace_randevu_whatsapp_once
                ON mailing_trace (mass_mailing_id, model, res_id)
             WHERE trace_type = 'whatsapp'
            """
        )
        return result

    @api.model
    def _randevu_whatsapp_statuses(self, statuses):
        """Meta's delivery `statuses` ({"id": wamid, "status", "timestamp", "errors"}) of
        campaign messages, on their traces: *delivered* makes the trace Delivered, *read*
        Opened, *failed* an error with WhatsApp's reason; "sent" adds nothing (the trace
        is Sent since Meta accepted the message), and a status never goes back."""
        by_wamid = {status.get("id"): status for status in statuses if status.get("id")}
        # sudo: the webhook's user updates the traces of the gateway's campaigns.
        traces = self.sudo().search([("trace_type", "=", "whatsapp"), ("whatsapp_message_id", "in", list(by_wamid))])
        for trace in traces:
            status = by_wamid[trace.whatsapp_message_id]
            new = WHATSAPP_TRACE_STATUS.get(status.get("status"))
            if not new or trace.trace_status not in TRACE_RANK:
                continue  # unknown status, or the trace already failed / bounced
            try:
                moment = datetime.fromtimestamp(int(status.get("timestamp")), timezone.utc).replace(tzinfo=None)
            except (TypeError, ValueError):
                moment = fields.Datetime.now()
            if new == "error":
                if trace.trace_status in ("open", "reply"):
                    continue  # read, then "failed": it was received
                errors = status.get("errors") or [{}]
                reason = errors[0].get("title") or errors[0].get("message") or self.env._("delivery failed")
                code = errors[0].get("code")
                trace.write(
                    {
                        "trace_status": "error",
                        "failure_type": "whatsapp_undelivered",
                        "failure_reason": f"{reason} ({code})" if code else reason,
                    }
                )
            elif TRACE_RANK[new] > TRACE_RANK[trace.trace_status]:
                values = {"trace_status": new}
                if new == "open":
                    values["open_datetime"] = moment
                trace.write(values)
        return traces
