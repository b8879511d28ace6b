import json
import logging

from odoo.http import request, route

from odoo.addons.mail_gateway.controllers.gateway import GatewayController

_logger = logging.getLogger(__name__)


class RandevuGatewayController(GatewayController):
    """OCA's webhook, with a refused signature answered 403 (OCA answers 200 and drops the
    update): Meta's dashboards then show the misconfiguration, and nothing is stored."""

    @route()
    def post_update(self, usage, token, *args, **kwargs):
        if usage in ("whatsapp", "instagram") and request.httprequest.method == "POST":
            # sudo: the webhook is public; the gateway map holds only what the check needs.
            bot_data = request.env["mail.gateway"].sudo()._get_gateway(token, gateway_type=usage, state="integrated")
            # Meta signs WhatsApp and Instagram webhooks alike (X-Hub-Signature-256, the app secret).
            if bot_data and not request.env["mail.gateway.whatsapp"]._randevu_signature_ok(bot_data):
                _logger.warning("%s webhook: bad X-Hub-Signature-256 for gateway %s", usage, bot_data["id"])
                return request.make_response(
                    json.dumps({"error": "invalid signature"}),
                    [("Content-Type", "application/json")],
                    status=403,
                )
        return super().post_update(usage, token, *args, **kwargs)
