from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase
from odoo.addons.randevu_inbox.tests.common import SECRET, InboxMixin
from odoo.addons.randevu_marketing.tests.test_automation import AutomationMixin

TEXT = "WhatsApp ile kampanyalar"
# Thursday 13 March 2031 in Paris (UTC+1), the clients' birthday: 05:30 is in the quiet
# hours, which end at 08:00 (07:00 UTC).
NIGHT = datetime(2031, 3, 13, 4, 30)
MORNING = datetime(2031, 3, 13, 7, 1)


@tagged("post_install", "-at_install")
class TestWhatsAppAutomation(InboxMixin, AutomationMixin, RandevuMessagingCase):
    """A birthday automation on WhatsApp sends the branch's approved marketing template
    (against the local fake Graph API) to the clients with WhatsApp marketing consent,
    within the frequency cap (counted with the campaigns), outside the quiet hours, and
    not to one who booked meanwhile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.gateway = cls.env["mail.gateway"].create(
            {
                "name": "WhatsApp automation",
                "gateway_type": "whatsapp",
                "token": "token-automation",
                "webhook_key": "key-automation",
                "webhook_secret": SECRET,
                "whatsapp_from_phone": "1987654321",
                "whatsapp_security_key": "verify-me",
                "company_id": cls.branch.id,
                "randevu_graph_url": cls.fake.url,
                "member_ids": [Command.set([])],
            }
        )
        cls.gateway.integrated_webhook_state = "integrated"
        cls.template = cls.env["mail.whatsapp.template"].create(
            {
                "name": "birthday_gift",
                "body": "İyi ki doğdun {{1}}! Bir sonraki ziyaretine hediye.",
                "category": "marketing",
                "language": "tr",
                "gateway_id": cls.gateway.id,
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "variable_ids": [Command.create({"name": "{{1}}", "line_type": "body", "field_name": "name"})],
            }
        )
        cls.template.state = "approved"
        cls.birthday = cls.Automation.create(
            {"name": "Happy birthday", "company_id": cls.branch.id, "kind": "birthday", "channel": "whatsapp"}
        )

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

    def wa_client(self, name, phone, consent="whatsapp"):
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "phone": phone,
                "randevu_client": True,
                "company_id": self.branch.id,
                "randevu_birthday": date(1990, 3, 13),
            }
        )
        if consent:
            self.env["randevu.consent"]._randevu_record(partner, consent, "granted", "till", TEXT)
        return partner

    def sent_to(self):
        return sorted(body["to"] for body in self.fake.sent() if body["type"] == "template")

    def test_channel_makes_a_whatsapp_message(self):
        mailing = self.birthday.sudo().mailing_id
        self.assertEqual(mailing.mailing_type, "whatsapp")
        self.assertFalse(self.birthday.whatsapp_template_id)
        self.birthday.whatsapp_template_id = self.template
        self.assertEqual(mailing.randevu_whatsapp_template_id, self.template)

    def test_without_a_template_nobody_is_picked(self):
        self.wa_client("Ayşe Demir", "+905321110011")
        self.run_automations(MORNING)
        self.assertFalse(self.sends(self.birthday), "nothing to send: no episode used up")
        self.assertFalse(self.sent_to())

    def test_consent_cap_quiet_hours_and_booking(self):
        self.birthday.whatsapp_template_id = self.template
        self.branch.write(
            {
                "randevu_quiet_start": 21,
                "randevu_quiet_end": 8,
                "randevu_marketing_cap_count": 1,
                "randevu_marketing_cap_days": 7,
            }
        )
        ayse = self.wa_client("Ayşe Demir", "+905321110011")
        books = self.wa_client("Selin Ak", "+905321110033")
        capped = self.wa_client("Emre Can", "+905321110044")
        sms_only = self.wa_client("Deniz Kaya", "+905321110022", consent="sms")
        # A campaign reached Emre the day before.
        campaign = self.env["mailing.mailing"].create(
            {"subject": "Spring", "mailing_model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        win_back = self.Automation.create({"name": "We miss you", "company_id": self.branch.id, "weeks": 8})
        self.env["mailing.trace"].create(
            {
                "mass_mailing_id": campaign.id,
                "model": "res.partner",
                "res_id": capped.id,
                "trace_type": "mail",
                "trace_status": "sent",
                "sent_datetime": NIGHT - timedelta(days=1),
            }
        )
        self.run_automations(NIGHT)
        sends = self.sends(self.birthday)
        self.assertEqual(set(sends.mapped("state")), {"pending"}, "nothing goes in the quiet hours")
        self.assertEqual(sends.partner_id, ayse | books | capped, "WhatsApp consent only")
        self.assertFalse(self.sent_to())
        with freeze_time(NIGHT + timedelta(hours=1)):
            self.book(datetime(2031, 3, 20, 9, 0), staff=self.bruno, partner_id=books.id)
        self.run_automations(MORNING)
        self.assertEqual(self.sent_to(), ["905321110011"])
        [body] = [body for body in self.fake.sent() if body["type"] == "template"]
        self.assertEqual(body["template"]["name"], self.template.template_name)
        self.assertEqual(
            {(send.partner_id, send.state, send.reason) for send in self.sends(self.birthday)},
            {
                (ayse, "sent", False),
                (books, "cancelled", "Booked"),
                (capped, "skipped", "Frequency Cap Reached"),
            },
        )
        trace = self.sends(self.birthday, ayse).trace_id
        # Accepted by WhatsApp: *Sent* (pending) until Meta's status webhook says delivered.
        self.assertEqual((trace.trace_type, trace.trace_status), ("whatsapp", "pending"))
        self.assertFalse(self.sends(self.birthday, sms_only))
        # The WhatsApp message counts toward the cap of the next campaign.
        with freeze_time(MORNING + timedelta(hours=1)):
            capped_now = win_back.sudo().mailing_id._randevu_capped_partner_ids([ayse.id, sms_only.id])
        self.assertEqual(capped_now, {ayse.id})
        # Once a year: the next run sends nothing more.
        self.fake.requests.clear()
        self.run_automations(MORNING + timedelta(hours=2))
        self.assertFalse(self.sent_to())
