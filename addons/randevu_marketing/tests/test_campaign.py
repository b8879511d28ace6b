from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import MockSMS

from .common import ConsentMixin


def utc(moment):
    """The naive UTC datetime (as stored) of an aware `moment`."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class CampaignMixin(ConsentMixin, MockEmail, MockSMS):
    """Customers tagged *Regular*, a segment of them, mailings to that segment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.regular = cls.env["res.partner.category"].create({"name": "Regular"})
        cls.customers = cls.ayse | cls.chloe | cls.emre
        cls.customers.write({"randevu_client": True, "category_id": [(4, cls.regular.id)]})
        cls.branch = cls.env.company
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        cls.segment = cls.env["randevu.segment"].create({"name": "Regulars", "tag_ids": cls.regular.ids})

    def mailing(self, mailing_type="mail", segment=None, partners=None):
        """A mailing to `segment` (default: the regulars), or to the contacts `partners`."""
        if partners is not None:
            recipients = {
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", partners.ids)]),
            }
        else:
            recipients = {"randevu_segment_id": (segment or self.segment).id}
        return self.env["mailing.mailing"].create(
            {
                "name": "Spring offer",
                "subject": "Spring offer",
                "mailing_type": mailing_type,
                **recipients,
                "body_html": "<p>20% off colours. <a href='/unsubscribe_from_list'>Unsubscribe</a></p>",
                "body_plaintext": "20% off colours",
                "email_from": "salon@example.com",
            }
        )

    def send(self, mailing):
        if mailing.mailing_type == "sms":
            with self.mockSMSGateway():
                mailing.action_send_sms()
        else:
            with self.mock_mail_gateway():
                mailing.action_send_mail()

    def reached(self, mailing):
        traces = mailing.mailing_trace_ids
        return self.env["res.partner"].browse(
            traces.filtered(lambda trace: trace.trace_status not in ("cancel", "error")).mapped("res_id")
        )

    def reached_by(self, partner):
        """The mailings that reached `partner` (not cancelled nor failed)."""
        traces = self.env["mailing.trace"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)])
        return traces.filtered(lambda trace: trace.trace_status not in ("cancel", "error")).mass_mailing_id

    def skipped(self, mailing, failure_type):
        traces = mailing.mailing_trace_ids.filtered(lambda trace: trace.failure_type == failure_type)
        self.assertEqual(set(traces.mapped("trace_status")), {"cancel"} if traces else set())
        return self.env["res.partner"].browse(traces.mapped("res_id"))


@tagged("post_install", "-at_install")
class TestSegmentCampaign(CampaignMixin, TransactionCase):
    """A mailing to a saved segment: the segment's customers when it is sent, still only
    those with consent for its channel."""

    def test_choosing_the_segment_sets_the_recipients(self):
        mailing = self.mailing()
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        domain = mailing._parse_mailing_domain()
        self.assertIn(("randevu_segment_ids", "in", self.segment.ids), domain)
        self.assertIn(("is_blacklisted", "=", False), domain, "mass_mailing's own filter is kept")
        self.assertEqual(self.env["res.partner"].search(domain), self.customers)
        sms = self.mailing("sms")
        self.assertIn(("phone_sanitized_blacklisted", "=", False), sms._parse_mailing_domain())

    def test_new_campaign_button_opens_a_mailing_to_the_segment(self):
        action = self.segment.action_new_campaign()
        self.assertEqual(action["res_model"], "mailing.mailing")
        form = Form(self.env["mailing.mailing"].with_context(**action["context"]))
        form.subject = "Come back"
        mailing = form.save()
        self.assertEqual(mailing.randevu_segment_id, self.segment)
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertIn(("randevu_segment_ids", "in", self.segment.ids), mailing._parse_mailing_domain())
        # Choosing the segment on a mailing to a list switches it to contacts.
        form = Form(self.env["mailing.mailing"])
        form.subject = "Another"
        form.randevu_segment_id = self.segment
        self.assertEqual(form.mailing_model_id.model, "res.partner")

    def test_a_segment_needs_a_mailing_to_contacts(self):
        mailing = self.mailing()
        with self.assertRaises(ValidationError):
            mailing.mailing_model_id = self.env["ir.model"]._get("mailing.list")

    def test_consent_withdrawn_after_choosing_the_segment_is_honoured(self):
        for partner in self.customers:
            self.grant(partner, "email")
            self.grant(partner, "sms")
        mailing, sms = self.mailing(), self.mailing("sms")
        # The segment is chosen; then Chloé withdraws by email and Emre by SMS, and
        # a new regular comes in.
        self.withdraw(self.chloe, "email", source="portal")
        self.withdraw(self.emre, "sms", source="portal")
        zeynep = self.env["res.partner"].create(
            {
                "name": "Zeynep Demir",
                "email": "zeynep@example.com",
                "randevu_client": True,
                "category_id": [(4, self.regular.id)],
            }
        )
        self.grant(zeynep, "email")
        self.send(mailing)
        self.send(sms)
        self.assertEqual(self.reached(mailing), self.ayse | self.emre | zeynep)
        self.assertEqual(self.skipped(mailing, "mail_optout"), self.chloe)
        self.assertEqual(self.reached(sms), self.ayse | self.chloe)
        self.assertEqual(self.skipped(sms, "sms_optout"), self.emre)


@tagged("post_install", "-at_install")
class TestFrequencyCap(CampaignMixin, TransactionCase):
    """At most N marketing messages per customer in D days, every campaign and channel
    together: the next ones skip her, with a cancelled trace *Frequency cap*."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for partner in cls.customers:
            cls.Consent._randevu_record(partner, "email", "granted", "till", cls.text)
            cls.Consent._randevu_record(partner, "sms", "granted", "till", cls.text)
        cls.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
        cls.pair = cls.ayse | cls.chloe

    def first_to_the_pair(self, mailing_type="mail"):
        first = self.mailing(mailing_type, partners=self.pair)
        self.send(first)
        return first

    def test_second_campaign_skips_customers_at_the_cap(self):
        first = self.first_to_the_pair()
        self.assertEqual(self.reached(first), self.pair)
        second = self.mailing()
        self.send(second)
        self.assertEqual(self.reached(second), self.emre, "under the cap: Emre gets it")
        self.assertEqual(self.skipped(second, "mail_frequency_cap"), self.pair)
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", second.id)])
        self.assertEqual(mails.mapped("res_id"), self.emre.ids, "no email for the skipped: their trace only")

    def test_the_cap_counts_email_and_sms_together(self):
        self.first_to_the_pair("mail")
        sms = self.mailing("sms")
        self.send(sms)
        self.assertEqual(self.reached(sms), self.emre)
        self.assertEqual(self.skipped(sms, "sms_frequency_cap"), self.pair)
        texts = self.env["sms.sms"].sudo().search([("mailing_id", "=", sms.id)])
        self.assertEqual(texts.partner_id, self.emre, "no text for the skipped: their trace only")

    def test_customers_under_the_cap_get_both(self):
        self.branch.randevu_marketing_cap_count = 2
        self.first_to_the_pair()
        second = self.mailing()
        self.send(second)
        self.assertEqual(self.reached(second), self.customers)
        third = self.mailing("sms")
        self.send(third)
        self.assertEqual(self.reached(third), self.emre, "the pair reached 2, Emre 1")
        # The customer form's Campaigns button: the mailings that reached her, not the
        # one the cap cancelled.
        self.customers.invalidate_recordset(["randevu_mailing_count"])
        self.assertEqual(self.customers.mapped("randevu_mailing_count"), [2, 2, 2])
        action = self.ayse.action_randevu_mailings_received()
        traces = self.env["mailing.trace"].search(action["domain"])
        self.assertEqual(traces.mass_mailing_id, self.reached_by(self.ayse))

    def test_no_cap_and_old_messages_do_not_count(self):
        first = self.first_to_the_pair()
        # Eight days later the first campaign is out of the 7-day window.
        with freeze_time(datetime.now() + timedelta(days=8)):
            second = self.mailing()
            self.send(second)
        self.assertEqual(self.reached(second), self.customers)
        self.assertTrue(first.mailing_trace_ids)
        self.branch.randevu_marketing_cap_count = 0
        third = self.mailing()
        self.send(third)
        self.assertEqual(self.reached(third), self.customers, "0: no cap")

    def test_a_failed_or_cancelled_message_does_not_count(self):
        self.withdraw(self.chloe, "email")
        first = self.first_to_the_pair()
        self.assertEqual(self.reached(first), self.ayse)
        second = self.mailing()
        self.send(second)
        self.assertEqual(self.reached(second), self.emre)
        self.assertEqual(self.skipped(second, "mail_frequency_cap"), self.ayse)

    def test_one_query_per_batch(self):
        first = self.first_to_the_pair()
        many = self.env["res.partner"].create(
            [{"name": f"Client {i}", "email": f"c{i}@example.com"} for i in range(30)]
        )
        first._randevu_capped_partner_ids(self.customers.ids)
        self.env.flush_all()
        with self.assertQueryCount(1):
            capped = first._randevu_capped_partner_ids((self.customers | many).ids)
        self.assertEqual(capped, set())  # the first mailing's own traces do not count for it
        second = self.mailing()
        second._randevu_capped_partner_ids(self.customers.ids)
        self.env.flush_all()
        with self.assertQueryCount(1):
            capped = second._randevu_capped_partner_ids((self.customers | many).ids)
        self.assertEqual(capped, set(self.pair.ids))

    @mute_logger("odoo.sql_db")
    def test_invalid_cap_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.branch.randevu_marketing_cap_days = 0
            self.branch.flush_recordset()


@tagged("post_install", "-at_install")
class TestQuietHours(CampaignMixin, TransactionCase):
    """A mailing due in its branch's quiet hours waits for the end of them: launching it
    sets its departure there and the queue does not send it before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for partner in cls.customers:
            cls.Consent._randevu_record(partner, "email", "granted", "till", cls.text)
        cls.istanbul = cls.env["res.company"].create(
            {"name": "Kadikoy", "randevu_tz": "Europe/Istanbul", "randevu_quiet_start": 21, "randevu_quiet_end": 9}
        )
        cls.paris = cls.env["res.company"].create(
            {"name": "Marais", "randevu_tz": "Europe/Paris", "randevu_quiet_start": 21, "randevu_quiet_end": 9}
        )
        Segment = cls.env["randevu.segment"]
        cls.istanbul_segment = Segment.create(
            {"name": "Regulars", "tag_ids": cls.regular.ids, "company_id": cls.istanbul.id}
        )
        cls.paris_segment = Segment.create({"name": "Regulars", "tag_ids": cls.regular.ids, "company_id": cls.paris.id})

    def run_queue(self):
        with self.mock_mail_gateway():
            self.env["mailing.mailing"]._process_mass_mailing_queue()

    def test_launched_at_night_in_istanbul_waits_for_nine(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        mailing = self.mailing(segment=self.istanbul_segment)
        with freeze_time(utc(datetime(2026, 12, 7, 23, 30, tzinfo=istanbul))):
            mailing.action_launch()
            nine = utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul))
            self.assertEqual(mailing.schedule_date, nine)
            self.assertEqual(mailing.state, "in_queue")
            self.run_queue()
        with freeze_time(nine - timedelta(minutes=1)):
            self.run_queue()
        self.assertEqual(mailing.state, "in_queue")
        self.assertFalse(mailing.mailing_trace_ids, "nothing sent before 09:00")
        with freeze_time(nine + timedelta(minutes=1)):
            self.run_queue()
        self.assertEqual(mailing.state, "done")
        self.assertEqual(self.reached(mailing), self.customers)

    def test_due_in_quiet_hours_the_queue_postpones_it(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        mailing = self.mailing(segment=self.istanbul_segment)
        with freeze_time(utc(datetime(2026, 12, 7, 20, 50, tzinfo=istanbul))):
            mailing.action_launch()
            self.assertFalse(mailing.schedule_date, "20:50: goes now")
        # The queue only runs at 21:10 (the cron was late): too late for tonight.
        with freeze_time(utc(datetime(2026, 12, 7, 21, 10, tzinfo=istanbul))):
            self.run_queue()
        self.assertEqual(mailing.state, "in_queue")
        self.assertFalse(mailing.mailing_trace_ids)
        self.assertEqual(mailing.schedule_date, utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul)))

    def test_scheduled_in_quiet_hours_moves_to_their_end(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        mailing = self.mailing(segment=self.istanbul_segment)
        with freeze_time(utc(datetime(2026, 12, 7, 15, 0, tzinfo=istanbul))):
            mailing.write(
                {"schedule_type": "scheduled", "schedule_date": utc(datetime(2026, 12, 8, 7, 0, tzinfo=istanbul))}
            )
            mailing.action_schedule()
        self.assertEqual(mailing.schedule_date, utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul)))
        # Outside the quiet hours, a schedule is kept as it is.
        other = self.mailing(segment=self.istanbul_segment)
        at_ten = utc(datetime(2026, 12, 8, 10, 0, tzinfo=istanbul))
        with freeze_time(utc(datetime(2026, 12, 7, 15, 0, tzinfo=istanbul))):
            other.write({"schedule_type": "scheduled", "schedule_date": at_ten})
            other.action_schedule()
        self.assertEqual(other.schedule_date, at_ten)

    def test_daylight_saving_night_in_paris(self):
        paris = ZoneInfo("Europe/Paris")
        mailing = self.mailing(segment=self.paris_segment)
        # 28 to 29 March 2026: the clocks go from 02:00 to 03:00; 09:00 is then 07:00 UTC.
        with freeze_time(utc(datetime(2026, 3, 28, 22, 30, tzinfo=paris))):
            mailing.action_launch()
        self.assertEqual(mailing.schedule_date, utc(datetime(2026, 3, 29, 9, 0, tzinfo=paris)))
        self.assertEqual(mailing.schedule_date, datetime(2026, 3, 29, 7, 0))


@tagged("post_install", "-at_install")
class TestAbTesting(CampaignMixin, TransactionCase):
    """mass_mailing's A/B testing with recipients from a segment: each variant goes to its
    own share of the segment, the winner to the rest, and every send still honours consent
    and the frequency cap."""

    def test_ab_split_respects_consent_and_cap(self):
        Partner = self.env["res.partner"]
        many = Partner.create(
            [
                {
                    "name": f"Regular {i}",
                    "email": f"regular{i}@example.com",
                    "randevu_client": True,
                    "category_id": [(4, self.regular.id)],
                }
                for i in range(17)
            ]
        )
        everyone = self.customers | many
        consented = everyone.filtered(lambda partner: partner.id % 3 != 0)
        for partner in consented:
            self.grant(partner, "email")
        # Cap 1 a week: two consented customers already had a mailing this week.
        self.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
        capped = consented[:2]
        earlier = self.mailing(partners=capped)
        self.send(earlier)
        self.assertEqual(self.reached(earlier), capped)
        campaign = self.env["utm.campaign"].create({"title": "Subject test"})
        variants = self.mailing() | self.mailing()
        for variant, subject in zip(variants, ("Spring offer", "20% off this spring"), strict=True):
            variant.write(
                {
                    "subject": subject,
                    "campaign_id": campaign.id,
                    "ab_testing_enabled": True,
                    "ab_testing_pc": 30,
                    "ab_testing_winner_selection": "manual",
                }
            )
        for variant in variants:
            self.send(variant)
        first, second = (set(variant.mailing_trace_ids.mapped("res_id")) for variant in variants)
        self.assertEqual(len(first), 6, "30% of the segment's 20 customers")
        self.assertEqual(len(second), 6, "30% of them, among those the first did not get")
        self.assertFalse(first & second)
        winner = self.env["mailing.mailing"].browse(variants[1].action_select_as_winner()["res_id"])
        self.assertEqual(winner.randevu_segment_id, self.segment)
        self.send(winner)
        final = set(winner.mailing_trace_ids.mapped("res_id"))
        self.assertFalse(final & (first | second), "the winner goes to the others only")
        self.assertEqual(first | second | final, set(everyone.ids), "every customer of the segment has one trace")
        reached = self.env["res.partner"]
        for mailing in variants | winner:
            reached |= self.reached(mailing)
            self.assertEqual(self.skipped(mailing, "mail_optout"), (everyone - consented) & self.browse_traced(mailing))
            self.assertEqual(self.skipped(mailing, "mail_frequency_cap"), capped & self.browse_traced(mailing))
        self.assertEqual(reached, consented - capped)

    def browse_traced(self, mailing):
        return self.env["res.partner"].browse(mailing.mailing_trace_ids.mapped("res_id"))


class ListMailingMixin:
    def list_mailing(self, contacts, mailing_type="mail", name="Newsletter"):
        newsletter = self.env["mailing.list"].create({"name": name, "contact_ids": [(6, 0, contacts.ids)]})
        return self.env["mailing.mailing"].create(
            {
                "name": name,
                "subject": name,
                "mailing_type": mailing_type,
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [(6, 0, newsletter.ids)],
                "body_html": "<p>News</p>",
                "body_plaintext": "News",
                "email_from": "salon@example.com",
            }
        )

    def contacts_reached(self, mailing):
        traces = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status not in ("cancel", "error"))
        return self.env["mailing.contact"].browse(traces.mapped("res_id"))

    def contacts_capped(self, mailing, failure_type="mail_frequency_cap"):
        traces = mailing.mailing_trace_ids.filtered(lambda trace: trace.failure_type == failure_type)
        self.assertEqual(set(traces.mapped("trace_status")), {"cancel"} if traces else set())
        return self.env["mailing.contact"].browse(traces.mapped("res_id"))


@tagged("post_install", "-at_install")
class TestListFrequencyCap(ListMailingMixin, CampaignMixin, TransactionCase):
    """Mailings to mailing lists follow the branch's frequency cap as campaigns to contacts
    do: a list contact is the customers with its exact email or phone number (its address
    alone when it is nobody's), and the messages to them count both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for partner in cls.customers:
            cls.Consent._randevu_record(partner, "email", "granted", "till", cls.text)
        cls.Consent._randevu_record(cls.chloe, "sms", "granted", "till", cls.text)
        cls.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
        Contact = cls.env["mailing.contact"]
        cls.c_ayse = Contact.create({"name": "Ayşe", "email": "AYSE@example.com", "mobile": "+905321234567"})
        cls.c_chloe = Contact.create({"name": "Chloé", "email": "chloe@example.com", "mobile": "+33645019283"})
        cls.c_emre = Contact.create({"name": "Emre", "email": "emre@example.com"})

    def test_a_campaign_then_a_list_mailing_then_a_campaign(self):
        # A campaign to contacts reaches Ayşe (customer): her list contact is at the cap.
        campaign = self.mailing(partners=self.ayse)
        self.send(campaign)
        self.assertEqual(self.reached(campaign), self.ayse)
        news = self.list_mailing(self.c_ayse | self.c_chloe | self.c_emre)
        self.send(news)
        self.assertEqual(self.contacts_capped(news), self.c_ayse, "mapped to Ayşe by her email")
        self.assertEqual(self.contacts_reached(news), self.c_chloe | self.c_emre)
        # The list mailing counts for the customers behind its contacts: the next campaign
        # skips Chloé and Emre (and Ayşe, reached by the first campaign).
        second = self.mailing(partners=self.customers)
        self.send(second)
        self.assertEqual(self.skipped(second, "mail_frequency_cap"), self.customers)
        # An SMS list mailing to Chloé's contact (her number): at the cap too.
        texts = self.list_mailing(self.c_chloe, mailing_type="sms", name="News SMS")
        self.send(texts)
        self.assertEqual(self.contacts_capped(texts, "sms_frequency_cap"), self.c_chloe)

    def test_without_a_cap_list_mailings_go_as_before(self):
        self.branch.randevu_marketing_cap_count = 0
        self.send(self.mailing(partners=self.ayse))
        news = self.list_mailing(self.c_ayse | self.c_chloe)
        self.send(news)
        self.assertEqual(self.contacts_reached(news), self.c_ayse | self.c_chloe)

    def test_a_contact_of_no_customer_is_counted_by_its_address(self):
        Contact = self.env["mailing.contact"]
        stranger = Contact.create({"name": "Stranger", "email": "stranger@example.com"})
        again = Contact.create({"name": "Stranger again", "email": "Stranger@Example.com"})
        other = Contact.create({"name": "Other", "email": "other@example.com"})
        first = self.list_mailing(stranger)
        # (No consent can cover an address that is nobody's: the trace stands for a
        # message that reached it, e.g. before consent was required.)
        self.env["mailing.trace"].create(
            {
                "mass_mailing_id": first.id,
                "model": "mailing.contact",
                "res_id": stranger.id,
                "email": "stranger@example.com",
                "trace_type": "mail",
                "trace_status": "sent",
                "sent_datetime": datetime.now() - timedelta(days=1),
            }
        )
        second = self.list_mailing(again | other, name="Second")
        self.assertEqual(second._randevu_capped_contact_ids((again | other | stranger).ids), {again.id, stranger.id})
        self.assertEqual(first._randevu_capped_contact_ids(stranger.ids), set(), "its own trace is not counted")


@tagged("post_install", "-at_install")
class TestListQuietHours(ListMailingMixin, CampaignMixin, TransactionCase):
    """A mailing to mailing lists launched or scheduled inside its branch's quiet hours is
    postponed to their end, as campaigns are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent._randevu_record(cls.ayse, "email", "granted", "till", cls.text)
        cls.contact = cls.env["mailing.contact"].create({"name": "Ayşe", "email": "ayse@example.com"})
        cls.branch.write({"randevu_tz": "Europe/Istanbul", "randevu_quiet_start": 21, "randevu_quiet_end": 9})

    def run_queue(self):
        with self.mock_mail_gateway():
            self.env["mailing.mailing"]._process_mass_mailing_queue()

    def test_launched_at_night_waits_for_nine(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        news = self.list_mailing(self.contact)
        nine = utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul))
        with freeze_time(utc(datetime(2026, 12, 7, 23, 30, tzinfo=istanbul))):
            news.action_launch()
            self.assertEqual(news.schedule_date, nine)
            self.run_queue()
        with freeze_time(nine - timedelta(minutes=1)):
            self.run_queue()
        self.assertFalse(news.mailing_trace_ids, "nothing sent before 09:00")
        with freeze_time(nine + timedelta(minutes=1)):
            self.run_queue()
        self.assertEqual(self.contacts_reached(news), self.contact)

    def test_scheduled_inside_moves_and_late_queue_postpones(self):
        istanbul = ZoneInfo("Europe/Istanbul")
        news = self.list_mailing(self.contact)
        with freeze_time(utc(datetime(2026, 12, 7, 15, 0, tzinfo=istanbul))):
            news.write(
                {"schedule_type": "scheduled", "schedule_date": utc(datetime(2026, 12, 8, 7, 0, tzinfo=istanbul))}
            )
            news.action_schedule()
        self.assertEqual(news.schedule_date, utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul)))
        late = self.list_mailing(self.contact, name="Late")
        with freeze_time(utc(datetime(2026, 12, 7, 20, 50, tzinfo=istanbul))):
            late.action_launch()
        with freeze_time(utc(datetime(2026, 12, 7, 21, 10, tzinfo=istanbul))):
            self.run_queue()
        self.assertFalse(late.mailing_trace_ids)
        self.assertEqual(late.schedule_date, utc(datetime(2026, 12, 8, 9, 0, tzinfo=istanbul)))
