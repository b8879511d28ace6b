from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import MockSMS

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestMailingConsent(ConsentMixin, MockEmail, MockSMS, TransactionCase):
    """A mailing to contacts reaches only those with a granted consent for its channel
    and their current address, checked when it is sent (mass_mailing's opt-out hooks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.ayse | cls.chloe | cls.emre

    def mailing(self, mailing_type="mail"):
        values = {
            "name": "Spring offer",
            "subject": "Spring offer",
            "mailing_type": mailing_type,
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("id", "in", self.customers.ids)]),
            "body_html": "<p>20% off colours. <a href='/unsubscribe_from_list'>Unsubscribe</a></p>",
            "body_plaintext": "20% off colours",
            "email_from": "salon@example.com",
        }
        return self.env["mailing.mailing"].create(values)

    def sent_to(self, mailing):
        traces = mailing.mailing_trace_ids
        return traces.filtered(lambda trace: trace.trace_status not in ("cancel", "error")).mapped("res_id")

    def test_email_mailing_reaches_only_granted_consents_at_send_time(self):
        self.grant(self.ayse, "email")
        self.grant(self.chloe, "email")
        self.grant(self.emre, "sms")  # SMS only: no email
        mailing = self.mailing()
        # Between preparing the mailing and sending it, Chloé withdraws.
        self.withdraw(self.chloe, "email", source="portal")
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self.sent_to(mailing), self.ayse.ids)
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        outgoing = mails.filtered(lambda mail: mail.state != "cancel")
        self.assertEqual(outgoing.mapped("res_id"), self.ayse.ids, "one email created to send, Ayşe's")
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(sorted(cancelled.mapped("res_id")), sorted((self.chloe | self.emre).ids))
        self.assertEqual(set(cancelled.mapped("failure_type")), {"mail_optout"})

    def test_a_changed_email_is_not_covered_by_the_old_consent(self):
        self.grant(self.ayse, "email")
        self.grant(self.chloe, "email")
        self.ayse.email = "ayse.other@example.com"
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self.sent_to(mailing), self.chloe.ids)

    def test_a_pending_consent_is_not_enough(self):
        self.grant(self.ayse, "email", source="booking_form")
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertFalse(self.sent_to(mailing))

    def test_sms_mailing_reaches_only_granted_sms_consents(self):
        self.grant(self.ayse, "sms")
        self.grant(self.chloe, "sms")
        self.grant(self.emre, "email")
        mailing = self.mailing("sms")
        self.Consent._randevu_handle_reply("+33645019283", "STOP", "sms")
        with self.mockSMSGateway():
            mailing.action_send_sms()
        texts = self.env["sms.sms"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(texts.filtered(lambda sms: sms.state != "canceled").mapped("partner_id"), self.ayse)
        cancelled = texts.filtered(lambda sms: sms.state == "canceled")
        self.assertEqual(cancelled.mapped("partner_id"), self.chloe | self.emre)
        self.assertEqual(set(cancelled.mapped("failure_type")), {"sms_optout"})

    def test_marketing_emails_carry_a_one_click_unsubscribe(self):
        self.grant(self.ayse, "email")
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        mail = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id), ("state", "!=", "cancel")])
        self.assertEqual(len(mail), 1)
        [email] = mail._prepare_outgoing_list()
        url = self.Consent._randevu_unsubscribe_url(self.ayse.id, "email", "ayse@example.com")
        self.assertEqual(email["headers"]["List-Unsubscribe"], f"<{url}>")
        self.assertEqual(email["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn(f'href="{url}"', email["body"], "the body's unsubscribe link")
