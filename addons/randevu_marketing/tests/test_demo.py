from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoConsents(TransactionCase):
    """With demo data (make run, make test): consents of every kind on the demo customers,
    each with its history, recorded through the real paths; loading them again adds nothing."""

    def test_demo_consents(self):
        zeynep = self.env.ref("randevu_calendar.randevu_customer_zeynep")
        deniz = self.env.ref("randevu_calendar.randevu_customer_deniz")
        selin = self.env.ref("randevu_calendar.randevu_customer_selin")
        Consent = self.env["randevu.consent"]

        def state(partner, channel):
            return Consent.search([("partner_id", "=", partner.id), ("channel", "=", channel)]).state

        self.assertEqual(state(zeynep, "email"), "granted")
        self.assertEqual(state(zeynep, "sms"), "granted")
        self.assertEqual(state(deniz, "whatsapp"), "withdrawn")
        self.assertEqual(state(selin, "email"), "pending")
        sms = Consent.search([("partner_id", "=", zeynep.id), ("channel", "=", "sms")])
        self.assertEqual(sms.event_ids.sorted("id").mapped("state"), ["pending", "granted"])
        self.assertEqual(sms.event_ids.sorted("id").mapped("source"), ["booking_form", "message_reply"])
        sources = set(self.env["randevu.consent.event"].search([]).mapped("source"))
        self.assertTrue({"till", "booking_form", "message_reply", "import"} <= sources)
        count = self.env["randevu.consent.event"].search_count([])
        Consent._randevu_demo_consents()
        self.assertEqual(self.env["randevu.consent.event"].search_count([]), count, "idempotent")

    def test_demo_segments(self):
        """The two saved segments of the demo: their customers are exactly those their
        criteria say, and the regulars all have an email consent that applies."""
        regulars = self.env.ref("randevu_marketing.randevu_segment_demo_regulars")
        lapsed = self.env.ref("randevu_marketing.randevu_segment_demo_lapsed")
        for segment in regulars | lapsed:
            with self.subTest(segment=segment.name):
                partners = segment._randevu_partners()
                self.assertEqual(segment.partner_count, len(partners))
        self.assertIn(self.env.ref("randevu_calendar.randevu_customer_zeynep"), regulars._randevu_partners())
        eight_weeks_ago = fields.Datetime.now() - timedelta(weeks=8)
        for partner in lapsed._randevu_partners():
            self.assertLess(partner.randevu_last_visit, eight_weeks_ago)
        for partner in regulars._randevu_partners():
            self.assertGreaterEqual(partner.randevu_visit_count, 3)
            self.assertTrue(partner.randevu_consent_ids.filtered(lambda c: c.channel == "email").applies)

    def test_demo_finished_campaign(self):
        """The demo's finished campaign: an email mailing to the saved segment of the regulars,
        sent, with traces (sent, opened, clicked; opted out for those without consent) and
        bookings attributed to its campaign and its own source, with their revenue."""
        mailing = self.env.ref("randevu_marketing.mailing_demo_spring")
        campaign = self.env.ref("randevu_marketing.utm_campaign_demo_spring")
        self.assertEqual(mailing.state, "done")
        self.assertEqual(mailing.randevu_segment_id, self.env.ref("randevu_marketing.randevu_segment_demo_regulars"))
        self.assertGreater(mailing.sent, 0)
        self.assertGreater(mailing.opened, 0)
        self.assertGreater(mailing.clicked, 0)
        reached = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status != "cancel")
        consents = self.env["randevu.consent"]._randevu_reachable_partner_ids("email", reached.mapped("res_id"))
        self.assertEqual(set(reached.mapped("res_id")), consents, "only customers with an email consent reached")
        bookings = self.env["randevu.appointment"].search([("campaign_id", "=", campaign.id)])
        self.assertTrue(bookings)
        self.assertEqual(bookings.source_id, mailing.source_id)
        self.assertTrue(set(bookings.partner_id.ids) <= set(reached.mapped("res_id")))
        for booking in bookings:
            self.assertGreater(booking.start, mailing.sent_date)
        self.assertEqual(campaign.randevu_booking_count, len(bookings))
        self.assertEqual(mailing.randevu_booking_count, len(bookings))
        self.assertGreater(campaign.randevu_booked_revenue, 0)
        self.assertAlmostEqual(mailing.randevu_booked_revenue, campaign.randevu_booked_revenue, places=2)
        count = len(mailing.mailing_trace_ids)
        mailing._randevu_demo_results()
        self.assertEqual(len(mailing.mailing_trace_ids), count, "idempotent")
