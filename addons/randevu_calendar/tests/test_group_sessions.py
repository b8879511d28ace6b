from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestGroupSessions(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoga = cls._make_service("Yoga", 1.0, cls.anna | cls.bruno, randevu_capacity=3)
        cls.people = cls.env["res.partner"].create([{"name": f"Student {index}"} for index in range(1, 6)])

    def session(self, start=datetime(2031, 1, 6, 9), staff=None):
        """A Yoga session with nobody in it yet (10:00-11:00 local by default)."""
        return self.book(start, staff=staff, service=self.yoga, partner_id=False)

    def fill(self, session, people):
        return self.env["randevu.attendee"].concat(*(session._add_attendee(person) for person in people))

    # ------------------------------------------------------------------ capacity and waitlist
    def test_capacity_and_waitlist(self):
        session = self.session()
        attendees = self.fill(session, self.people)
        self.assertEqual(attendees.mapped("state"), ["booked"] * 3 + ["waitlist"] * 2)
        self.assertEqual(attendees.mapped("waitlist_position"), [0, 0, 0, 1, 2])
        self.assertEqual((session.seats_taken, session.seats_left), (3, 0))
        self.assertEqual(len(session.segment_ids.filtered("employee_id")), 1, "one session holds Anna's time once")

    def test_attendee_added_from_the_session_form(self):
        session = self.session()
        self.fill(session, self.people[:3])
        with Form(session) as form:
            with form.attendee_ids.new() as line:
                line.partner_id = self.people[3]
        added = session.attendee_ids.filtered(lambda attendee: attendee.partner_id == self.people[3])
        self.assertEqual(added.state, "waitlist", "the form goes through the same seat count as _add_attendee")
        self.assertEqual(session.seats_taken, 3)

    def test_customer_given_to_a_new_session_becomes_attendee(self):
        session = self.book(datetime(2031, 1, 6, 9), service=self.yoga)  # with the fixture's customer
        self.assertFalse(session.partner_id, "a session belongs to no single customer")
        self.assertEqual(session.attendee_ids.partner_id, self.customer)
        self.assertEqual(session.attendee_ids.state, "booked")
        self.assertEqual(session.name, "Yoga")

    def test_same_customer_once(self):
        session = self.session()
        session._add_attendee(self.people[0])
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            session._add_attendee(self.people[0])
        self.assertIn("Student 1 is already in Yoga (Mon 06 Jan 10:00-11:00)", str(caught.exception))
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["randevu.attendee"].create({"appointment_id": session.id, "partner_id": self.people[0].id})

    def test_individual_service_takes_no_attendees(self):
        haircut = self.book(datetime(2031, 1, 6, 9))
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            haircut._add_attendee(self.people[0])
        self.assertIn("is not a group class", str(caught.exception))

    def test_promotion_on_cancel(self):
        session = self.session()
        attendees = self.fill(session, self.people)
        attendees[1].action_cancel()
        self.assertEqual(attendees.mapped("state"), ["booked", "cancelled", "booked", "booked", "waitlist"])
        self.assertEqual(attendees[4].waitlist_position, 1)
        self.assertEqual(session.seats_left, 0)
        self.assertIn("Student 4 moved from the waitlist", session.message_ids[0].body)
        # Cancelling a waitlisted attendee frees no seat: nobody else moves.
        attendees[4].action_cancel()
        self.assertEqual(attendees[3].state, "booked")

    def test_promotion_on_removal(self):
        session = self.session()
        attendees = self.fill(session, self.people)
        attendees[0].unlink()
        self.assertEqual(attendees[3].state, "booked")
        self.assertEqual(attendees[4].state, "waitlist")

    def test_returning_customer_queues_again(self):
        session = self.session()
        attendees = self.fill(session, self.people[:4])
        attendees[0].action_cancel()  # Student 4 takes the seat
        again = session._add_attendee(self.people[0])
        self.assertEqual(again, attendees[0], "the same attendee comes back")
        self.assertEqual(again.state, "waitlist")
        self.assertEqual(again.waitlist_position, 1)

    def test_capacity_constraint(self):
        session = self.session()
        attendees = self.fill(session, self.people[:4])
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            attendees[3].state = "booked"
        self.assertIn("Yoga (Mon 06 Jan 10:00-11:00) is full: 4 attendees for 3 seats", str(caught.exception))
        pilates = self._make_service("Pilates", 1.0, self.anna | self.bruno, randevu_capacity=2)
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            session.service_id = pilates
        self.assertIn("is full: 3 attendees for 2 seats", str(caught.exception))

    def test_seats_counted_under_row_lock_from_database(self):
        session = self.session()
        self.fill(session, self.people[:2])
        self.assertEqual(session.seats_left, 1)
        # Another transaction took the last seat: the row is in the database, not in this cache.
        self.env.cr.execute(
            "INSERT INTO randevu_attendee (appointment_id, partner_id, state, sequence) VALUES (%s, %s, 'booked', 3)",
            [session.id, self.people[2].id],
        )
        self.assertEqual(session.seats_left, 1, "the cache still believes a seat is free")
        executed = []
        cursor_class = type(self.env.cr)
        original_execute = cursor_class.execute

        def spy(cr, query, params=None, log_exceptions=True):
            executed.append(getattr(query, "code", query))
            return original_execute(cr, query, params, log_exceptions)

        with patch.object(cursor_class, "execute", spy):
            late = session._add_attendee(self.people[3])
        self.assertEqual(late.state, "waitlist", "seats are re-counted from the database")
        locks = [query for query in executed if "FOR UPDATE" in query]
        self.assertTrue(locks and "FROM randevu_appointment" in locks[0], "the session row is locked")
        first_count = next(index for index, query in enumerate(executed) if "FROM randevu_attendee" in query)
        self.assertLess(executed.index(locks[0]), first_count, "locked before counting")

    # ------------------------------------------------------------------ availability engine
    def slots(self, day=None, staff=None, service=None):
        day = day or datetime(2031, 1, 6)
        return self.env["randevu.availability"].find_slots(
            service or self.yoga, self.branch, day, day + timedelta(days=1), staff=staff, now=self.past
        )

    def test_engine_offers_sessions_with_seats_left(self):
        open_session = self.session(datetime(2031, 1, 6, 9))
        self.fill(open_session, self.people[:1])
        full_session = self.session(datetime(2031, 1, 6, 13), staff=self.bruno)
        self.fill(full_session, self.people[:3])
        slots = self.slots()
        sessions = [slot for slot in slots if slot["appointment_id"]]
        self.assertEqual(len(sessions), 1, "the full session is not offered")
        self.assertEqual(
            {key: sessions[0][key] for key in ("start", "employee_id", "appointment_id", "seats_left")},
            {
                "start": datetime(2031, 1, 6, 9),
                "employee_id": self.anna.id,
                "appointment_id": open_session.id,
                "seats_left": 2,
            },
        )
        at_nine = [slot for slot in slots if slot["start"] == datetime(2031, 1, 6, 9)]
        self.assertEqual(at_nine[0]["appointment_id"], open_session.id, "existing sessions first")
        self.assertEqual(
            (at_nine[1]["appointment_id"], at_nine[1]["employee_id"], at_nine[1]["seats_left"]),
            (False, self.bruno.id, 3),
            "a new session with the free staff member",
        )
        self.assertNotIn(
            (datetime(2031, 1, 6, 13), self.bruno.id), [(slot["start"], slot["employee_id"]) for slot in slots]
        )
        self.assertFalse([slot for slot in self.slots(staff=self.bruno) if slot["appointment_id"]])
        # Individual services keep their slot shape.
        self.assertNotIn("appointment_id", self.slots(service=self.haircut)[0])
        open_session.action_cancel()
        self.assertFalse([slot for slot in self.slots() if slot["appointment_id"]], "a cancelled session is gone")

    def test_book_joins_session_then_opens_a_new_one(self):
        Availability = self.env["randevu.availability"]
        nine = datetime(2031, 1, 6, 9)
        session = Availability.book(
            self.yoga, self.branch, nine, staff=self.anna, partner=self.people[0], now=self.past
        )
        self.assertEqual(session.attendee_ids.partner_id, self.people[0])
        for person in self.people[1:3]:
            self.assertEqual(Availability.book(self.yoga, self.branch, nine, partner=person, now=self.past), session)
        self.assertEqual(session.seats_left, 0)
        other = Availability.book(self.yoga, self.branch, nine, partner=self.people[3], now=self.past)
        self.assertNotEqual(other, session, "the full session is not joined")
        self.assertEqual((other.employee_id, other.attendee_ids.partner_id), (self.bruno, self.people[3]))

    def test_engine_query_count_with_sessions(self):
        """One query for the sessions, none per session or per slot."""
        Availability = self.env["randevu.availability"]
        week = self.monday + timedelta(days=7)

        def count(days):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            slots = Availability.find_slots(self.yoga, self.branch, week, week + timedelta(days=days), now=self.past)
            return self.env.cr.sql_log_count - before, slots

        Availability.find_slots(self.yoga, self.branch, week, week + timedelta(days=1), now=self.past)  # warm-up
        small, _slots = count(1)
        for day in range(12):
            start = week + timedelta(days=day, hours=8)
            if start.weekday() < 6:
                session = self.session(start)
                self.fill(session, self.people[: day % 3 + 1])
        large, slots = count(14)
        self.assertGreater(len([slot for slot in slots if slot["appointment_id"]]), 5)
        self.assertEqual(large, small, "queries must not grow with sessions or days")
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            Availability.find_slots(self.yoga, self.branch, week, week + timedelta(days=14), now=self.past)

    # ------------------------------------------------------------------ security
    def test_attendees_follow_branch_and_staff_rules(self):
        istanbul = self._make_branch("Istanbul", "Europe/Istanbul")
        deniz = self._make_staff("Deniz", istanbul, self._make_calendar("Istanbul hours", istanbul, [(9, 18)]))
        self.yoga.randevu_staff_line_ids = [(0, 0, {"employee_id": deniz.id})]
        paris_session = self.session()
        self.fill(paris_session, self.people[:2])
        istanbul_session = self.env["randevu.appointment"].create(
            {
                "company_id": istanbul.id,
                "service_id": self.yoga.id,
                "employee_id": deniz.id,
                "start": datetime(2031, 1, 6, 9),
            }
        )
        istanbul_attendee = istanbul_session._add_attendee(self.people[4])
        receptionist = self.make_user(
            "rv_rec_paris", "base.group_user,randevu_calendar.group_randevu_user", self.branch
        )
        Attendee = self.env["randevu.attendee"].with_user(receptionist)
        self.assertEqual(Attendee.search([]), paris_session.attendee_ids)
        with self.assertRaises(AccessError):
            istanbul_attendee.with_user(receptionist).read(["state"])
        bruno_user = self.make_user("rv_bruno", "base.group_user,randevu_calendar.group_randevu_staff", self.branch)
        self.bruno.user_id = bruno_user
        self.assertFalse(self.env["randevu.attendee"].with_user(bruno_user).search([]), "Anna's class is not his")
        with self.assertRaises(AccessError):
            self.env["randevu.attendee"].with_user(bruno_user).create(
                {"appointment_id": paris_session.id, "partner_id": self.people[3].id}
            )
