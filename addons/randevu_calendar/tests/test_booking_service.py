from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.randevu_calendar.exceptions import BookingRefused, ChangeRefused, SlotUnavailable, TermsChanged
from odoo.addons.randevu_calendar.models.randevu_availability import RandevuAvailability

from .common import RandevuCase

# Queries of one booking through the service, as a channel makes it: the time
# checked (_start_check, one engine pass), then booked with that slot (_book),
# for a known customer. Measured with randevu_booking installed (its deposit hook
# included); a change of it is a change of the booking path.
QUERIES_PER_BOOKING = 44

# "Now" of these tests: Thursday 2 January 2031, 10:00 UTC, before self.monday.
NOW = datetime(2031, 1, 2, 10, 0)


@tagged("post_install", "-at_install")
class TestBookingService(RandevuCase):
    """randevu.booking.service, the channel-neutral booking of randevu_calendar: find or
    create the customer, book, move and cancel through the engine, the branch's
    policies (no-show bar, cutoff) refused with the message to show. No website."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Service = cls.env["randevu.booking.service"]
        cls.Appointment = cls.env["randevu.appointment"]
        cls.branch.write(
            {
                "phone": "+33 1 42 00 00 00",
                "randevu_noshow_limit": 2,
                "randevu_noshow_action": "refuse",
                "randevu_cancel_cutoff": 24,
            }
        )
        cls.details = {"name": "Lea Moreau", "phone": "06 12 34 56 78", "email": "lea@example.com", "note": ""}
        cls.country = cls.env.ref("base.fr")
        cls.branch.country_id = cls.country
        cls.no_staff = cls.env["hr.employee"]

    def setUp(self):
        super().setUp()
        self.frozen = freeze_time(NOW)
        self.frozen.start()
        self.addCleanup(self.frozen.stop)

    def at(self, hour, minute=0, day=None):
        """Naive UTC of a Paris time (UTC+1 in January) on `day` (self.monday)."""
        return (day or self.monday) + timedelta(hours=hour - 1, minutes=minute)

    def details_of(self, **values):
        return dict(self.details, **values)

    def no_shows(self, partner, count=2):
        """`count` appointments of `partner` in the past they did not come to."""
        past = datetime(2030, 12, 2)  # a Monday a month before
        appointments = self.Appointment.concat(
            *(self.book(self.at(9 + index, day=past), partner_id=partner.id) for index in range(count))
        )
        appointments.action_no_show()

    # ------------------------------------------------------------------ book
    def test_book_finds_or_creates_the_customer(self):
        appointment = self.Service._book(self.branch, self.haircut, self.no_staff, self.at(10), self.details)
        self.assertEqual(appointment.start, self.at(10))
        self.assertEqual(appointment.state, "booked")
        self.assertEqual(appointment.source, "website")
        customer = appointment.partner_id
        self.assertEqual((customer.name, customer.phone), ("Lea Moreau", "+33612345678"))
        again = self.Service._book(
            self.branch,
            self.haircut,
            self.anna,
            self.at(15),
            self.details_of(phone="+33 6 12 34 56 78"),
            source="whatsapp",
        )
        self.assertEqual(again.partner_id, customer, "the same phone, the same customer")
        self.assertEqual((again.employee_id, again.source), (self.anna, "whatsapp"))

    def test_book_one_engine_pass(self):
        """One engine pass per booking: the slot checked is booked without another
        (the overlap check of create trusts it)."""
        calls = []
        original = RandevuAvailability._load

        def load(availability, *args, **kwargs):
            calls.append(args)
            return original(availability, *args, **kwargs)

        with patch.object(RandevuAvailability, "_load", autospec=True, side_effect=load):
            slot, problem = self.Service._start_check(self.branch, self.haircut, self.no_staff, self.at(10))
            self.assertFalse(problem)
            appointment = self.Service._book(
                self.branch, self.haircut, self.no_staff, self.at(10), self.details, slot=slot
            )
            self.assertEqual(len(calls), 1, "the slot's check only")
            self.assertEqual(appointment.segment_ids.mapped("start"), [self.at(10)])
            calls.clear()
            self.Service._book(
                self.branch, self.haircut, self.no_staff, self.at(11), self.details_of(phone="0611111111")
            )
            self.assertEqual(len(calls), 1, "without a slot: the one found by _book")

    def test_book_query_count(self):
        customer = self.customer
        self.Service._book(self.branch, self.haircut, self.no_staff, self.at(9), {"note": ""}, partner=customer)
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES_PER_BOOKING):
            slot, _problem = self.Service._start_check(self.branch, self.haircut, self.no_staff, self.at(11))
            self.Service._book(self.branch, self.haircut, self.no_staff, self.at(11), {"note": ""}, customer, slot=slot)

    def test_checked_slot_trusted_only_for_its_own_values(self):
        """The context key skips the engine only for an appointment with exactly the
        slot's values; anything else is checked, and the database still refuses an
        overlap with the very values of a slot taken meanwhile."""
        slot, _problem = self.Service._start_check(self.branch, self.haircut, self.anna, self.at(10))
        checked = self.env["randevu.availability"]._checked_slot_key(self.branch, self.haircut, slot)
        Checked = self.Appointment.with_context(randevu_checked_slot=checked)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            # Another time than the slot's: outside the working hours, refused by the engine.
            Checked.create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": self.at(21),
                    "partner_id": self.customer.id,
                }
            )
        self.book(self.at(10), staff=self.anna)  # taken meanwhile
        before = self.Appointment.search_count([])
        with self.assertRaises(SlotUnavailable) as caught:
            self.Service._book(self.branch, self.haircut, self.anna, self.at(10), self.details, slot=slot)
        self.assertIn("just taken", caught.exception.args[0])
        self.assertEqual(self.Appointment.search_count([]), before)

    def test_terms_changed(self):
        self.env["randevu.service.staff"].search(
            [("product_tmpl_id", "=", self.haircut.id), ("employee_id", "=", self.anna.id)]
        ).price = 55
        with self.assertRaises(TermsChanged):
            self.Service._book(self.branch, self.haircut, self.anna, self.at(10), self.details, terms="30/40.00")
        appointment = self.Service._book(
            self.branch, self.haircut, self.anna, self.at(10), self.details, terms="30/55.00"
        )
        self.assertEqual(appointment.price, 55)

    # ------------------------------------------------------------------ refusals
    def test_no_show_bar_says_the_policy_whatever_the_time(self):
        """A customer over the branch's no-show limit hears the policy, with the
        branch's phone, whatever time they pick: never "this time was just taken"."""
        customer = self.Service._find_or_create_customer(self.branch, self.details)
        self.no_shows(customer)
        self.book(self.at(11), staff=self.anna)
        self.book(self.at(11), staff=self.bruno)
        refusal = (
            "Online booking at Salon Paris is closed for you: you did not come to 2 appointments in the last 12 "
            "months. Please call +33 1 42 00 00 00 to book."
        )
        self.assertEqual(self.Service._policy_refusal(self.branch, self.details), refusal)
        before = self.Appointment.search_count([])
        times = {
            "free": self.at(10),
            "just taken": self.at(11),
            "closed": self.at(21),
            "past": self.at(10, day=datetime(2030, 12, 30)),
        }
        for label, start in times.items():
            with self.subTest(time=label), self.assertRaises(BookingRefused) as caught:
                self.Service._book(self.branch, self.haircut, self.no_staff, start, self.details)
            self.assertNotIsInstance(caught.exception, SlotUnavailable)
            self.assertEqual(caught.exception.args[0], refusal)
        self.assertEqual(self.Appointment.search_count([]), before, "nothing written")

    def test_taken_time_says_so(self):
        self.book(self.at(10), staff=self.anna)
        with self.assertRaises(SlotUnavailable) as caught:
            self.Service._book(self.branch, self.haircut, self.anna, self.at(10), self.details)
        self.assertEqual(caught.exception.args[0], "Sorry, this time was just taken. Please pick another one.")
        self.assertEqual(
            self.Service._start_problem(self.branch, self.haircut, self.anna, self.at(10)),
            "Sorry, this time was just taken. Please pick another one.",
        )

    # ------------------------------------------------------------------ reschedule and cancel
    def test_reschedule_keeps_the_staff_member_when_free(self):
        appointment = self.book(self.at(10), staff=self.bruno)
        self.Service._reschedule(appointment, self.at(15))
        self.assertEqual((appointment.start, appointment.employee_id), (self.at(15), self.bruno))
        self.book(self.at(16), staff=self.bruno)
        self.Service._reschedule(appointment, self.at(16))
        self.assertEqual((appointment.start, appointment.employee_id), (self.at(16), self.anna), "Bruno is busy")
        with self.assertRaises(SlotUnavailable):
            self.Service._reschedule(appointment, self.at(21))
        self.assertEqual(appointment.start, self.at(16))

    def test_reschedule_one_engine_pass(self):
        appointment = self.book(self.at(10), staff=self.bruno)
        with patch.object(RandevuAvailability, "_load", autospec=True, side_effect=RandevuAvailability._load) as load:
            self.Service._reschedule(appointment, self.at(15))
        self.assertEqual(load.call_count, 1)

    def test_cancel(self):
        appointment = self.book(self.at(10))
        self.Service._cancel(appointment)
        self.assertEqual(appointment.state, "cancelled")
        self.assertEqual(appointment.cancel_reason, "Cancelled online by the customer")
        other = self.book(self.at(15))
        self.Service._cancel(other, reason="Moved away")
        self.assertEqual(other.cancel_reason, "Moved away")

    def test_cutoff(self):
        """Past the branch's cutoff (24 hours), the customer may neither move nor cancel:
        they are told until when, and whom to call."""
        appointment = self.book(self.at(10, day=datetime(2031, 1, 3)))  # tomorrow, 09:00 UTC: 23 hours ahead
        message = (
            "It is too late to move or cancel this appointment online (24 hours before at the latest). "
            "Please call us at +33 1 42 00 00 00."
        )
        self.assertEqual(self.Service._change_problem(appointment), message)
        with self.assertRaises(ChangeRefused) as caught:
            self.Service._cancel(appointment)
        self.assertEqual(caught.exception.args[0], message)
        with self.assertRaises(ChangeRefused):
            self.Service._reschedule(appointment, self.at(15))
        self.assertEqual((appointment.state, appointment.start), ("booked", self.at(10, day=datetime(2031, 1, 3))))
        self.branch.randevu_cancel_cutoff = 12
        self.assertFalse(self.Service._change_problem(appointment))
        appointment.state = "cancelled"
        self.assertEqual(self.Service._change_problem(appointment), "This appointment can no longer be changed.")
