from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

from .test_automation import AutomationMixin

# Mondays of 2031: visits 21 then 35 days apart, a usual interval of 28 days (the median).
VISITS = [datetime(2031, 1, 6, 9, 0), datetime(2031, 1, 27, 9, 0), datetime(2031, 3, 3, 9, 0)]


@tagged("post_install", "-at_install")
class TestClientReconnect(AutomationMixin, RandevuMessagingCase):
    """Each client's own usual interval per service category, known after three visits
    (the median of the gaps), and the core's rebooking reminder waiting for it instead of
    the service's fixed interval while the branch has an active Client reconnect."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hair = cls.env["product.category"].create({"name": "Hair"})
        cls.haircut.write({"categ_id": cls.hair.id, "randevu_rebook_days": 60})
        cls.Interval = cls.env["randevu.client.interval"]

    def interval(self, partner):
        return self.Interval.search([("partner_id", "=", partner.id)])

    def test_interval_after_three_visits_is_the_median(self):
        client = self.client("Regular")
        for start in VISITS[:2]:
            self.visit(client, start)
        self.Interval._randevu_refresh()
        self.assertFalse(self.interval(client), "two visits: not known yet")
        self.visit(client, VISITS[2])
        self.Interval._randevu_refresh()
        interval = self.interval(client)
        self.assertEqual(
            (interval.categ_id, interval.visit_count, interval.interval_days, interval.next_visit_date),
            (self.hair, 3, 28, date(2031, 3, 31)),
        )
        # A fourth visit 50 days later: gaps 21, 35, 50, median 35.
        self.visit(client, VISITS[2] + timedelta(days=50))
        self.Interval._randevu_refresh([client.id])
        self.assertEqual((self.interval(client).visit_count, self.interval(client).interval_days), (4, 35))
        # Another category is counted apart (and two visits there are not enough).
        nails = self.env["product.category"].create({"name": "Nails"})
        manicure = self._make_service("Manicure", 0.5, self.anna | self.bruno, categ_id=nails.id)
        for start in VISITS[:2]:
            self.visit(client, start + timedelta(days=1), service=manicure)
        self.Interval._randevu_refresh()
        self.assertEqual(self.interval(client).categ_id, self.hair)

    def test_rebooking_reminder_waits_for_the_usual_interval(self):
        client = self.client("Regular")
        silent = self.client("Silent", consent=False)
        for partner in client | silent:
            for start in VISITS:
                self.visit(partner, start)
        last = self.env["randevu.appointment"].search([("partner_id", "=", client.id)], order="start desc", limit=1)
        silent_last = self.env["randevu.appointment"].search(
            [("partner_id", "=", silent.id)], order="start desc", limit=1
        )
        self.Interval._randevu_refresh()

        # Without a Client reconnect automation: the service's 60 days.
        self.run_followups(last.stop + timedelta(days=29))
        self.assertFalse(self.messages(last, kind="rebooking"))

        self.Automation.create({"name": "Reconnect", "company_id": self.branch.id, "kind": "reconnect"})
        self.run_followups(last.stop + timedelta(days=27, hours=23))
        self.assertFalse(self.messages(last, kind="rebooking"), "not due yet: her interval is 28 days")
        self.run_followups(last.stop + timedelta(days=28, minutes=1))
        nudge = self.messages(last, kind="rebooking")
        self.assertEqual((nudge.channel, nudge.state), ("email", "sent"))
        self.assertFalse(self.messages(silent_last, kind="rebooking"), "no marketing consent: the service's interval")
        self.run_followups(last.stop + timedelta(days=30))
        self.assertEqual(len(self.messages(last, kind="rebooking")), 1, "once")
        self.run_followups(silent_last.stop + timedelta(days=60, minutes=1))
        self.assertEqual(len(self.messages(silent_last, kind="rebooking")), 1, "after the service's 60 days")

    def test_no_nudge_once_booked(self):
        client = self.client("Regular")
        for start in VISITS:
            self.visit(client, start)
        last = self.env["randevu.appointment"].search([("partner_id", "=", client.id)], order="start desc", limit=1)
        self.Interval._randevu_refresh()
        self.Automation.create({"name": "Reconnect", "company_id": self.branch.id, "kind": "reconnect"})
        with freeze_time(VISITS[2] + timedelta(days=20)):
            self.book(VISITS[2] + timedelta(days=35), staff=self.bruno, partner_id=client.id)
        self.run_followups(last.stop + timedelta(days=28, minutes=1))
        self.assertFalse(self.messages(last, kind="rebooking"), "she has booked")
