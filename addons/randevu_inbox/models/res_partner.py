from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_whatsapp_opt_in = fields.Boolean(
        string="WhatsApp Messages",
        help="The customer agreed to receive appointment messages on WhatsApp (set when they "
        "write to the business on WhatsApp).",
    )

    def _phone_get_number_fields(self):
        """Mobile first, as Odoo's phone_validation has it: mail_gateway_whatsapp returns
        the fields from a set, in no fixed order, so `phone_sanitized` (what customer
        matching and the outbox read) could become the landline of a customer who has a
        mobile."""
        numbers = super()._phone_get_number_fields()
        return ["mobile", "phone"] + [name for name in numbers if name not in ("mobile", "phone")]
