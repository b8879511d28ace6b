from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values(self, res_ids):
        """Per batch of a mailing to contacts: those over their branch's frequency cap get
        a cancelled email and trace, failure *Frequency cap* (as mass_mailing cancels the
        opted-out ones)."""
        mail_values_all = super()._prepare_mail_values(res_ids)
        if self.composition_mode != "mass_mail" or not self.mass_mailing_id or self.model != "res.partner":
            return mail_values_all
        capped = self.mass_mailing_id._randevu_capped_partner_ids(
            [res_id for res_id, values in mail_values_all.items() if values.get("state") != "cancel"]
        )
        for res_id in capped:
            values = mail_values_all[res_id]
            values.update(state="cancel", failure_type="mail_frequency_cap")
            for command in values.get("mailing_trace_ids") or []:
                command[2].update(trace_status="cancel", failure_type="mail_frequency_cap")
        return mail_values_all
