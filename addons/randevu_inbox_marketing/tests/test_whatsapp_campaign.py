# ruff: noqa: RUF001 (Turkish dotless i)
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_inbox.tests.common import InboxMixin


def utc(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestWhatsAppCampaign(InboxMixin, TransactionCase):
    """A WhatsApp campaign to a segment, sent through mass_mailing's queue against the local
    fake Graph API: the approved marketing template goes only to customers with WhatsApp
    marketing consent for their number when it is sent (a consent withdrawn by STOP after
    the campaign was prepared is honoured), within the branch's frequency cap and outside
    its quiet hours, as randevu_marketing applies them to email and SMS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, "campaign", cls.fake)
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        cls.regular = cls.env["res.partner.category"].create({"name": "Regular WhatsApp"})
        Partner = cls.env["res.partner"]

        def customer(name, phone):
            return Partner.create(
                {
                    "name": name,
                    "phone": phone,
                    "randevu_client": True,
                    "category_id": [Command.link(cls.regular.id)],
                    "company_id": cls.branch.id,
                }
            )

        cls.ayse = customer("Ayşe Demir", "+905321110011")
        cls.deniz = customer("Deniz Kaya", "+905321110022")
        cls.selin = customer("Selin Ak", "+905321110033")
        cls.emre = customer("Emre Can", "+905321110044")
        Consent = cls.env["randevu.consent"]
        text = "WhatsApp ile kampanyalar"
        for partner in (cls.ayse, cls.selin):
            Consent._randevu_record(partner, "whatsapp", "granted", "till", text)
        Consent._randevu_record(cls.emre, "whatsapp", "granted", "booking_form", text)  # never confirmed
        Consent._randevu_record(cls.deniz, "sms", "granted", "till", text)  # SMS is not WhatsApp
        cls.segment = cls.env["randevu.segment"].create(
            {"name": "Regulars on WhatsApp", "tag_ids": cls.regular.ids, "company_id": cls.branch.id}
        )
        cls.template = cls.env["mail.whatsapp.template"].create(
            {
                "name": "spring_offer",
                "body": "Merhaba {{1}}, bahar kampanyası: boyada %20 indirim!",
                "category": "marketing",
                "language": "tr",
                "gateway_id": cls.gateway.id,
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "variable_ids": [Command.create({"name": "{{1}}", "line_type": "body", "field_name": "name"})],
            }
        )
        cls.template.state = "approved"

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

    def campaign(self, name="Spring offer"):
        return self.env["mailing.mailing"].create(
            {
                "name": name,
                "subject": name,
                "mailing_type": "whatsapp",
                "randevu_segment_id": self.segment.id,
                "randevu_whatsapp_template_id": self.template.id,
            }
        )

    def run_queue(self):
        """The mass mailing queue, twice: it sends, then its next run marks the campaign done."""
        for _run in range(2):
            self.env["mailing.mailing"]._process_mass_mailing_queue()

    def traces(self, mailing, **values):
        traces = mailing.mailing_trace_ids.filtered(
            lambda trace: all(trace[key] == value for key, value in values.items())
        )
        return self.env["res.partner"].browse(traces.mapped("res_id"))

    def sent_to(self):
        return [body["to"] for body in self.fake.sent() if body["type"] == "template"]

    def test_sent_only_to_those_consenting_when_it_goes_out(self):
        mailing = self.campaign()
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        # Selin writes STOP after the campaign was prepared: honoured at send time.
        self.env["randevu.consent"]._randevu_handle_reply("+905321110033", "STOP", "whatsapp")
        mailing.action_launch()
        self.run_queue()
        self.assertEqual(mailing.state, "done")
        self.assertEqual(self.sent_to(), ["905321110011"])
        [body] = [body for body in self.fake.sent() if body["type"] == "template"]
        self.assertEqual(body["template"]["name"], self.template.template_name)
        self.assertEqual(body["template"]["components"][0]["parameters"][0]["text"], "Ayşe Demir")
        self.assertEqual(self.traces(mailing, trace_status="sent"), self.ayse)
        self.assertTrue(mailing.mailing_trace_ids.filtered(lambda t: t.trace_status == "sent").whatsapp_message_id)
        self.assertEqual(
            self.traces(mailing, trace_status="cancel", failure_type="whatsapp_no_consent"),
            self.deniz | self.selin | self.emre,
        )
        self.assertEqual(set(mailing.mailing_trace_ids.mapped("trace_type")), {"whatsapp"})
        conversation = self.env["randevu.conversation"].search(
            [("partner_id", "=", self.ayse.id), ("channel", "=", "whatsapp")]
        )
        self.assertIn("bahar kampanyası", " ".join(conversation.message_ids.mapped("body")))
        # Queued again: everyone has a trace, nothing goes twice.
        self.fake.requests.clear()
        mailing._action_send_mail()
        self.assertFalse(self.sent_to())

    def test_frequency_cap_across_campaigns(self):
        self.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
        first = self.campaign("First")
        first.action_launch()
        self.run_queue()
        self.assertEqual(self.traces(first, trace_status="sent"), self.ayse | self.selin)
        self.fake.requests.clear()
        second = self.campaign("Second")
        second.action_launch()
        self.run_queue()
        self.assertFalse(self.sent_to())
        self.assertEqual(self.traces(second, failure_type="whatsapp_frequency_cap"), self.ayse | self.selin)
        self.assertEqual(second.state, "done")

    def test_quiet_hours_hold_it_until_morning(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        self.branch.write({"randevu_quiet_start": 21, "randevu_quiet_end": 9})
        mailing = self.campaign()
        nine = utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul))
        with freeze_time(utc(datetime(2026, 12, 7, 23, 30, tzinfo=istanbul))):
            mailing.action_launch()
            self.assertEqual(mailing.schedule_date, nine)
            self.run_queue()
        with freeze_time(nine - timedelta(minutes=1)):
            self.run_queue()
        self.assertFalse(self.sent_to(), "nothing sent at night")
        self.assertEqual(mailing.state, "in_queue")
        with freeze_time(nine + timedelta(minutes=1)):
            self.run_queue()
        self.assertEqual(sorted(self.sent_to()), ["905321110011", "905321110033"])
        self.assertEqual(mailing.state, "done")

    def test_a_blacklisted_number_is_no_recipient(self):
        self.env["phone.blacklist"].sudo().add(self.selin.phone_sanitized)
        mailing = self.campaign()
        mailing.action_launch()
        self.run_queue()
        self.assertEqual(self.sent_to(), ["905321110011"])
        self.assertNotIn(self.selin.id, mailing.mailing_trace_ids.mapped("res_id"))

    def test_refused_by_whatsapp_is_a_failed_trace(self):
        self.fake.errors.append({"message": "Marketing messages limit reached", "code": 131049})
        mailing = self.campaign()
        with mute_logger("odoo.addons.randevu_inbox.tools.whatsapp_api"):
            mailing.action_launch()
            self.run_queue()
        [trace] = mailing.mailing_trace_ids.filtered(lambda trace: trace.res_id == self.ayse.id)
        self.assertEqual((trace.trace_status, trace.failure_type), ("error", "whatsapp_error"))
        self.assertIn("Marketing messages limit reached", trace.failure_reason)
        self.assertEqual(mailing.state, "done")

    def test_only_a_marketing_template_of_the_branch(self):
        utility = self.template.copy({"name": "utility_one", "category": "utility"})
        with self.assertRaises(ValidationError):
            self.campaign().randevu_whatsapp_template_id = utility
        other_branch, other_gateway = self.make_branch(self.env, "campaign-other", self.fake)
        theirs = self.template.copy({"name": "their_offer", "gateway_id": other_gateway.id})
        with self.assertRaises(ValidationError):
            self.campaign().randevu_whatsapp_template_id = theirs
        self.assertEqual(other_branch, theirs.company_id)

    def test_segment_button_opens_a_whatsapp_campaign(self):
        action = self.segment.action_new_whatsapp_campaign()
        self.assertEqual(action["context"]["default_mailing_type"], "whatsapp")
        self.assertEqual(action["context"]["default_randevu_segment_id"], self.segment.id)
