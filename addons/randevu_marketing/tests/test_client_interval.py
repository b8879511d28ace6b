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

    def reach(self, partner, when, name="Spring offer"):
        """A campaign that reached `partner` at `when` (a sent trace)."""
        mailing = self.env["mailing.mailing"].create(
            {"subject": name, "mailing_model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        self.env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": partner.id,
                "trace_type": "mail",
                "trace_status": "sent",
                "sent_datetime": when,
            }
        )
        return mailing

    def test_frequency_cap_holds_the_nudge_and_the_nudge_counts(self):
        """At her branch's cap (1 message in 7 days), the reconnect nudge waits until the
        campaign that reached her leaves the window (within the reminder's two weeks), and
        once sent it counts toward the cap; the core's own reminder (the service's fixed
        interval, no marketing consent) is not held by the cap."""
        self.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
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
        self.Automation.create({"name": "Reconnect", "company_id": self.branch.id, "kind": "reconnect"})
        win_back = self.Automation.create(
            {"name": "We miss you", "company_id": self.branch.id, "kind": "win_back", "weeks": 8}
        )
        due = last.stop + timedelta(days=28)
        self.reach(client, due - timedelta(days=1))
        self.run_followups(due + timedelta(minutes=1))
        self.assertFalse(self.messages(last, kind="rebooking"), "at the cap: the nudge waits")
        self.run_followups(due + timedelta(days=5))
        self.assertFalse(self.messages(last, kind="rebooking"), "still at the cap")
        # Six days and one minute later the campaign's trace is out of the 7-day window.
        self.run_followups(due + timedelta(days=6, minutes=2))
        nudge = self.messages(last, kind="rebooking")
        self.assertEqual((nudge.state, nudge.randevu_marketing_nudge), ("sent", True))
        with freeze_time(due + timedelta(days=7)):
            self.assertEqual(
                win_back.mailing_id._randevu_capped_partner_ids([client.id, silent.id]),
                {client.id},
                "the nudge counts toward the cap",
            )
        with freeze_time(due + timedelta(days=14)):
            self.assertFalse(win_back.mailing_id._randevu_capped_partner_ids([client.id]), "out of the window")

        # The core's reminder at the service's 60 days is a service message: not held.
        silent_due = silent_last.stop + timedelta(days=60)
        self.reach(silent, silent_due - timedelta(days=1))
        self.run_followups(silent_due + timedelta(minutes=1))
        reminder = self.messages(silent_last, kind="rebooking")
        self.assertEqual((reminder.state, reminder.randevu_marketing_nudge), ("sent", False))

    def test_nudge_held_past_the_reminders_two_weeks_is_dropped(self):
        self.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 30})
        client = self.client("Regular")
        for start in VISITS:
            self.visit(client, start)
        last = self.env["randevu.appointment"].search([("partner_id", "=", client.id)], order="start desc", limit=1)
        self.Interval._randevu_refresh()
        self.Automation.create({"name": "Reconnect", "company_id": self.branch.id, "kind": "reconnect"})
        due = last.stop + timedelta(days=28)
        self.reach(client, due - timedelta(days=1))
        for day in (0, 7, 13, 15, 30):
            self.run_followups(due + timedelta(days=day, minutes=1))
        self.assertFalse(self.messages(last, kind="rebooking"), "a nudge weeks late is no nudge")
