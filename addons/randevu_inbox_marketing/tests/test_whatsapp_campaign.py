# ruff: noqa: RUF001 (Turkish dotless i)
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import CampaignMixin


def utc(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestWhatsAppCampaign(CampaignMixin, TransactionCase):
    """A WhatsApp campaign to a segment, sent through mass_mailing's queue against the local
    fake Graph API: the approved marketing template goes only to customers with WhatsApp
    marketing consent for their number when it is sent (a consent withdrawn by STOP after
    the campaign was prepared is honoured), within the branch's frequency cap and outside
    its quiet hours, as randevu_marketing applies them to email and SMS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_campaign_fixtures("campaign")

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

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
        # Sent (Odoo's "pending"), not Delivered: delivery comes by Meta's webhook.
        self.assertEqual(self.traces(mailing, trace_status="pending"), self.ayse)
        [sent] = mailing.mailing_trace_ids.filtered(lambda t: t.trace_status == "pending")
        self.assertTrue(sent.whatsapp_message_id.startswith("wamid.fake"), "the wamid Meta answered is stored")
        self.assertTrue(sent.sent_datetime)
        self.assertEqual((mailing.sent, mailing.delivered), (1, 0))
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
        self.assertEqual(self.traces(first, trace_status="pending"), self.ayse | self.selin)
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

    def test_a_run_cut_short_sends_the_prepared_and_never_again_the_interrupted(self):
        """What a run cut short leaves (committed step by step outside tests): Ayşe's
        request had started (*processing*) when it stopped, Selin was prepared
        (*outgoing*). The next run sends to Selin and to the recipients not reached, and
        marks Ayşe's message *Interrupted* for a person to check, without sending it."""
        mailing = self.campaign()
        mailing.action_launch()
        Trace = self.env["mailing.trace"]
        common = {"trace_type": "whatsapp", "model": "res.partner", "mass_mailing_id": mailing.id}
        Trace.create(
            [
                dict(common, res_id=self.ayse.id, trace_status="process"),
                dict(common, res_id=self.selin.id, trace_status="outgoing"),
            ]
        )
        self.run_queue()
        self.assertEqual(self.sent_to(), ["905321110033"], "Selin only; Ayşe's is not sent blindly again")
        [ayse] = mailing.mailing_trace_ids.filtered(lambda trace: trace.res_id == self.ayse.id)
        self.assertEqual((ayse.trace_status, ayse.failure_type), ("error", "whatsapp_interrupted"))
        self.assertIn("Check", ayse.failure_reason)
        self.assertEqual(self.traces(mailing, trace_status="pending"), self.selin)
        self.assertEqual(self.traces(mailing, trace_status="cancel"), self.deniz | self.emre)
        self.assertEqual(mailing.state, "done")

    def test_one_trace_per_recipient_in_the_database(self):
        mailing = self.campaign()
        values = {"trace_type": "whatsapp", "model": "res.partner", "mass_mailing_id": mailing.id}
        self.env["mailing.trace"].create(dict(values, res_id=self.ayse.id))
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            self.env["mailing.trace"].create(dict(values, res_id=self.ayse.id))
            self.env.flush_all()
