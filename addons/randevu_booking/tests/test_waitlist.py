import html
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import psycopg2
from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestWaitlist(RandevuBookingCase):
    """The waitlist of a full day: joining it online, offers of freed time in join
    order with a held appointment, accepting, declining and expiry.

    Anna's `day` is full for a haircut: blocked time all day but 10:00-10:45, which the
    customer's haircut holds (30 minutes and a 15-minute buffer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No quiet hours: texts go out at once whatever the time the tests run.
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        Appointment = cls.env["randevu.appointment"]
        cls.blocked = Appointment
        for start, stop in ((9, 10), (10.75, 13), (14, 18)):
            hour, minute = int(start), round((start % 1) * 60)
            cls.blocked |= Appointment.create(
                {
                    "company_id": cls.branch.id,
                    "employee_id": cls.anna.id,
                    "start": cls.local(cls.day, hour, minute),
                    "duration": stop - start,
                }
            )
        cls.taken = Appointment.create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.haircut.id,
                "employee_id": cls.anna.id,
                "start": cls.local(cls.day, 10),
                "partner_id": cls.customer.id,
            }
        )
        cls.dana = cls.env["res.partner"].create(
            {"name": "Dana Wait", "phone": "+33612345601", "email": "dana@example.com", "lang": "en_US"}
        )
        cls.emre = cls.env["res.partner"].create(
            {"name": "Emre Wait", "phone": "+33612345602", "email": "emre@example.com", "lang": "en_US"}
        )
        cls.Waitlist = cls.env["randevu.waitlist"]

    # ------------------------------------------------------------------ helpers
    def entry(self, partner, **values):
        return self.Waitlist.create(
            {
                "company_id": self.branch.id,
                "service_id": self.haircut.id,
                "employee_id": self.anna.id,
                "partner_id": partner.id,
                "day": self.day,
                **values,
            }
        )

    def join_data(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "day": self.day.isoformat(),
            "staff": str(self.anna.id),
            "name": "Fanny Guest",
            "phone": "06 98 76 54 11",
            "email": "fanny.guest@example.com",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def join(self, **values):
        return self.url_open(self.url(self.haircut, "waitlist"), data=self.join_data(**values), allow_redirects=False)

    def waitlist_counts(self):
        self.env.flush_all()
        return self.Waitlist.search_count([]), self.Partner.search_count([])

    def offers(self, appointment):
        return appointment.randevu_message_ids.filtered(lambda msg: msg.kind == "waitlist_offer")

    def answer(self, entry, action, token=None, csrf=True):
        data = {"access_token": entry.access_token if token is None else token}
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(f"/book/waitlist/{entry.id}/{action}", data=data, allow_redirects=False)

    # ------------------------------------------------------------------ joining
    def test_time_step_links_to_the_waitlist(self):
        response = self.url_open(f"{self.url(self.haircut, 'time')}?staff={self.anna.id}&day={self.day.isoformat()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/book/{self.branch.id}/{self.haircut.id}/waitlist?staff={self.anna.id}", response.text)
        self.assertIn("Join the waitlist for a day", response.text)
        page = self.url_open(f"{self.url(self.haircut, 'waitlist')}?staff={self.anna.id}&day={self.day.isoformat()}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="day"', page.text)
        self.assertIn(f'value="{self.day.isoformat()}"', page.text)

    def test_join(self):
        entries, partners = self.waitlist_counts()
        response = self.join()
        self.assert_refused(response, 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts(), (entries + 1, partners + 1))
        entry = self.Waitlist.search([], order="id desc", limit=1)
        self.assertEqual(
            (entry.state, entry.day, entry.employee_id, entry.service_id, entry.partner_id.phone),
            ("waiting", self.day, self.anna, self.haircut, "+33698765411"),
        )
        # Joined again (another tab): the same answer, nothing written.
        self.assert_refused(self.join(name="fanny  GUEST"), 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts(), (entries + 1, partners + 1))
        # Someone else with that phone (a family): the same answer, and they wait as themselves.
        self.assert_refused(self.join(name="Someone Else", email=""), 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts(), (entries + 2, partners + 2))
        self.assertEqual(self.Waitlist.search([], order="id desc", limit=1).partner_id.name, "Someone Else")

    def test_join_known_customer_same_answer(self):
        entries, partners = self.waitlist_counts()
        response = self.join(phone="06 12 34 56 01", name="dana wait", email="")
        self.assert_refused(response, 200, "You're on the waitlist for")
        self.assertNotIn("Dana Wait", response.text)
        self.assertEqual(self.waitlist_counts(), (entries + 1, partners))
        self.assertEqual(self.Waitlist.search([], order="id desc", limit=1).partner_id, self.dana)
        # Dana's phone with another name: another person, told the same, never shown Dana.
        response = self.join(phone="06 12 34 56 01", name="Not Dana", email="")
        self.assert_refused(response, 200, "You're on the waitlist for")
        self.assertNotIn("Dana Wait", response.text)
        self.assertEqual(self.waitlist_counts(), (entries + 2, partners + 1))
        self.assertNotEqual(self.Waitlist.search([], order="id desc", limit=1).partner_id, self.dana)

    def test_join_refused(self):
        past = self.day - timedelta(days=30)
        far = self.day + timedelta(days=self.branch.randevu_horizon_days + 5)
        cases = [
            ({"phone": ""}, 400, "Please enter your phone number."),
            ({"phone": "12"}, 400, "Please enter a valid phone number, like"),
            ({"email": "not-an-email"}, 400, "Please enter a valid email address"),
            ({"email": "x@example..com"}, 400, "Please enter a valid email address"),
            ({"email": "jo john.smith@example.com"}, 400, "Please enter a valid email address"),
            ({"name": ""}, 400, "Please enter your name."),
            ({"name": "x" * 101}, 400, "Your name is too long: 100 characters at most."),
            ({"day": ""}, 400, "Please pick a day."),
            ({"day": "junk"}, 400, "Please pick a day."),
            ({"day": past.isoformat()}, 400, "This day is in the past."),
            ({"day": far.isoformat()}, 400, "Online bookings open"),
            ({"csrf_token": None}, 400, "This page has expired."),
            ({"csrf_token": "forged"}, 400, "This page has expired."),
            ({"randevu_hp": "I am a bot"}, 400, "We could not take this request."),
        ]
        for values, status, message in cases:
            with self.subTest(values=values):
                self.env["randevu.booking.attempt"].search([]).unlink()  # each case within the limits
                before = self.waitlist_counts()
                self.assert_refused(self.join(**values), status, message)
                self.assertEqual(self.waitlist_counts(), before)

    @mute_logger("odoo.addons.randevu_booking.controllers.form_guard")
    def test_join_captcha_refusal(self):
        before = self.waitlist_counts()
        with self.captcha_refusing() as actions:
            self.assert_refused(self.join(), 400, "We could not take this request. Please try again.")
        self.assertEqual(actions, ["randevu_waitlist"])
        self.assertEqual(self.waitlist_counts(), before)
        self.assert_refused(self.join(), 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts(), (before[0] + 1, before[1] + 1))

    def test_join_over_the_noshow_limit_refused_with_the_policy(self):
        """No time would ever be offered to a customer the branch's no-show policy
        refuses online: they hear why and whom to call, whatever the day."""
        self.branch.write({"randevu_noshow_limit": 2, "randevu_noshow_action": "refuse"})
        fanny = self.Partner.create({"name": "Fanny Guest", "phone": "+33698765411"})
        past = self.day - timedelta(days=28)
        self.Appointment.concat(
            *(self.book(self.local(past, hour), staff=self.bruno, partner_id=fanny.id) for hour in (9, 10))
        ).action_no_show()
        before = self.waitlist_counts()
        for day in (self.day, self.day + timedelta(days=1)):
            with self.subTest(day=day):
                self.assert_refused(
                    self.join(day=day.isoformat(), email=""),
                    403,
                    f"Online booking at {self.branch.name} is closed for you: you did not come to 2 appointments "
                    "in the last 12 months. Please call +33142000000 to book.",
                )
        self.assertEqual(self.waitlist_counts(), before)

    def test_join_as_portal_customer(self):
        """A logged-in customer sees the form filled in and waits as themselves."""
        user = self.make_user("wl_portal", "base.group_portal", self.branch, name="Gale Portal")
        user.partner_id.write({"phone": "+33612345609", "email": "gale@example.com"})
        self.authenticate("wl_portal", "wl_portal")
        page = self.url_open(f"{self.url(self.haircut, 'waitlist')}?staff={self.anna.id}")
        self.assertIn('value="+33612345609"', page.text)
        entries, partners = self.waitlist_counts()
        response = self.join(name="Gale Portal", phone="+33612345609", email="gale@example.com")
        self.assert_refused(response, 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts(), (entries + 1, partners))
        self.assertEqual(self.Waitlist.search([], order="id desc", limit=1).partner_id, user.partner_id)

    def test_portal_lists_own_open_entries(self):
        user = self.make_user("wl_portal_list", "base.group_portal", self.branch, name="Hana Portal")
        hana = user.partner_id
        offered = self.entry(hana)
        waiting = self.entry(hana, day=self.day + timedelta(days=2))
        self.taken.action_cancel()  # Anna's 10:00 frees on `day`: offered to Hana's entry of that day
        self.offer_freed()
        self.assertEqual((offered.state, waiting.state), ("offered", "waiting"))
        ended = self.entry(hana, day=self.day + timedelta(days=1))
        ended.action_decline()
        others = self.entry(self.dana, day=self.day + timedelta(days=1))
        self.authenticate("wl_portal_list", "wl_portal_list")
        page = self.url_open("/my/appointments")
        self.assertEqual(page.status_code, 200)
        text = html.unescape(page.text)
        self.assertIn("Waitlist", text)
        self.assertIn(f"/book/waitlist/{waiting.id}?access_token={waiting.access_token}", text, "to leave the list")
        self.assertIn(f"/book/waitlist/{offered.id}?access_token={offered.access_token}", text)
        self.assertRegex(text, r"10:00 AM\s+is free for you", "the offered time, to answer")
        self.assertNotIn(f"/book/waitlist/{ended.id}?", text, "declined")
        self.assertNotIn(f"/book/waitlist/{others.id}?", text, "another customer's")
        # The link opens the entry's own page, where a waiting customer can leave the list.
        entry_page = self.url_open(f"/book/waitlist/{waiting.id}?access_token={waiting.access_token}")
        self.assertIn("Leave the waitlist", entry_page.text)

    def test_join_embedded_without_session_cookie(self):
        """In another site's iframe the form's signed token stands in for the CSRF token."""
        page = self.url_open(f"{self.url(self.haircut, 'waitlist')}?embed=1&staff={self.anna.id}")
        token = re.search(r'name="embed_token" value="([^"]+)"', page.text).group(1)
        self.assertIn(f'action="/book/{self.branch.id}/{self.haircut.id}/waitlist?embed=1"', page.text)
        self.opener.cookies.clear()
        before = self.waitlist_counts()
        url = f"{self.url(self.haircut, 'waitlist')}?embed=1"
        forged = self.url_open(url, data=self.join_data(csrf_token=None, embed_token="1." + token.split(".")[1]))
        self.assert_refused(forged, 400, "This page has expired.")
        self.assertEqual(self.waitlist_counts(), before)
        self.opener.cookies.clear()
        joined = self.url_open(url, data=self.join_data(csrf_token=None, embed_token=token))
        self.assert_refused(joined, 200, "You're on the waitlist for")
        self.assertEqual(self.waitlist_counts()[0], before[0] + 1)

    def test_join_day_with_free_times(self):
        """Bruno is free that day: "anyone" gets the times instead of a place on the list."""
        before = self.waitlist_counts()
        response = self.join(staff="")
        self.assert_refused(response, 200, "there are free times on")
        self.assertIn(f"/book/{self.branch.id}/{self.haircut.id}/details?start=", response.text)
        self.assertEqual(self.waitlist_counts(), before)

    def test_join_attempts_limited(self):
        self.env["ir.config_parameter"].set_param("randevu_booking.attempts_per_ip", 1)
        self.join(day="junk")
        before = self.waitlist_counts()
        self.assert_refused(self.join(), 429, "Too many attempts.", "+33142000000")
        self.assertEqual(self.waitlist_counts(), before)

    def test_same_customer_waits_once(self):
        """The database refuses a second open entry for the same day, service and staff."""
        self.entry(self.dana)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.entry(self.dana)
        self.entry(self.dana, employee_id=False)  # "anyone" is another wish
        self.entry(self.dana, state="cancelled")  # ended entries do not count

    # ------------------------------------------------------------------ offers
    def test_cancellation_offers_the_time_to_the_first_entry(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.taken.action_cancel()
        self.offer_freed()
        self.assertEqual((first.state, second.state), ("offered", "waiting"))
        held = first.appointment_id
        self.assertEqual(
            (held.state, held.start, held.employee_id, held.partner_id, held.randevu_waitlist_id),
            ("booked", self.local(self.day, 10), self.anna, self.dana, first),
        )
        self.assertAlmostEqual(
            first.offer_until, fields.Datetime.now() + timedelta(minutes=30), delta=timedelta(minutes=1)
        )
        offers = self.offers(held)
        self.assertEqual(sorted(offers.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(offers.mapped("state")), {"sent"})
        self.assertFalse(self.confirmations(held), "a held offer is confirmed only once accepted")
        mail = self.env["mail.mail"].search([("model", "=", held._name), ("res_id", "=", held.id)])
        self.assertIn(f"/book/waitlist/{first.id}?access_token={first.access_token}", mail.body_html)
        sms = self.env["sms.sms"].search([("number", "=", "+33612345601")])
        self.assertIn(f"/book/waitlist/{first.id}?access_token={first.access_token}", sms.body)
        self.assertFalse(self.offers(self.taken))

    def test_cancellation_only_queues_the_offer_for_the_cron(self):
        """The canceller's transaction writes the freed time and triggers the cron; the
        offer is made by the cron, in its own transaction, once."""
        entry = self.entry(self.dana)
        cron = self.env.ref("randevu_booking.ir_cron_randevu_waitlist_offer_freed")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.taken.action_cancel()
        self.assertEqual(self.taken.state, "cancelled")
        self.assertEqual(entry.state, "waiting", "not offered in the canceller's transaction")
        self.assertFalse(self.env["randevu.message"].search([("kind", "=", "waitlist_offer")]))
        freed = self.env["randevu.waitlist.freed"].search([])
        self.assertRecordValues(
            freed,
            [{"company_id": self.branch.id, "day": self.day, "start": self.local(self.day, 10), "state": "queued"}],
        )
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.assertEqual(self.offer_freed(), 1)
        self.assertEqual((entry.state, freed.state, freed.attempts), ("offered", "done", 0))
        self.assertEqual(set(self.offers(entry.appointment_id).mapped("state")), {"sent"})
        # Idempotent: nothing left to do, nothing offered or sent twice.
        messages = self.env["randevu.message"].search_count([])
        self.assertEqual(self.offer_freed(), 0)
        self.assertEqual(self.env["randevu.message"].search_count([]), messages)

    def test_cancellation_succeeds_when_the_offer_fails(self):
        """An offer that cannot be made (the database refuses Dana's offered entry: a
        CHECK constraint added for the test) never fails the cancellation; the cron
        retries it three times, then marks it failed and logs it, while another day's
        offer goes out in the same runs."""
        self.env.cr.execute(
            f"ALTER TABLE randevu_waitlist ADD CONSTRAINT randevu_test_no_offer_for_dana "
            f"CHECK (state != 'offered' OR partner_id != {self.dana.id})"
        )
        failing = self.entry(self.dana)
        later_day = self.day + timedelta(days=7)
        other = self.entry(self.emre, day=later_day)
        later = self.book(self.local(later_day, 10))
        self.taken.action_cancel()
        later.action_cancel()
        self.assertEqual((self.taken.state, later.state), ("cancelled", "cancelled"))
        failing_row = self.env["randevu.waitlist.freed"].search([("day", "=", self.day)])
        freed_logger = "odoo.addons.randevu_booking.models.randevu_waitlist_freed"
        moment = fields.Datetime.now()
        with mute_logger("odoo.sql_db", freed_logger):
            with freeze_time(moment):
                self.assertEqual(self.offer_freed(), 2)
            self.assertEqual(other.state, "offered", "the other day's offer is not blocked")
            self.assertEqual(set(self.offers(other.appointment_id).mapped("state")), {"sent"})
            self.assertEqual((failing.state, failing_row.state, failing_row.attempts), ("waiting", "queued", 1))
            self.assertIn("randevu_test_no_offer_for_dana", failing_row.error)
            self.assertFalse(
                self.Appointment.search([("randevu_waitlist_id", "=", failing.id)]), "the failed try left nothing"
            )
            for attempt, delay in enumerate((1, 5), start=1):
                self.assertEqual(failing_row.next_try, moment + timedelta(minutes=delay))
                moment = failing_row.next_try
                with freeze_time(moment - timedelta(seconds=1)):
                    self.assertEqual(self.offer_freed(), 0, "not before its time")
                with freeze_time(moment):
                    self.assertEqual(self.offer_freed(), 1)
                self.assertEqual((failing_row.state, failing_row.attempts), ("queued", attempt + 1))
        self.assertEqual(failing_row.next_try, moment + timedelta(minutes=15))
        with (
            mute_logger("odoo.sql_db"),
            freeze_time(failing_row.next_try),
            self.assertLogs(freed_logger, "ERROR") as logs,
        ):
            self.assertEqual(self.offer_freed(), 1)
        self.assertEqual((failing_row.state, failing_row.attempts, failing_row.next_try), ("failed", 4, False))
        self.assertIn("given up", logs.output[0])
        self.assertEqual(failing.state, "waiting")
        self.assertEqual(self.offer_freed(), 0, "a failed row is not tried again")

    def test_offer_made_in_quiet_hours_is_held_from_their_end(self):
        # Paris, quiet 21:00-08:00, hold 30 minutes; times in UTC (Paris = UTC+1 in January).
        self.branch.write({"randevu_quiet_start": 21, "randevu_quiet_end": 8, "randevu_waitlist_hold_minutes": 30})
        deadline = self.Waitlist._randevu_offer_deadline
        start = datetime(2031, 1, 7, 14, 0)
        evening, night, day_time = datetime(2031, 1, 6, 21, 30), datetime(2031, 1, 7, 2, 0), datetime(2031, 1, 7, 9, 0)
        self.assertEqual(deadline(self.branch, start, evening), datetime(2031, 1, 7, 7, 30), "08:00 Paris + 30 min")
        self.assertEqual(deadline(self.branch, start, night), datetime(2031, 1, 7, 7, 30))
        self.assertEqual(deadline(self.branch, start, day_time), datetime(2031, 1, 7, 9, 30), "outside: from now")
        early = datetime(2031, 1, 7, 7, 15)  # 08:15 Paris: held until the time itself, not after it
        self.assertEqual(deadline(self.branch, early, night), early)

    def test_held_time_cannot_be_booked_by_someone_else(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        self.assertEqual(entry.state, "offered")
        self.assertFalse(self.env["randevu.booking.service"]._day_slots(self.branch, self.haircut, self.anna, self.day))
        before = self.counts()
        response = self.post_booking(start=self.local(self.day, 10), staff=str(self.anna.id))
        self.assert_refused(response, 409)
        self.assertEqual(self.counts(), before)

    def test_nothing_offered_when_no_time_frees(self):
        """Offers follow freed time: a confirmation frees none, so even an entry that a
        free time would fit (Bruno's, for "anyone", added by staff) is not offered it."""
        entry = self.entry(self.dana, employee_id=False)
        self.taken.action_confirm()
        self.offer_freed()
        self.assertEqual(entry.state, "waiting")
        self.taken.start_set_date = fields.Datetime.now()  # not a time field either
        self.offer_freed()
        self.assertEqual(entry.state, "waiting")

    def test_held_offer_gets_no_reminder(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        held = entry.appointment_id
        self.env["randevu.message"]._cron_send_reminders(now=held.start - timedelta(hours=23), auto_commit=False)
        reminders = held.randevu_message_ids.filtered(lambda msg: msg.kind == "reminder")
        self.assertTrue(reminders, "the branch's default 24-hour reminder fell due")
        self.assertEqual(set(reminders.mapped("state")), {"cancelled"})

    def test_held_offer_moved_by_staff_sends_no_notice(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        held = entry.appointment_id
        held.employee_id = self.bruno
        self.assertEqual(entry.state, "offered")
        self.assertFalse(held.randevu_message_ids.filtered(lambda msg: msg.kind in ("confirmation", "reschedule")))

    def test_moved_appointment_frees_its_old_time(self):
        entry = self.entry(self.dana)
        self.taken.employee_id = self.bruno
        self.offer_freed()
        self.assertEqual(entry.state, "offered")
        self.assertEqual((entry.appointment_id.start, entry.appointment_id.employee_id), (self.taken.start, self.anna))

    def test_deleted_appointment_frees_its_time(self):
        entry = self.entry(self.dana)
        self.taken.unlink()
        self.offer_freed()
        self.assertEqual(entry.state, "offered")

    def test_entry_for_anyone_and_other_days_untouched(self):
        other_day = self.entry(self.emre, day=self.day + timedelta(days=7))
        self.taken.action_cancel()
        self.offer_freed()
        self.assertEqual(other_day.state, "waiting")

    def test_customer_already_booked_then_is_skipped(self):
        """The first entry's customer is busy at the only free time: the next one gets it."""
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.book(self.local(self.day, 10), staff=self.bruno, partner_id=self.dana.id)
        self.taken.action_cancel()
        self.offer_freed()
        self.assertEqual((first.state, second.state), ("waiting", "offered"))

    def test_receptionist_offers_a_free_time(self):
        full = self.entry(self.dana)
        with self.assertRaises(UserError):
            full.action_offer()
        self.assertEqual(full.state, "waiting")
        anyone = self.entry(self.emre, employee_id=False)  # Bruno is free that day
        anyone.action_offer()
        self.assertEqual((anyone.state, anyone.appointment_id.employee_id), ("offered", self.bruno))

    def test_deleted_offer_offers_the_next_entry(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.taken.action_cancel()
        self.offer_freed()
        first.appointment_id.unlink()
        self.offer_freed()
        self.assertEqual((first.state, second.state), ("expired", "offered"))

    # ------------------------------------------------------------------ answering the offer
    def test_accept(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        page = self.url_open(f"/book/waitlist/{entry.id}?access_token={entry.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Accept this time", page.text)
        response = self.answer(entry, "accept")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        held = entry.appointment_id
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, f"/book/confirmation/{held.id}")
        self.assertEqual(parse_qs(location.query)["access_token"], [held.access_token])
        self.assertEqual((entry.state, held.state), ("booked", "confirmed"))
        confirmations = self.confirmations(held)
        self.assertEqual(sorted(confirmations.mapped("channel")), ["email", "sms"])
        # A second click: the offer has ended, nothing is sent again.
        again = self.answer(entry, "accept")
        self.assert_refused(again, 409, "Sorry, this offer has ended.")
        self.assertEqual(self.confirmations(held), confirmations)
        self.assertEqual(held.state, "confirmed")

    def test_accept_with_a_deposit_goes_to_the_pay_page(self):
        """A service with a deposit: accepting holds the booking for the deposit (the
        deposits' flow confirms it once paid); no confirmation before."""
        self.env["payment.provider"].create(
            {
                "name": "Waitlist Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.branch.id,
            }
        )
        self.deposit.list_price = 120
        entry = self.entry(self.dana, service_id=self.deposit.id)
        self.taken.action_cancel()
        self.offer_freed()
        self.assertEqual(entry.state, "waiting", "45 free minutes do not fit a 2-hour service")
        self.blocked[1].action_cancel()  # 10:00-13:00 free now
        self.offer_freed()
        self.assertEqual(entry.state, "offered")
        held = entry.appointment_id
        # The free time nearest to what was freed (10:45).
        self.assertEqual((held.start, held.service_id), (self.local(self.day, 10, 45), self.deposit))
        response = self.answer(entry, "accept")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertEqual(urlsplit(response.headers["Location"]).path, f"/my/appointments/{held.id}/pay")
        self.assertEqual((entry.state, held.state), ("booked", "booked"))
        self.assertTrue(held._randevu_is_held())
        self.assertFalse(self.confirmations(held))

    def test_accept_with_an_expired_page(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        self.assert_refused(self.answer(entry, "accept", csrf=False), 400, "This page has expired.")
        self.assertEqual((entry.state, entry.appointment_id.state), ("offered", "booked"))

    def test_accept_after_the_hold(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        with freeze_time(entry.offer_until + timedelta(minutes=1)):
            self.assert_refused(self.answer(entry, "accept"), 409, "Sorry, this offer has ended.")
        self.assertEqual(entry.state, "offered")
        self.assertFalse(self.confirmations(entry.appointment_id))

    def test_decline_offers_the_next_entry(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.taken.action_cancel()
        self.offer_freed()
        held = first.appointment_id
        response = self.answer(first, "decline")
        self.offer_freed()
        self.assertEqual(response.status_code, 303)
        self.assertEqual((first.state, held.state), ("declined", "cancelled"))
        self.assertEqual(held.cancel_reason, "Waitlist offer declined by the customer")
        self.assertFalse(held.randevu_message_ids.filtered(lambda msg: msg.kind == "cancellation"))
        self.assertEqual(second.state, "offered")
        self.assertEqual((second.appointment_id.start, second.appointment_id.partner_id), (held.start, self.emre))
        self.assertTrue(self.offers(second.appointment_id))
        # The offer's page now says it has ended, without Accept.
        page = self.url_open(f"/book/waitlist/{first.id}?access_token={first.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("This offer has ended.", page.text)
        self.assertNotIn("Accept this time", page.text)

    def test_leave_the_list(self):
        entry = self.entry(self.dana)
        entry._portal_ensure_token()
        self.assertEqual(self.answer(entry, "decline").status_code, 303)
        self.assertEqual(entry.state, "cancelled")
        self.taken.action_cancel()
        self.offer_freed()
        self.assertFalse(entry.appointment_id)

    def test_expiry_offers_the_next_entry(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.taken.action_cancel()
        self.offer_freed()
        held = first.appointment_id
        with freeze_time(first.offer_until + timedelta(minutes=1)):
            self.assertEqual(self.Waitlist._cron_expire(), 1)
            self.offer_freed()
            self.assertEqual((first.state, held.state), ("expired", "cancelled"))
            self.assertEqual(held.cancel_reason, "Waitlist offer not accepted in time")
            self.assertEqual(second.state, "offered")
            messages = self.env["randevu.message"].search_count([])
            # Idempotent: a second run ends nothing and sends nothing.
            self.assertEqual(self.Waitlist._cron_expire(), 0)
            self.assertEqual(self.env["randevu.message"].search_count([]), messages)
            self.assertEqual((first.state, second.state), ("expired", "offered"))

    def test_entries_for_past_days_expire(self):
        old = self.entry(self.dana, day=self.day - timedelta(days=10))
        current = self.entry(self.emre)
        self.assertEqual(self.Waitlist._cron_expire(), 1)
        self.offer_freed()
        self.assertEqual((old.state, current.state), ("expired", "waiting"))

    def test_staff_confirming_the_held_time_books_it(self):
        entry = self.entry(self.dana)
        self.taken.action_cancel()
        self.offer_freed()
        entry.appointment_id.action_confirm()
        self.assertEqual(entry.state, "booked")
        self.assertEqual(sorted(self.confirmations(entry.appointment_id).mapped("channel")), ["email", "sms"])

    def test_staff_cancelling_the_held_time_ends_the_offer(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        self.taken.action_cancel()
        self.offer_freed()
        first.action_cancel()
        self.offer_freed()
        self.assertEqual((first.state, first.appointment_id.state, second.state), ("cancelled", "cancelled", "offered"))

    # ------------------------------------------------------------------ access
    def test_wrong_missing_or_other_token_is_not_found(self):
        first, second = self.entry(self.dana), self.entry(self.emre)
        first._portal_ensure_token()
        second._portal_ensure_token()
        self.taken.action_cancel()
        self.offer_freed()
        for url in (
            f"/book/waitlist/{first.id}",
            f"/book/waitlist/{first.id}?access_token=wrong",
            f"/book/waitlist/{first.id}?access_token={second.access_token}",
            f"/book/waitlist/{first.id + 1000}?access_token={first.access_token}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        for token in ("", "wrong", second.access_token):
            with self.subTest(token=token):
                self.assertEqual(self.answer(first, "accept", token=token).status_code, 404)
                self.assertEqual(self.answer(first, "decline", token=token).status_code, 404)
        self.assertEqual((first.state, first.appointment_id.state), ("offered", "booked"))

    def test_branch_rule(self):
        entry = self.entry(self.dana)
        other_branch = self._make_branch("Lyon", "Europe/Paris")
        receptionist = self.make_user("wl_reception", "randevu_calendar.group_randevu_user", other_branch)
        self.assertFalse(self.Waitlist.with_user(receptionist).search([("id", "=", entry.id)]))
