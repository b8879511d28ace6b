from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RandevuCase

# A Monday long past: demo appointments (dated around the install) are never due then.
DAY = datetime(2020, 1, 6)


def at(hour, minute=0, second=0):
    """Naive UTC on DAY; Paris is UTC+1 in January, so 08:00 is 09:00 at the salon."""
    return DAY + timedelta(hours=hour, minutes=minute, seconds=second)


class NoShowCase(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Appointment = cls.env["randevu.appointment"]
        cls.yoga = cls._make_service("Yoga", 1.0, cls.anna | cls.bruno, randevu_capacity=3)
        cls.people = cls.env["res.partner"].create([{"name": f"Student {index}"} for index in range(1, 6)])
        cls.istanbul = cls._make_branch("Istanbul", "Europe/Istanbul")
        istanbul_hours = cls._make_calendar("Istanbul hours", cls.istanbul, [(9, 18)])
        cls.deniz = cls._make_staff("Deniz", cls.istanbul, istanbul_hours)
        cls.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": cls.deniz.id})]

    def run_cron(self, when, **kwargs):
        """The no-show cron at `when` (naive UTC), with tracking on, as the scheduler runs it."""
        with freeze_time(when):
            handled = self.Appointment.with_context(tracking_disable=False)._cron_mark_no_shows(**kwargs)
        self.env.flush_all()
        self.env.cr.flush()  # tracking messages are written before commit
        self.env.invalidate_all()
        return handled

    def session(self, start, attendees, states=(), staff=None):
        """A Yoga session at `start` with `attendees` (a seat each while seats last),
        then the given attendee states in order."""
        session = self.book(start, staff=staff, service=self.yoga, partner_id=False)
        rows = self.env["randevu.attendee"].concat(*(session._add_attendee(person) for person in attendees))
        for attendee, state in zip(rows, states, strict=False):
            if state:
                attendee.state = state
        return session, rows


@tagged("post_install", "-at_install")
class TestNoShow(NoShowCase):
    # ------------------------------------------------------------------ automatic
    def test_automatic_after_grace_tracked_and_idempotent(self):
        self.branch.randevu_noshow_mode = "automatic"
        booked = self.book(at(8))
        confirmed = self.book(at(8), staff=self.bruno)
        confirmed.action_confirm()

        self.assertEqual(self.run_cron(at(8, 14, 59)), 0, "the grace time (15 min) has not passed")
        self.assertEqual((booked | confirmed).mapped("state"), ["booked", "confirmed"])

        self.assertEqual(self.run_cron(at(8, 15)), 2)
        self.assertEqual((booked | confirmed).mapped("state"), ["no_show", "no_show"])
        self.assertFalse(booked.segment_ids, "a no-show no longer holds the staff member's time")
        message = booked.message_ids[0]
        self.assertIn("No arrival within 15 minutes of the start: marked no-show automatically.", message.body)
        self.assertEqual(message.tracking_value_ids.field_id.name, "state")
        self.assertEqual(self.customer.randevu_noshow_count, 2)

        messages = (booked | confirmed).message_ids
        self.assertEqual(self.run_cron(at(9)), 0, "running it again changes nothing more")
        self.assertEqual((booked | confirmed).message_ids, messages)

    def test_only_expected_customers_become_no_shows(self):
        self.branch.randevu_noshow_mode = "automatic"
        arrived = self.book(at(8))
        arrived.action_arrive()
        done = self.book(at(8), staff=self.bruno)
        done.action_done()
        cancelled = self.book(at(9))
        cancelled.action_cancel()
        blocked_time = self.book(at(9), service=False, partner_id=False)
        walk_in = self.book(at(9), staff=self.bruno, partner_id=False)
        later = self.book(at(10))  # starts after "now"
        self.run_cron(at(10, 10))
        self.assertEqual(
            (arrived | done | cancelled | blocked_time | walk_in | later).mapped("state"),
            ["arrived", "done", "cancelled", "booked", "booked", "booked"],
        )

    def test_grace_time_per_branch(self):
        (self.branch | self.istanbul).randevu_noshow_mode = "automatic"
        self.istanbul.randevu_noshow_grace = 30
        paris = self.book(at(8))
        istanbul = self.book(at(8), staff=self.deniz, company_id=self.istanbul.id)  # 10:00 in Istanbul
        self.run_cron(at(8, 20))
        self.assertEqual((paris.state, istanbul.state), ("no_show", "booked"))
        self.run_cron(at(8, 30))
        self.assertEqual(istanbul.state, "no_show")

    def test_late_customer_checked_in_after_automatic_no_show(self):
        self.branch.randevu_noshow_mode = "automatic"
        appointment = self.book(at(8))
        self.run_cron(at(8, 20))
        appointment.action_arrive()
        self.assertEqual(appointment.state, "arrived")
        self.assertTrue(appointment.segment_ids, "the time is held again")
        self.assertEqual(self.run_cron(at(8, 30)), 0)
        self.assertEqual(appointment.state, "arrived")

    # ------------------------------------------------------------------ proposed to reception
    def test_propose_flags_for_reception_then_confirm(self):
        self.assertEqual(self.branch.randevu_noshow_mode, "propose", "the default: reception decides")
        appointment = self.book(at(8))
        self.assertEqual(self.run_cron(at(8, 15)), 1)
        self.assertEqual(appointment.state, "booked")
        self.assertTrue(appointment.noshow_suspected)
        self.assertIn("no-show suspected", appointment.message_ids[0].body)
        action = self.env.ref("randevu_calendar.randevu_appointment_action_noshow")
        self.assertEqual(action.context, "{'search_default_noshow_suspected': 1}")
        self.assertEqual(self.Appointment.search([("noshow_suspected", "=", True)]), appointment)

        messages = appointment.message_ids
        self.assertEqual(self.run_cron(at(9)), 0, "a flagged appointment is not flagged again")
        self.assertEqual(appointment.message_ids, messages)

        appointment.action_confirm_no_show()
        self.assertEqual(appointment.state, "no_show")
        self.assertFalse(appointment.noshow_suspected)

    def test_arrival_clears_the_suspicion(self):
        appointment = self.book(at(8))
        moved = self.book(at(8), staff=self.bruno)
        self.run_cron(at(8, 15))
        appointment.action_arrive()
        moved.start = at(13)  # rebooked for the afternoon by phone
        self.assertFalse(appointment.noshow_suspected)
        self.assertFalse(moved.noshow_suspected)
        self.run_cron(at(8, 30))
        self.assertFalse((appointment | moved).filtered("noshow_suspected"))

    # ------------------------------------------------------------------ group sessions
    def test_group_session_automatic_per_attendee(self):
        self.branch.randevu_noshow_mode = "automatic"
        session, (came, expected, confirmed, waiting) = self.session(
            at(8), self.people[:4], states=("arrived", None, "confirmed")
        )
        self.assertEqual(waiting.state, "waitlist")
        session.action_start()
        empty, (nobody,) = self.session(at(8), self.people[4], staff=self.bruno)

        self.assertEqual(self.run_cron(at(8, 15)), 2)
        self.assertEqual(
            (came | expected | confirmed | waiting).mapped("state"), ["arrived", "no_show", "no_show", "waitlist"]
        )
        self.assertEqual(session.state, "in_progress", "the class goes on for those who came")
        self.assertIn("Student 2, Student 3 marked no-show", session.message_ids[0].body)
        self.assertEqual((nobody.state, empty.state), ("no_show", "no_show"), "nobody came: the session too")
        self.assertEqual(self.people[1].randevu_noshow_count, 1, "a missed class counts on the customer")
        self.assertEqual(self.run_cron(at(9)), 0)

    def test_group_session_proposed_then_confirmed(self):
        session, (came, expected, confirmed) = self.session(
            at(8), self.people[:3], states=("arrived", None, "confirmed")
        )
        self.run_cron(at(8, 15))
        self.assertEqual((came | expected | confirmed).mapped("noshow_suspected"), [False, True, True])
        self.assertTrue(session.noshow_suspected)
        self.assertIn("Student 2, Student 3 may be no-shows", session.message_ids[0].body)
        self.assertEqual(self.run_cron(at(9)), 0)

        expected.action_arrive()  # late, but here
        self.assertFalse(expected.noshow_suspected)
        session.action_confirm_no_show()
        self.assertEqual((came | expected | confirmed).mapped("state"), ["arrived", "arrived", "no_show"])
        self.assertFalse(session.noshow_suspected)
        self.assertEqual(session.state, "booked", "people came: the session is not a no-show")

    def test_session_no_show_button_marks_expected_attendees(self):
        session, (cancelled, expected) = self.session(at(8), self.people[:2], states=("cancelled",))
        session.action_no_show()
        self.assertEqual((session.state, cancelled.state, expected.state), ("no_show", "cancelled", "no_show"))

    def test_receptionist_confirms(self):
        receptionist = self.make_user(
            "rv_noshow_rec", "base.group_user,randevu_calendar.group_randevu_user", self.branch
        )
        appointment = self.book(at(8))
        self.run_cron(at(8, 15))
        suspected = self.Appointment.with_user(receptionist).search([("noshow_suspected", "=", True)])
        self.assertEqual(suspected, appointment)
        suspected.action_confirm_no_show()
        self.assertEqual(appointment.state, "no_show")

    # ------------------------------------------------------------------ batches
    def test_scheduled_action_runs_it(self):
        self.branch.randevu_noshow_mode = "automatic"
        appointment = self.book(at(8))
        cron = self.env.ref("randevu_calendar.randevu_appointment_cron_noshow")
        self.assertTrue(cron.active)
        with freeze_time(at(8, 30)):
            cron.method_direct_trigger()
        self.assertEqual(appointment.state, "no_show")

    def test_batches_limit_progress_and_no_commit_in_tests(self):
        appointments = self.Appointment.concat(
            *(
                self.book(at(hour), staff=staff)
                for hour, staff in ((8, self.anna), (8, self.bruno), (9, self.anna), (9, self.bruno), (10, self.anna))
            )
        )
        cron = self.env.ref("randevu_calendar.randevu_appointment_cron_noshow")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
        Appointment = self.Appointment.with_context(ir_cron_progress_id=progress.id)
        with (
            freeze_time(at(12)),
            patch.object(type(self.env.cr), "commit", side_effect=AssertionError("commit in a test")),
        ):
            self.assertEqual(Appointment._cron_mark_no_shows(batch_size=2, limit=3), 3)
            self.assertEqual((progress.done, progress.remaining), (3, 2))
            self.assertEqual(appointments.sorted("start").mapped("noshow_suspected").count(True), 3)
            self.assertEqual(Appointment._cron_mark_no_shows(batch_size=2), 2)
            self.assertEqual((progress.done, progress.remaining), (2, 0))
        self.assertTrue(all(appointments.mapped("noshow_suspected")))

    def test_one_search_whatever_the_number_of_branches(self):
        """The due appointments of every branch come from one search: its domain groups
        branches by grace time instead of querying branch by branch."""
        self.istanbul.randevu_noshow_grace = 30
        paris = self.book(at(8))
        istanbul = self.book(at(8), staff=self.deniz, company_id=self.istanbul.id)
        domain = self.Appointment._noshow_due_domain(at(9))
        self.assertIn(("start", "<=", at(8, 45)), domain)
        self.assertIn(("start", "<=", at(8, 30)), domain)
        Model = type(self.Appointment)
        with patch.object(Model, "search", autospec=True, side_effect=Model.search) as spy, freeze_time(at(9)):
            self.assertEqual(self.Appointment._cron_mark_no_shows(), 2)
        self.assertEqual(spy.call_count, 1)
        self.assertTrue(paris.noshow_suspected and istanbul.noshow_suspected)


@tagged("post_install", "-at_install")
class TestNoShowPolicy(NoShowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Availability = cls.env["randevu.availability"]
        cls.branch.write({"randevu_noshow_limit": 2, "randevu_noshow_action": "refuse", "phone": "+33 1 42 00 00 00"})
        cls.now = at(12)  # the no-shows below are in the morning
        cls.next_monday = DAY + timedelta(days=7)

    def no_shows(self, *starts, partner=None, **values):
        appointments = self.Appointment.concat(
            *(self.book(start, partner_id=(partner or self.customer).id, **values) for start in starts)
        )
        appointments.action_no_show()
        return appointments

    def policy(self, partner=None, branch=None):
        return (partner or self.customer)._randevu_online_booking_policy(branch or self.branch, now=self.now)

    def test_under_the_limit_allowed(self):
        self.no_shows(at(8))
        self.assertEqual(self.policy(), ("allowed", ""))
        self.assertEqual(self.env["res.partner"]._randevu_online_booking_policy(self.branch), ("allowed", ""))

    def test_refused_says_why_and_whom_to_call(self):
        self.no_shows(at(8), at(9))
        state, message = self.policy()
        self.assertEqual(state, "refused")
        self.assertEqual(
            message,
            "Online booking at Salon Paris is closed for you: you did not come to 2 appointments in the last 12 "
            "months. Please call +33 1 42 00 00 00 to book.",
        )
        self.branch.phone = False
        self.assertIn("Please call the branch to book.", self.policy()[1])

    def test_deposit_instead_of_refusal(self):
        self.branch.randevu_noshow_action = "deposit"
        self.no_shows(at(8), at(9))
        self.assertEqual(
            self.policy(),
            (
                "deposit",
                "Salon Paris asks for a deposit with online bookings: you did not come to 2 appointments in the "
                "last 12 months.",
            ),
        )

    def test_no_limit_no_policy(self):
        self.branch.randevu_noshow_limit = 0
        self.no_shows(at(8), at(9), at(10))
        self.assertEqual(self.policy()[0], "allowed")

    def test_what_counts(self):
        """No-shows within the look-back window, at any branch of the business, in
        classes too; not cancellations, nor other customers' no-shows."""
        self.no_shows(datetime(2018, 12, 3, 8))  # 13 months before "now": outside the window
        self.no_shows(at(8), partner=self.people[0])
        self.book(at(9)).action_cancel()
        _session, attendee = self.session(at(10), self.customer)
        attendee.action_no_show()
        self.assertEqual(self.policy()[0], "allowed", "one no-show in the window")
        self.no_shows(at(8), staff=self.deniz, company_id=self.istanbul.id)  # another branch of the business
        self.assertEqual(self.policy()[0], "refused")
        self.assertEqual(self.customer._randevu_noshow_counts(self.branch, since=at(0)), {self.customer.id: 2})
        self.branch.randevu_noshow_months = 0  # every no-show counts
        self.assertIn("you did not come to 3 appointments. Please call", self.policy()[1])
        self.assertEqual(self.customer.randevu_noshow_count, 3, "the profile counts class no-shows too")

    def test_engine_refuses_online_bookings_only(self):
        self.no_shows(at(8), at(9))
        start = self.next_monday + timedelta(hours=8)
        for source in ("website", "whatsapp", "instagram"):
            with self.subTest(source=source), self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                self.Availability.book(
                    self.haircut, self.branch, start, partner=self.customer, now=self.now, values={"source": source}
                )
            self.assertIn("you did not come to 2 appointments", str(caught.exception))
        self.assertFalse(self.Appointment.search([("start", "=", start)]))
        # Reception books by phone all the same (and sees the warning on the form).
        by_phone = self.Availability.book(
            self.haircut, self.branch, start, partner=self.customer, now=self.now, values={"source": "phone"}
        )
        self.assertFalse(by_phone.noshow_deposit_required)
        with freeze_time(self.now):
            self.assertEqual(
                by_phone.partner_noshow_warning,
                "Salon Paris: 2 no-shows in the last 12 months (limit 2), online booking is refused.",
            )

    def test_engine_flags_the_deposit(self):
        self.branch.randevu_noshow_action = "deposit"
        self.no_shows(at(8), at(9))
        appointment = self.Availability.book(
            self.haircut,
            self.branch,
            self.next_monday + timedelta(hours=8),
            partner=self.customer,
            now=self.now,
            values={"source": "website"},
        )
        self.assertTrue(appointment.noshow_deposit_required)
        welcome = self.Availability.book(
            self.haircut,
            self.branch,
            self.next_monday + timedelta(hours=9),
            partner=self.people[0],
            now=self.now,
            values={"source": "website"},
        )
        self.assertFalse(welcome.noshow_deposit_required, "customers under the limit pay no deposit")

    def test_engine_policy_for_classes_and_packages(self):
        self.branch.randevu_noshow_action = "deposit"
        self.no_shows(at(8), at(9))
        start = self.next_monday + timedelta(hours=8)
        session = self.book(start, service=self.yoga, partner_id=self.people[0].id)
        joined = self.Availability.book(
            self.yoga, self.branch, start, partner=self.customer, now=self.now, values={"source": "whatsapp"}
        )
        self.assertEqual(joined, session)
        attendee = session.attendee_ids.filtered(lambda att: att.partner_id == self.customer)
        self.assertTrue(attendee.noshow_deposit_required)

        self.branch.randevu_noshow_action = "refuse"
        package = self.env["product.template"].create(
            {
                "name": "Cut + cut",
                "type": "service",
                "is_randevu_package": True,
                "randevu_package_line_ids": [
                    (0, 0, {"service_tmpl_id": self.haircut.id, "sequence": 1}),
                    (0, 0, {"service_tmpl_id": self.haircut.id, "sequence": 2}),
                ],
            }
        )
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            self.Availability.book_package(
                package,
                self.branch,
                self.next_monday + timedelta(hours=13),
                self.customer,
                now=self.now,
                values={"source": "website"},
            )
        self.assertIn("you did not come to 2 appointments", str(caught.exception))

    def test_partner_banner(self):
        self.assertFalse(self.customer.randevu_noshow_warning)
        self.no_shows(at(8), at(9))
        self.customer.invalidate_recordset(["randevu_noshow_warning"])
        with freeze_time(self.now):
            partner = self.customer.with_context(allowed_company_ids=(self.branch | self.istanbul).ids)
            self.assertEqual(
                partner.randevu_noshow_warning,
                "Salon Paris: 2 no-shows in the last 12 months (limit 2), online booking is refused.",
            )
