from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_whatsapp_opt_in = fields.Boolean(
        string="WhatsApp Messages",
        help="The customer agreed to receive appointment messages on WhatsApp (set when they "
        "write to the business on WhatsApp).",
    )
