from odoo import api, fields, models

from ..tools.whatsapp_api import DEFAULT_GRAPH_URL


class MailGateway(models.Model):
    _inherit = "mail.gateway"

    randevu_graph_url = fields.Char(
        string="Graph API URL",
        default=DEFAULT_GRAPH_URL,
        help="Where Randevu's WhatsApp adapter sends its requests (Meta's Graph API).",
    )

    @api.model
    def _randevu_whatsapp_gateway(self, branch):
        """The branch's WhatsApp account (its integrated gateway), or an empty recordset."""
        # sudo: gateways hold the account's token; only our own code reads them here.
        return (
            self.sudo()
            .search(
                [
                    ("gateway_type", "=", "whatsapp"),
                    ("company_id", "=", branch.id),
                    ("integrated_webhook_state", "=", "integrated"),
                ],
                order="id",
                limit=1,
            )
            .with_env(self.env)
        )
