from odoo import models, tools


class MailBlacklist(models.Model):
    _inherit = "mail.blacklist"

    def _add(self, email, message=None):
        record = super()._add(email, message=message)
        # Superuser: whoever blacklists (a mailing's unsubscribe page as the public user)
        # records the withdrawal in the customer's consent history.
        normalized = tools.email_normalize(email)
        if normalized:
            self.env["randevu.consent"].sudo()._randevu_withdraw_blacklisted("email", [normalized])
        return record


class PhoneBlacklist(models.Model):
    _inherit = "phone.blacklist"

    def _add(self, numbers, message=None):
        records = super()._add(numbers, message=message)
        # Superuser: as above (mass_mailing_sms's unsubscribe link runs as the public user).
        self.env["randevu.consent"].sudo()._randevu_withdraw_blacklisted(
            "sms", [number for number in numbers if number]
        )
        return records
