from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris (UTC+1)
TEXT = "I agree to receive offers and news from the salon. I can withdraw at any time."


class AutomationMixin:
    """Customers with visits at the Paris branch of RandevuCase, an email consent each
    unless said otherwise, no quiet hours, no frequency cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        cls.Automation = cls.env["randevu.marketing.automation"]
        cls.Send = cls.env["randevu.marketing.automation.send"]
        cls.slot = 0

    def client(self, name, consent=True, **values):
        partner = self.env["res.partner"].create(
            {"name": name, "email": f"{name.lower()}@example.com", "randevu_client": True, **values}
        )
        if consent:
            self.grant(partner)
        return partner

    def grant(self, partner, channel="email"):
        return self.env["randevu.consent"]._randevu_record(partner, channel, "granted", "till", TEXT)

    def visit(self, partner, day, service=None):
        """A completed appointment of `partner` on `day` (10:00 Paris + a slot of its own)."""
        start = day + timedelta(hours=[0, 1, 2, 4, 5, 6][self.slot % 6])
        staff = self.anna if self.slot % 12 < 6 else self.bruno
        type(self).slot += 1
        with freeze_time(start - timedelta(days=3)):
            appointment = self.book(start, staff=staff, service=service, partner_id=partner.id)
        with freeze_time(start + timedelta(minutes=40)):
            appointment.action_done()
        return appointment

    def run_automations(self, when, **kwargs):
        """The cron's work for this branch's automations (the demo's, at other branches,
        are left alone), at `when`."""
        with freeze_time(when), self.mock_mail_gateway():
            self.env["randevu.client.interval"]._randevu_refresh()
            # No commit: the test's transaction stays whole (a savepoint per batch instead).
            self.Automation.search([("company_id", "=", self.branch.id)])._randevu_run(auto_commit=False, **kwargs)

    def sends(self, automation, partner=None):
        domain = [("automation_id", "=", automation.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.Send.search(domain)

    def reached_by(self, mailing):
        traces = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status != "cancel")
        return self.env["res.partner"].browse(traces.mapped("res_id"))

    def mailed(self, automation):
        """The customers the automation's mailing reached (traces not cancelled)."""
        traces = automation.mailing_id.mailing_trace_ids.filtered(lambda trace: trace.trace_status != "cancel")
        return self.env["res.partner"].browse(traces.mapped("res_id"))


@tagged("post_install", "-at_install")
class TestWinBack(AutomationMixin, RandevuMessagingCase):
    """Win-back after N weeks without a visit: exactly the clients past N weeks with a
    consent, not those with something booked, once per absence; consent checked when
    sending; quiet hours postpone; the frequency cap counts campaigns and automations
    together."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.win_back = cls.Automation.create(
            {"name": "We miss you", "company_id": cls.branch.id, "kind": "win_back", "weeks": 8}
        )

    def test_picks_exactly_the_lapsed_clients_with_consent(self):
        lapsed = self.client("Lapsed")
        booked = self.client("Booked")
        recent = self.client("Recent")
        silent = self.client("Silent", consent=False)
        withdrawn = self.client("Withdrawn")
        self.env["randevu.consent"]._randevu_record(withdrawn, "email", "withdrawn", "backend", TEXT)
        never = self.client("Never")  # no visit at all: nothing to win back
        for partner in lapsed | booked | silent | withdrawn:
            self.visit(partner, MONDAY_10)
        self.visit(recent, MONDAY_10)
        self.visit(recent, MONDAY_10 + timedelta(weeks=6))
        with freeze_time(BOOKED_AT + timedelta(weeks=8)):
            self.book(MONDAY_10 + timedelta(weeks=10, days=1), staff=self.bruno, partner_id=booked.id)

        # 7 weeks after: nobody yet.
        self.run_automations(MONDAY_10 + timedelta(weeks=7))
        self.assertFalse(self.sends(self.win_back))
        # 9 weeks after: the lapsed one only gets the message.
        self.run_automations(MONDAY_10 + timedelta(weeks=9))
        self.assertEqual(self.mailed(self.win_back), lapsed)
        sent = self.sends(self.win_back).filtered(lambda send: send.state == "sent")
        self.assertEqual(sent.partner_id, lapsed)
        mails = self._new_mails.filtered(lambda mail: mail.mailing_id == self.win_back.mailing_id)
        self.assertEqual([(mail.res_id, mail.state) for mail in mails], [(lapsed.id, "sent")])
        self.assertIn("We miss you", mails.body_html)
        self.assertFalse(self.sends(self.win_back).partner_id & (booked | recent | never))
        self.assertFalse(self.sends(self.win_back).partner_id & (silent | withdrawn), "no consent: not selected")

        # The next day's run sends nothing more: once per absence.
        self.run_automations(MONDAY_10 + timedelta(weeks=9, days=1))
        self.assertEqual(len(self.sends(self.win_back, lapsed)), 1)
        self.assertFalse(self._new_mails.filtered(lambda mail: mail.mailing_id == self.win_back.mailing_id))

        # She comes back, then stays away again: a new absence, a new message.
        self.visit(lapsed, MONDAY_10 + timedelta(weeks=10))
        self.run_automations(MONDAY_10 + timedelta(weeks=19))
        self.assertEqual(self.sends(self.win_back, lapsed).mapped("state"), ["sent", "sent"])
        mails = self._new_mails.filtered(lambda mail: mail.mailing_id == self.win_back.mailing_id)
        # By then the booked one's appointment is past and the recent one away too.
        self.assertEqual(sorted(mails.mapped("res_id")), sorted((lapsed | booked | recent).ids))

    def test_consent_withdrawn_after_selection_and_booking_meanwhile(self):
        """Selected inside the quiet hours (pending), then: one withdraws her consent,
        one books; at the end of the quiet hours only the third gets it."""
        self.branch.write({"randevu_quiet_start": 21, "randevu_quiet_end": 8})
        stays, withdraws, books = self.client("Stays"), self.client("Withdraws"), self.client("Books")
        for partner in stays | withdraws | books:
            self.visit(partner, MONDAY_10)
        night = datetime(2031, 3, 12, 21, 30)  # 22:30 in Paris
        Trigger = self.env["ir.cron.trigger"]
        cron = self.env.ref("randevu_marketing.ir_cron_randevu_marketing_automation")
        triggers_before = Trigger.search([("cron_id", "=", cron.id)])
        self.run_automations(night)
        pending = self.sends(self.win_back)
        self.assertEqual(set(pending.mapped("state")), {"pending"})
        self.assertEqual(pending.partner_id, stays | withdraws | books)
        self.assertFalse(self.win_back.mailing_id.mailing_trace_ids, "nothing sent in the quiet hours")
        wake = Trigger.search([("cron_id", "=", cron.id)]) - triggers_before
        self.assertEqual(wake.mapped("call_at"), [datetime(2031, 3, 13, 7, 0)], "08:00 in Paris")

        self.env["randevu.consent"]._randevu_record(withdraws, "email", "withdrawn", "portal", TEXT)
        with freeze_time(night + timedelta(hours=1)):
            self.book(datetime(2031, 3, 20, 9, 0), staff=self.bruno, partner_id=books.id)
        self.run_automations(datetime(2031, 3, 13, 6, 59))  # 07:59 in Paris: still quiet
        self.assertFalse(self.win_back.mailing_id.mailing_trace_ids)
        self.run_automations(datetime(2031, 3, 13, 7, 1))
        self.assertEqual(self.mailed(self.win_back), stays)
        self.assertEqual(
            {(send.partner_id, send.state, send.reason) for send in self.sends(self.win_back)},
            {(stays, "sent", False), (withdraws, "skipped", "No consent"), (books, "cancelled", "Booked")},
        )

    def test_frequency_cap_across_a_campaign_and_an_automation(self):
        # Today's clock (the cap counts the traces' creation dates, which the database writes).
        today = datetime.combine(datetime.now().date(), datetime.min.time())
        monday = today - timedelta(weeks=10, days=today.weekday()) + timedelta(hours=9)
        self.branch.write({"randevu_marketing_cap_count": 1, "randevu_marketing_cap_days": 7})
        first, second = self.client("First"), self.client("Second")
        for partner in first | second:
            self.visit(partner, monday)
        segment = self.env["randevu.segment"].create(
            {"name": "Consented", "company_id": self.branch.id, "consent_channel": "email"}
        )
        campaign = self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "randevu_segment_id": segment.id,
                "body_html": "<p>Spring</p>",
                "email_from": "salon@example.com",
            }
        )
        with self.mock_mail_gateway():
            campaign.action_send_mail([first.id])
        self.assertEqual(self.reached_by(campaign), first)
        with self.mock_mail_gateway():
            self.win_back._randevu_run(auto_commit=False)
        self.assertEqual(self.mailed(self.win_back), second, "the first had her one message of the week")
        capped = self.sends(self.win_back, first)
        self.assertEqual((capped.state, capped.reason), ("skipped", "Frequency Cap Reached"))

        # And the other way round: after the automation's message, a campaign skips her.
        later = self.env["mailing.mailing"].create(
            {
                "subject": "Summer offer",
                "randevu_segment_id": segment.id,
                "body_html": "<p>Summer</p>",
                "email_from": "salon@example.com",
            }
        )
        with self.mock_mail_gateway():
            later.action_send_mail([second.id])
        trace = later.mailing_trace_ids
        self.assertEqual((trace.trace_status, trace.failure_type), ("cancel", "mail_frequency_cap"))

    def test_sms_channel_needs_the_sms_consent(self):
        self.win_back.channel = "sms"
        self.assertEqual(self.win_back.mailing_id.mailing_type, "sms")
        texted = self.client("Texted", mobile="+33645019001")
        emailed = self.client("Emailed", mobile="+33645019002")  # email consent only
        self.grant(texted, "sms")
        for partner in texted | emailed:
            self.visit(partner, MONDAY_10)
        with freeze_time(MONDAY_10 + timedelta(weeks=9)), self.mockSMSGateway():
            self.win_back._randevu_run(auto_commit=False)
        self.assertEqual(self.mailed(self.win_back), texted)
        self.assertFalse(self.sends(self.win_back, emailed), "no SMS consent: not selected")

    def test_archived_automation_sends_nothing(self):
        self.visit(self.client("Lapsed"), MONDAY_10)
        self.win_back.active = False
        with freeze_time(MONDAY_10 + timedelta(weeks=9)), self.mock_mail_gateway():
            self.Automation._cron_run(auto_commit=False)  # the cron itself: active automations only
        self.assertFalse(self.sends(self.win_back))


@tagged("post_install", "-at_install")
class TestBirthday(AutomationMixin, RandevuMessagingCase):
    """The birthday offer goes once a year on the birthday (days before if set)."""

    def test_birthday_once_a_year(self):
        birthday = self.Automation.create({"name": "Happy birthday", "company_id": self.branch.id, "kind": "birthday"})
        born = self.client("Born", randevu_birthday=datetime(1990, 3, 12).date(), company_id=self.branch.id)
        other = self.client("Other", randevu_birthday=datetime(1990, 3, 13).date(), company_id=self.branch.id)
        leap = self.client("Leap", randevu_birthday=datetime(1992, 2, 29).date())
        self.visit(leap, MONDAY_10)  # a shared contact who came to the branch
        elsewhere = self.client("Elsewhere", randevu_birthday=datetime(1990, 3, 12).date())  # never came
        self.run_automations(datetime(2031, 3, 12, 9, 0))
        self.assertEqual(self.mailed(birthday), born)
        self.run_automations(datetime(2031, 3, 12, 15, 0))
        self.assertEqual(len(self.sends(birthday, born)), 1, "once that day")
        self.run_automations(datetime(2031, 2, 28, 9, 0))
        self.assertIn(leap, self.mailed(birthday), "29 February: the 28th in other years")
        self.run_automations(datetime(2032, 3, 12, 9, 0))
        self.assertEqual(len(self.sends(birthday, born)), 2, "again next year")
        self.assertFalse(self.sends(birthday, other), "her birthday is tomorrow")
        self.assertFalse(self.sends(birthday, elsewhere), "not a client of the branch")


@tagged("post_install", "-at_install")
class TestAutomationDemo(RandevuMessagingCase):
    """The demo's win-back and birthday automations (Kadikoy) run and message only
    clients with a consent for email."""

    def test_demo_automations(self):
        win_back = self.env.ref(
            "randevu_marketing.randevu_marketing_automation_demo_win_back", raise_if_not_found=False
        )
        if not win_back:
            self.skipTest("installed without demo data")
        birthday = self.env.ref("randevu_marketing.randevu_marketing_automation_demo_birthday")
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy")
        self.assertEqual(
            [(a.kind, a.company_id, a.channel, a.active, bool(a.mailing_id)) for a in win_back | birthday],
            [("win_back", kadikoy, "mail", True, True), ("birthday", kadikoy, "mail", True, True)],
        )
        with self.mock_mail_gateway():
            (win_back | birthday)._randevu_run(auto_commit=False)
        automations = win_back | birthday
        sends = self.env["randevu.marketing.automation.send"].search([("automation_id", "in", automations.ids)])
        reachable = self.env["randevu.consent"]._randevu_reachable_partner_ids("email", sends.partner_id.ids)
        for send in sends.filtered(lambda send: send.state == "sent"):
            self.assertIn(send.partner_id.id, reachable)
