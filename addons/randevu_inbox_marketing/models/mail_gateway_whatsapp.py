from odoo import models


class MailGatewayWhatsappService(models.AbstractModel):
    _inherit = "mail.gateway.whatsapp"

    def _randevu_delivery_statuses(self, gateway, statuses):
        """Delivery statuses of WhatsApp campaign messages go on their mailing traces
        (delivered, read, failed), so the campaign's statistics show them."""
        result = super()._randevu_delivery_statuses(gateway, statuses)
        self.env["mailing.trace"]._randevu_whatsapp_statuses(statuses)
        return result
