from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.randevu_calendar.models.randevu_message import KINDS

from ..tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi


class MailWhatsappTemplate(models.Model):
    _inherit = "mail.whatsapp.template"

    randevu_kind = fields.Selection(
        KINDS,
        string="Appointment Message",
        help="Randevu sends this approved template for this kind of appointment message "
        "outside WhatsApp's 24-hour window (the template applies to Appointments).",
    )

    def button_sync_template(self):
        """OCA's *Sync* of one template, through our adapter (the gateway's Graph API URL):
        its status, category and components as Meta has them now; the business's name for
        it, its Appointment Message and its variables' fields are kept."""
        self.ensure_one()
        if not self.template_uid:
            raise UserError(self.env._("This template was never exported to Meta: there is nothing to synchronise."))
        try:
            data = WhatsAppCloudApi(self.gateway_id).get_template(self.template_uid)
        except WhatsAppApiError as error:
            raise UserError(
                self.env._("WhatsApp refused to send the template: %(reason)s", reason=str(error))
            ) from error
        values = self._randevu_import_values(self.gateway_id, data)
        values.pop("name", None)
        self.write(values)
        return {"type": "ir.actions.client", "tag": "reload"}

    @api.model
    def _randevu_import_values(self, gateway, data):
        """OCA's values of a template as Meta describes it (`data`), with a category or
        status OCA does not know read as Utility and Draft (Meta may add some)."""
        categories = {key for key, _label in self._fields["category"].selection}
        if (data.get("category") or "").lower() not in categories:
            data = dict(data, category="UTILITY")
        values = self._prepare_values_to_import(gateway, data)
        if values["state"] not in {key for key, _label in self._fields["state"].selection}:
            values["state"] = "draft"
        return values
