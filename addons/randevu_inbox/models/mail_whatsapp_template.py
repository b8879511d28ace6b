from odoo import fields, models

from odoo.addons.randevu_calendar.models.randevu_message import KINDS


class MailWhatsappTemplate(models.Model):
    _inherit = "mail.whatsapp.template"

    randevu_kind = fields.Selection(
        KINDS,
        string="Appointment Message",
        help="Randevu sends this approved template for this kind of appointment message "
        "outside WhatsApp's 24-hour window (the template applies to Appointments).",
    )
