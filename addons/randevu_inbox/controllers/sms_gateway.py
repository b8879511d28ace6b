import json
import logging

from odoo.http import Controller, request, route

_logger = logging.getLogger(__name__)

# Field names gateways commonly use (JSON or form posts: Twilio, Vonage, Netgsm-like ones).
SENDER_KEYS = ("from", "From", "msisdn", "sender", "phone")
TEXT_KEYS = ("text", "Body", "body", "message", "msg")
ID_KEYS = ("id", "message_id", "messageId", "MessageSid", "SmsSid")
STATUS_KEYS = ("status", "MessageStatus", "SmsStatus", "state")
# Gateways' delivery statuses mapped to ours.
STATUSES = {
    "sent": "sent",
    "accepted": "sent",
    "queued": "sent",
    "delivered": "delivered",
    "failed": "failed",
    "undelivered": "failed",
    "rejected": "failed",
    "expired": "failed",
}


def _first(data, keys):
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return str(value)
    return None


class RandevuSmsGatewayController(Controller):
    """The HTTP SMS gateway's webhooks: inbound texts and delivery statuses, posted as JSON
    or as a form to URLs holding the branch's secret token (a wrong one: 403, nothing read)."""

    def _randevu_company(self, token):
        if not token or len(token) < 16:
            return None
        # sudo: the webhook is public; the token (unique, secret) names the branch.
        company_sudo = request.env["res.company"].sudo().search([("randevu_sms_webhook_token", "=", token)], limit=1)
        return company_sudo or None

    def _randevu_data(self):
        raw = request.httprequest.get_data(cache=True)
        if raw[:1] in (b"{", b"["):
            try:
                data = json.loads(raw)
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
        return dict(request.httprequest.form or request.httprequest.args)

    def _randevu_answer(self, status, body):
        return request.make_response(json.dumps(body), [("Content-Type", "application/json")], status=status)

    @route(
        "/randevu/sms/<string:token>/inbound",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def randevu_sms_inbound(self, token, **kwargs):
        company = self._randevu_company(token)
        if not company:
            _logger.warning("SMS webhook: unknown token")
            return self._randevu_answer(403, {"error": "invalid token"})
        data = self._randevu_data()
        message_id, sender = _first(data, ID_KEYS), _first(data, SENDER_KEYS)
        if not message_id or not sender:
            return self._randevu_answer(400, {"error": "message id and sender are required"})
        Event = request.env["randevu.inbox.event"].sudo()  # sudo: public webhook, token checked above
        if Event._randevu_store_sms(company, message_id, sender, _first(data, TEXT_KEYS)):
            Event._randevu_trigger()
        return self._randevu_answer(200, {"status": "ok"})

    @route(
        "/randevu/sms/<string:token>/status",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def randevu_sms_status(self, token, **kwargs):
        company = self._randevu_company(token)
        if not company:
            _logger.warning("SMS status webhook: unknown token")
            return self._randevu_answer(403, {"error": "invalid token"})
        data = self._randevu_data()
        status = STATUSES.get((_first(data, STATUS_KEYS) or "").lower())
        if status:
            # sudo: public webhook, token checked above.
            request.env["sms.sms"].sudo()._randevu_gateway_status(company, _first(data, ID_KEYS), status)
        return self._randevu_answer(200, {"status": "ok"})
