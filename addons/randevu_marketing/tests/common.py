from odoo.tests import new_test_user


class ConsentMixin:
    """Customers with an email and a mobile number, and the users of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.Consent = cls.env["randevu.consent"]
        Partner = cls.env["res.partner"]
        cls.ayse = Partner.create({"name": "Ayşe Yılmaz", "email": "ayse@example.com", "mobile": "+905321234567"})  # noqa: RUF001
        cls.chloe = Partner.create({"name": "Chloé Martin", "email": "chloe@example.com", "mobile": "+33645019283"})
        cls.emre = Partner.create({"name": "Emre Kaya", "email": "emre@example.com", "mobile": "+905329876543"})
        cls.text = "I agree to receive offers and news from the salon by email. I can withdraw at any time."

    def grant(self, partner, channel="email", source="till", **kwargs):
        return self.Consent._randevu_record(partner, channel, "granted", source, self.text, **kwargs)

    def withdraw(self, partner, channel="email", source="backend", **kwargs):
        return self.Consent._randevu_record(partner, channel, "withdrawn", source, self.text, **kwargs)

    def consent(self, partner, channel="email"):
        return self.Consent.search([("partner_id", "=", partner.id), ("channel", "=", channel)])

    @classmethod
    def role_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=f"base.group_user,randevu_calendar.{group}",
        )
