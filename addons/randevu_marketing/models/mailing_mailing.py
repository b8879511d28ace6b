from odoo import models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # A mailing to contacts: its unsubscribe links (in the body and the List-Unsubscribe
    # header, RFC 8058 one-click) withdraw the contact's marketing consent by email.
    def _get_unsubscribe_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)

    def _get_unsubscribe_oneclick_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_oneclick_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)
