import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """A branch's SMS provider: Odoo's IAP service (the default, unchanged) or a generic
    HTTP gateway of the business's choice. The gateway's settings hold its credentials:
    only administrators (Settings) read or change them."""

    _inherit = "res.company"

    randevu_assistant_answers = fields.Boolean(
        string="Assistant Answers Questions",
        default=False,
        help="The assistant answers customers' questions on WhatsApp and SMS by itself: opening hours, "
        "address, prices and free times. Everything else waits for a person.",
    )
    randevu_assistant_acts = fields.Boolean(
        string="Assistant Books and Cancels",
        default=False,
        help="The assistant also books and cancels appointments from the chat (after an explicit yes from the "
        "customer), and hands the conversation over to a person when asked, on a complaint or when it "
        "does not understand twice in a row. It answers questions too.",
    )
    randevu_assistant_min_confidence = fields.Float(
        string="Assistant's Confidence Threshold",
        default=0.5,
        digits=(3, 2),
        help="A new request the assistant understands with less confidence than this (0 to 1) is handed over to "
        "a person, with what it understood and how sure it was shown on the conversation. Messages it does not "
        "understand at all are asked again once first.",
    )
    randevu_sms_provider = fields.Selection(
        [("iap", "Odoo IAP"), ("http", "HTTP Gateway")],
        string="SMS Provider",
        default="iap",
        required=True,
        groups="base.group_system",
    )
    _sql_constraints = [
        (
            "randevu_assistant_min_confidence_range",
            "CHECK(randevu_assistant_min_confidence >= 0 AND randevu_assistant_min_confidence <= 1)",
            "The assistant's confidence threshold is between 0 and 1.",
        ),
    ]

    @api.constrains("randevu_assistant_min_confidence")
    def _check_randevu_assistant_min_confidence(self):
        for company in self:
            if not 0 <= company.randevu_assistant_min_confidence <= 1:
                raise ValidationError(self.env._("The assistant's confidence threshold is between 0 and 1."))

    randevu_sms_gateway_url = fields.Char(string="SMS Gateway URL", groups="base.group_system")
    randevu_sms_gateway_method = fields.Selection(
        [("POST", "POST"), ("PUT", "PUT"), ("GET", "GET")],
        string="SMS Gateway Method",
        default="POST",
        groups="base.group_system",
    )
    randevu_sms_gateway_headers = fields.Text(
        string="SMS Gateway Headers",
        groups="base.group_system",
        help='One "Name: value" per line (e.g. "Authorization: Bearer <key>"), or a JSON object.',
    )
    randevu_sms_gateway_payload = fields.Text(
        string="SMS Gateway Payload",
        default='{"to": "{number}", "text": "{text}"}',
        groups="base.group_system",
        help="The request's body; {number} (E.164) and {text} are replaced, JSON-escaped. "
        "For GET, a JSON object sent as query parameters.",
    )
    randevu_sms_gateway_id_path = fields.Char(
        string="Message ID Path",
        default="id",
        groups="base.group_system",
        help='Where the answer holds the message id, as a dotted JSON path (e.g. "messages.0.id").',
    )
    randevu_sms_webhook_token = fields.Char(
        string="SMS Webhook Token",
        copy=False,
        groups="base.group_system",
        help="The secret in the URLs the gateway posts replies and delivery statuses to.",
    )
    randevu_sms_webhook_url = fields.Char(
        string="SMS Webhook URL", compute="_compute_randevu_sms_webhook_url", groups="base.group_system"
    )

    _sql_constraints = [
        (
            "randevu_sms_webhook_token_unique",
            "UNIQUE(randevu_sms_webhook_token)",
            "Each branch needs its own SMS webhook token.",
        ),
    ]

    def _compute_randevu_sms_webhook_url(self):
        base = self.get_base_url()
        for company in self:
            company.randevu_sms_webhook_url = (
                f"{base}/randevu/sms/{company.randevu_sms_webhook_token}/inbound"
                if company.randevu_sms_webhook_token
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("randevu_sms_webhook_token", secrets.token_urlsafe(24))
        return super().create(vals_list)

    def action_randevu_sms_new_token(self):
        """A new secret for the SMS webhook URLs (the old ones stop working)."""
        for company in self:
            company.randevu_sms_webhook_token = secrets.token_urlsafe(24)
        return True
