import html
from datetime import timedelta

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestClassBooking(RandevuBookingCase):
    """Group classes on the website: the class in the service list, its sessions, a
    seat (or a waitlist place) given by the calendar, the seat's page and the portal
    list. Every refusal leaves attendees and customers as they were."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoga = cls._make_service(
            "Morning Yoga", 1.0, cls.anna | cls.bruno, randevu_capacity=2, categ_id=cls.hair.id
        )
        cls.pilates = cls._make_service("Pilates", 1.0, cls.anna | cls.bruno, randevu_capacity=3, categ_id=cls.hair.id)
        cls.yoga_session = cls._session(cls.yoga, cls.local(cls.day, 9), cls.anna)
        cls.full_session = cls._session(cls.yoga, cls.local(cls.day, 11), cls.bruno)
        cls.regulars = cls.env["res.partner"].create(
            [{"name": f"Regular {n}", "phone": f"+3364501940{n}"} for n in range(1, 3)]
        )
        for regular in cls.regulars:
            cls.full_session._add_attendee(regular)
        cls.past_session = cls._session(cls.yoga, cls.local(cls.day - timedelta(days=14), 9), cls.anna)
        cls.cancelled_session = cls._session(cls.yoga, cls.local(cls.day, 16), cls.anna)
        cls.cancelled_session.state = "cancelled"
        cls.pilates_session = cls._session(cls.pilates, cls.local(cls.day, 14), cls.anna)
        # Another branch open online, with a yoga session of its own.
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        cls.lyon.write({"randevu_online_booking": True, "country_id": cls.env.ref("base.fr").id})
        cls.lyon_coach = cls._make_staff("Carla", cls.lyon, cls._make_calendar("Lyon hours", cls.lyon, [(9, 18)]))
        cls.yoga.randevu_staff_line_ids = [(0, 0, {"employee_id": cls.lyon_coach.id, "sequence": 9})]
        cls.lyon_session = cls._session(cls.yoga, cls.local(cls.day, 10), cls.lyon_coach, cls.lyon)
        cls.portal_user = cls.make_portal_customer("class_customer", "+33611220099")

    @classmethod
    def _session(cls, service, start, staff, branch=None):
        return cls.env["randevu.appointment"].create(
            {
                "company_id": (branch or cls.branch).id,
                "service_id": service.id,
                "employee_id": staff.id,
                "start": start,
                "partner_id": False,
            }
        )

    # ------------------------------------------------------------------ helpers
    def class_url(self, session=None, suffix="", branch=None, service=None):
        url = f"/book/{(branch or self.branch).id}/{(service or self.yoga).id}/sessions"
        return url + (f"/{session if isinstance(session, str) else session.id}" if session else "") + suffix

    def seat_counts(self):
        self.env.flush_all()
        return self.env["randevu.attendee"].search_count([]), self.Partner.search_count([])

    def join(self, session=None, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "name": "Yuki Guest",
            "phone": "06 98 76 54 11",
            "email": "yuki.guest@example.com",
            "note": "",
        }
        data.update(values)
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open(self.class_url(session or self.yoga_session, "/join"), data=data, allow_redirects=False)

    def seat_of(self, session, phone="+33698765411"):
        return session.attendee_ids.filtered(lambda att: att.partner_id.phone == phone)

    def assert_nothing_written(self, before, response, status, *messages):
        self.assert_refused(response, status, *messages)
        self.assertEqual(self.seat_counts(), before, "a refused request writes no attendee nor customer")

    # ------------------------------------------------------------------ pages
    def test_service_list_shows_classes_with_sessions(self):
        services_url = f"{self.url()}?category={self.hair.id}"
        response = self.url_open(services_url)
        self.assertEqual(response.status_code, 200)
        text = html.unescape(response.text)
        self.assertIn("Morning Yoga", text)
        duration = self.env["randevu.booking.service"]._duration_label(1.0)
        self.assertIn(f"Class · {duration} · 2 places", text)
        self.assertIn(self.class_url(), text)
        # Without an upcoming session at the branch, a class is not listed.
        self.assertIn(self.class_url(service=self.pilates), text)
        self.pilates_session.state = "cancelled"
        self.env.flush_all()
        self.assertNotIn(self.class_url(service=self.pilates), self.url_open(services_url).text)

    def test_sessions_page(self):
        response = self.url_open(self.class_url())
        self.assertEqual(response.status_code, 200)
        text = html.unescape(response.text)
        self.assertIn(self.class_url(self.yoga_session), text)
        self.assertIn("2 places left", text)
        self.assertIn("Anna", text)
        self.assertIn(self.class_url(self.full_session), text)
        self.assertIn("Full \N{EN DASH} join the waitlist", text)
        for hidden in (self.past_session, self.cancelled_session, self.lyon_session, self.pilates_session):
            self.assertNotIn(f'data-session-id="{hidden.id}"', text)
        # A class of no branch open online, a service that is not a class: not found.
        self.assertEqual(self.url_open(f"/book/{self.branch.id}/{self.haircut.id}/sessions").status_code, 404)
        self.assertEqual(self.url_open(f"/book/{self.branch.id}/{self.yoga.id}").status_code, 404)

    def test_details_page(self):
        response = self.url_open(self.class_url(self.yoga_session))
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="phone"', response.text)
        self.assertIn("Book my place", response.text)
        full = html.unescape(self.url_open(self.class_url(self.full_session)).text)
        self.assertIn("Join the waitlist", full)
        for session in (self.past_session, self.cancelled_session, self.lyon_session, self.pilates_session):
            self.assertEqual(self.url_open(self.class_url(session)).status_code, 404)
        self.assertEqual(self.url_open(self.class_url("junk")).status_code, 404)

    # ------------------------------------------------------------------ joining
    def test_guest_gets_a_seat(self):
        attendees, partners = self.seat_counts()
        response = self.join(note="First class")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        seat = self.seat_of(self.yoga_session)
        self.assertEqual(seat.state, "booked")
        self.assertEqual(seat.partner_id.name, "Yuki Guest")
        self.assertEqual(self.seat_counts(), (attendees + 1, partners + 1))
        self.assertEqual(self.yoga_session.seats_left, 1)
        self.assertIn(f"/book/seat/{seat.id}?access_token={seat.access_token}", response.headers["Location"])
        confirmations = self.yoga_session.randevu_message_ids.filtered(
            lambda msg: msg.partner_id == seat.partner_id and msg.kind == "confirmation"
        )
        self.assertTrue(confirmations, "the attendee's own confirmation is queued")
        self.assertTrue(any("First class" in body for body in self.yoga_session.message_ids.mapped("body")))
        page = html.unescape(self.url_open(response.headers["Location"]).text)
        self.assertIn("Your place is booked!", page)
        self.assertIn("Morning Yoga", page)
        self.assertIn("1 rue du Test", page)
        self.assertIn("Cancel my place", page)

    def test_known_customer_matched_without_a_new_record(self):
        attendees, partners = self.seat_counts()
        response = self.join(phone=self.customer.phone, name="chloe martin")
        self.assertEqual(response.status_code, 303)
        self.assertIn(self.customer, self.yoga_session.attendee_ids.partner_id)
        self.assertEqual(self.seat_counts(), (attendees + 1, partners))
        self.assertEqual(self.customer.name, "Chloé Martin", "the known record is not changed")

    def test_known_phone_with_another_name_is_another_customer(self):
        attendees, partners = self.seat_counts()
        response = self.join(phone=self.customer.phone, name="Someone Else")
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.customer, self.yoga_session.attendee_ids.partner_id)
        self.assertIn("Someone Else", self.yoga_session.attendee_ids.partner_id.mapped("name"))
        self.assertEqual(self.seat_counts(), (attendees + 1, partners + 1))

    def test_full_class_puts_on_waitlist(self):
        response = self.join(self.full_session)
        self.assertEqual(response.status_code, 303)
        seat = self.seat_of(self.full_session)
        self.assertEqual(seat.state, "waitlist")
        self.assertEqual(seat.waitlist_position, 1)
        page = html.unescape(self.url_open(response.headers["Location"]).text)
        self.assertIn("This class is full: you are number 1 on its waitlist; we will write if a place frees up.", page)
        self.assertIn("Leave the waitlist", page)
        self.join(self.full_session, phone="06 98 76 54 12", email="other@example.com")
        self.assertEqual(self.seat_of(self.full_session, "+33698765412").waitlist_position, 2)

    def test_same_customer_twice(self):
        self.assertEqual(self.join().status_code, 303)
        before = self.seat_counts()
        self.assert_nothing_written(before, self.join(), 409, "You already have a place in this class")
        # By email only, typed differently: the same customer.
        self.assert_nothing_written(
            before, self.join(phone="06 98 76 54 99", email="YUKI.guest@example.com"), 409, "already have a place"
        )

    @mute_logger("odoo.addons.randevu_booking.controllers.form_guard")
    def test_captcha_refusal_writes_nothing(self):
        before = self.seat_counts()
        with self.captcha_refusing() as actions:
            self.assert_nothing_written(before, self.join(), 400, "We could not take this booking. Please try again.")
        self.assertEqual(actions, ["randevu_class"])
        self.assertEqual(self.join().status_code, 303)
        self.assertEqual(self.seat_counts(), (before[0] + 1, before[1] + 1))

    def test_over_the_noshow_limit_refused_with_the_policy(self):
        """A customer the branch's no-show policy refuses online hears why and whom to
        call, for a session with seats or a full one; nothing is written. Under a higher
        limit they get their seat."""
        self.branch.write({"randevu_noshow_limit": 2, "randevu_noshow_action": "refuse"})
        past = self.day - timedelta(days=28)
        no_shows = self.env["randevu.appointment"].concat(
            *(self.book(self.local(past, hour), staff=self.anna) for hour in (9, 10))
        )
        no_shows.action_no_show()
        before = self.seat_counts()
        for session in (self.yoga_session, self.full_session):
            with self.subTest(session=session.start):
                response = self.join(session, name="Chloé Martin", phone="06 45 01 92 83", email="")
                self.assert_nothing_written(
                    before,
                    response,
                    403,
                    f"Online booking at {self.branch.name} is closed for you: you did not come to 2 appointments "
                    "in the last 12 months. Please call +33142000000 to book.",
                )
                self.assertNotIn("o_randevu_details_form", response.text)
        self.assertEqual(before, self.seat_counts())
        self.branch.randevu_noshow_limit = 3
        self.env["randevu.booking.attempt"].search([]).unlink()
        response = self.join(name="Chloé Martin", phone="06 45 01 92 83", email="")
        self.assertEqual(response.status_code, 303, "under the limit: a seat")
        self.assertIn(self.customer, self.yoga_session.attendee_ids.partner_id)

    def test_bad_input_writes_nothing(self):
        before = self.seat_counts()
        self.assert_nothing_written(before, self.join(name=""), 400, "Please enter your name.")
        self.assert_nothing_written(before, self.join(phone="12"), 400, "Please enter a valid")
        for email in ("nope@", "a@b", "x@example..com", "jo john.smith@example.com"):
            self.env["randevu.booking.attempt"].search([]).unlink()  # within the phone's limit
            self.assert_nothing_written(before, self.join(email=email), 400, "valid email address")
        self.assert_nothing_written(before, self.join(csrf_token=None), 400, "This page has expired")
        self.assert_nothing_written(before, self.join(randevu_hp="bot"), 400, "We could not take this booking")
        self.assert_nothing_written(before, self.join(name="x" * 101), 400, "too long")
        for session in (self.past_session, self.cancelled_session, self.lyon_session, self.pilates_session):
            response = self.join(session)
            self.assertEqual(response.status_code, 404, session.start)
            self.assertEqual(self.seat_counts(), before)
        for junk in ("junk", "0", "99999999"):
            self.assertEqual(self.join(junk).status_code, 404)
        self.assertEqual(self.seat_counts(), before)
        # The session of another branch, under the other branch's id: it has no such class listed there.
        response = self.url_open(
            self.class_url(self.yoga_session, "/join", branch=self.lyon), data={"name": "x"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.seat_counts(), before)

    # ------------------------------------------------------------------ the seat
    def test_seat_page_needs_its_token(self):
        self.join()
        seat = self.seat_of(self.yoga_session)
        self.assertEqual(self.url_open(f"/book/seat/{seat.id}?access_token={seat.access_token}").status_code, 200)
        for token in ("", "wrong", self.yoga_session.access_token or "x"):
            self.assertEqual(self.url_open(f"/book/seat/{seat.id}?access_token={token}").status_code, 404)
        self.assertEqual(self.url_open("/book/seat/99999999?access_token=x").status_code, 404)
        ics = self.url_open(f"/book/seat/{seat.id}/ics?access_token={seat.access_token}")
        self.assertEqual(ics.status_code, 200)
        self.assertIn(b"BEGIN:VEVENT", ics.content)
        self.yoga_session._portal_ensure_token()
        self.assertNotIn(self.yoga_session.access_token.encode(), ics.content, "no manage link of the whole class")
        self.assertEqual(self.url_open(f"/book/seat/{seat.id}/ics?access_token=wrong").status_code, 404)
        # Cancelling with a wrong token: not found, nothing changed.
        response = self.url_open(
            f"/book/seat/{seat.id}/cancel",
            data={"csrf_token": http.Request.csrf_token(self), "access_token": "wrong"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(seat.state, "booked")

    def test_cancel_seat_promotes_waitlist(self):
        self.join(self.full_session)
        waiting = self.seat_of(self.full_session)
        first = self.full_session.attendee_ids.filtered(lambda att: att.partner_id == self.regulars[0])
        first._portal_ensure_token()
        url = f"/book/seat/{first.id}/cancel"
        # Without the CSRF token: refused, nothing changed.
        response = self.url_open(url, data={"access_token": first.access_token}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(first.state, "booked")
        response = self.url_open(
            url,
            data={"csrf_token": http.Request.csrf_token(self), "access_token": first.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(waiting.state, "booked", "the first of the waitlist gets the seat")
        self.assertIn("Your place is cancelled.", self.url_open(response.headers["Location"]).text)

    def test_cancel_after_cutoff_refused(self):
        self.join()
        seat = self.seat_of(self.yoga_session)
        self.branch.randevu_cancel_cutoff = 24 * 30
        page = html.unescape(self.url_open(f"/book/seat/{seat.id}?access_token={seat.access_token}").text)
        self.assertIn("It is too late to cancel this place online", page)
        response = self.url_open(
            f"/book/seat/{seat.id}/cancel",
            data={"csrf_token": http.Request.csrf_token(self), "access_token": seat.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(seat.state, "booked")

    # ------------------------------------------------------------------ portal
    def test_portal_customer_books_as_themselves_and_sees_seat(self):
        self.authenticate("class_customer", "class_customer")
        paula = self.portal_user.partner_id
        form = self.url_open(self.class_url(self.yoga_session)).text
        self.assertIn("Portal Paula", form)
        attendees, partners = self.seat_counts()
        response = self.join(name="Portal Paula", phone="+33611220099", email="")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.seat_counts(), (attendees + 1, partners))
        seat = self.yoga_session.attendee_ids.filtered(lambda att: att.partner_id == paula)
        self.assertTrue(seat)
        self.url_open(
            self.class_url(self.full_session, "/join"),
            data={
                "csrf_token": http.Request.csrf_token(self),
                "name": "Portal Paula",
                "phone": "+33611220099",
            },
        )
        past_seat = self.env["randevu.attendee"].create(
            {"appointment_id": self.past_session.id, "partner_id": paula.id}
        )
        text = html.unescape(self.url_open("/my/appointments").text)
        self.assertIn(f"/book/seat/{seat.id}?access_token=", text)
        self.assertIn(f"/book/seat/{past_seat.id}?access_token=", text)
        self.assertIn("Waitlist (number 1)", text)
        self.assertIn("Morning Yoga", text)
        # Her own seat opens without the token; another customer's does not.
        self.assertEqual(self.url_open(f"/book/seat/{seat.id}").status_code, 200)
        other = self.full_session.attendee_ids.filtered(lambda att: att.partner_id == self.regulars[0])
        self.assertEqual(self.url_open(f"/book/seat/{other.id}").status_code, 404)


@tagged("post_install", "-at_install")
class TestClassTour(RandevuBookingCase):
    """In Chromium at a phone's width (360 px), as a visitor without an account: a
    class of the service step, its session, the details, the seat's page."""

    browser_size = "360x740"

    def test_guest_books_a_class_seat_at_phone_width(self):
        yoga = self._make_service("Morning Yoga", 1.0, self.anna, randevu_capacity=2, categ_id=self.hair.id)
        session = self.book(self.local(self.day, 9), service=yoga, partner_id=False)
        partners = self.Partner.search_count([])
        self.start_tour(f"/book/{self.branch.id}?category={self.hair.id}", "randevu_booking_class_tour", login=None)
        self.assertRecordValues(session.attendee_ids, [{"state": "booked"}])
        self.assertEqual(session.attendee_ids.partner_id.name, "Tour Yogi")
        self.assertEqual(session.attendee_ids.partner_id.phone, "+33655443329")
        self.assertEqual(self.Partner.search_count([]), partners + 1)
