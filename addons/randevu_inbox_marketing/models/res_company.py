from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    randevu_whatsapp_consent_template_id = fields.Many2one(
        "mail.whatsapp.template",
        string="WhatsApp Consent Question Template",
        domain="[('company_id', 'in', (id, False)), ('model', '=', 'res.partner')]",
        help="An approved template of this branch's WhatsApp account asking customers whether they want "
        "offers by WhatsApp (their YES confirms it). *Ask for Marketing Consent* sends it to a customer who "
        "last wrote more than 24 hours ago (WhatsApp then accepts only approved templates). It applies to "
        "Contacts: its variables read the customer.",
    )

    @api.constrains("randevu_whatsapp_consent_template_id")
    def _check_randevu_whatsapp_consent_template(self):
        for company in self:
            # sudo: the template's account is configuration (read for its branch only).
            template = company.sudo().randevu_whatsapp_consent_template_id
            if template and template.company_id and template.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The consent question template belongs to the WhatsApp account of %(branch)s.",
                        branch=template.company_id.name,
                    )
                )
            if template and template.model != "res.partner":
                raise ValidationError(self.env._("The consent question template must apply to Contacts."))
