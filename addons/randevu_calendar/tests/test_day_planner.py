from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestDayPlanner(RandevuCase):
    """The day planner's server side: what a day looks like, moving and booking.

    Paris is UTC+1 on Monday 6 January 2031: 10:00 local is 09:00 UTC; the axis
    is in local minutes since midnight (10:00 = 600)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Planner = cls.env["randevu.day.planner"]
        cls.day = "2031-01-06"
        cls.other_customer = cls.env["res.partner"].create({"name": "Hugo Secret", "phone": "+33645019999"})

    def get_day(self, user=None):
        planner = self.Planner.with_user(user) if user else self.Planner
        return planner.get_day(self.branch.id, self.day)

    def column(self, data, employee):
        return next(column for column in data["staff"] if column["id"] == employee.id)

    def test_columns_hours_break_and_leave_greyed(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.bruno.resource_id.id,
                "date_from": datetime(2031, 1, 6, 15),
                "date_to": datetime(2031, 1, 6, 16),
            }
        )
        data = self.get_day()
        self.assertEqual(data["day"], self.day)
        self.assertEqual(data["branch"], {"id": self.branch.id, "name": "Salon Paris", "tz": "Europe/Paris"})
        self.assertIn({"id": self.branch.id, "name": "Salon Paris"}, data["branches"])
        self.assertEqual([column["name"] for column in data["staff"]], ["Anna", "Bruno"])
        self.assertEqual(data["range"], [7 * 60, 21 * 60])
        # Before 09:00, the 13:00-14:00 break, after 18:00.
        self.assertEqual(self.column(data, self.anna)["off"], [(420, 540), (780, 840), (1080, 1260)])
        # Bruno's leave 16:00-17:00 local is greyed too.
        self.assertEqual(self.column(data, self.bruno)["off"], [(420, 540), (780, 840), (960, 1020), (1080, 1260)])
        services = {service["name"]: service["duration"] for service in self.column(data, self.anna)["services"]}
        self.assertEqual(services, {"Colour": 120, "Haircut": 30})

    def test_closed_day_is_all_grey(self):
        data = self.Planner.get_day(self.branch.id, "2031-01-05")  # a Sunday
        self.assertEqual(self.column(data, self.anna)["off"], [(420, 1260)])
        self.assertFalse(data["appointments"])

    def test_appointments_buffers_and_processing_gap(self):
        haircut = self.book(datetime(2031, 1, 6, 9))
        colour = self.book(datetime(2031, 1, 6, 13), staff=self.bruno, service=self.colour)
        self.book(datetime(2031, 1, 7, 9))  # another day
        cancelled = self.book(datetime(2031, 1, 6, 10))
        cancelled.action_cancel()
        blocks = {block["id"]: block for block in self.get_day()["appointments"]}
        self.assertEqual(set(blocks), {haircut.id, colour.id}, "cancelled and other days are not shown")
        block = blocks[haircut.id]
        self.assertEqual(
            {key: block[key] for key in ("partner", "service", "employee_id", "state", "start", "stop")},
            {
                "partner": "Chloé Martin",
                "service": "Haircut",
                "employee_id": self.anna.id,
                "state": "booked",
                "start": "2031-01-06 09:00:00",
                "stop": "2031-01-06 09:30:00",
            },
        )
        self.assertEqual((block["start_minute"], block["stop_minute"]), (600, 630))
        self.assertEqual(block["buffers"], [(630, 645)], "the 15 minutes of cleaning after")
        self.assertEqual(block["gaps"], [])
        self.assertEqual(blocks[colour.id]["gaps"], [(870, 930)], "14:30-15:30: Bruno is free while it develops")

    def test_group_session_shows_its_seats(self):
        yoga = self._make_service("Yoga", 1.0, self.anna, randevu_capacity=3)
        session_id = self.Planner.create_from_planner(
            self.branch.id, self.anna.id, yoga.id, "2031-01-06 09:00:00", "Léa Petit"
        )["appointment_id"]
        block = next(block for block in self.get_day()["appointments"] if block["id"] == session_id)
        self.assertEqual((block["capacity"], block["seats_taken"], block["partner"]), (3, 1, False))

    def test_staff_user_sees_colleagues_as_busy(self):
        anna_user = self.make_user(
            "rv_planner_anna", "base.group_user,randevu_calendar.group_randevu_staff", self.branch
        )
        receptionist = self.make_user(
            "rv_planner_rec", "base.group_user,randevu_calendar.group_randevu_user", self.branch
        )
        self.anna.user_id = anna_user
        own = self.book(datetime(2031, 1, 6, 9))
        self.book(datetime(2031, 1, 6, 10), staff=self.bruno, partner_id=self.other_customer.id)

        data = self.get_day(anna_user)
        self.assertEqual([block["id"] for block in data["appointments"]], own.ids)
        self.assertEqual(self.column(data, self.anna)["busy"], [], "her own appointment is a block, not busy time")
        self.assertEqual(self.column(data, self.bruno)["busy"], [(660, 705)], "11:00-11:30 and its buffer")
        self.assertNotIn("Hugo Secret", str(data))

        data = self.get_day(receptionist)
        self.assertEqual(len(data["appointments"]), 2)
        self.assertEqual(self.column(data, self.bruno)["busy"], [])
        self.assertIn("Hugo Secret", [block["partner"] for block in data["appointments"]])

    def test_other_branch_refused(self):
        other_branch = self._make_branch("Istanbul", "Europe/Istanbul")
        receptionist = self.make_user(
            "rv_planner_rec_ist", "base.group_user,randevu_calendar.group_randevu_user", other_branch
        )
        with self.assertRaises(AccessError):
            self.Planner.with_user(receptionist).get_day(self.branch.id, self.day)

    def test_move_resize_and_refusals(self):
        appointment = self.book(datetime(2031, 1, 6, 9))
        self.Planner.move(appointment.id, self.bruno.id, "2031-01-06 10:00:00", "2031-01-06 10:30:00")
        self.assertEqual(appointment.employee_id, self.bruno)
        self.assertEqual(appointment.start, datetime(2031, 1, 6, 10))
        self.assertEqual(appointment.duration, 0.5)
        # Resize: the bottom edge dragged to 11:45 local.
        self.Planner.move(appointment.id, self.bruno.id, "2031-01-06 10:00:00", "2031-01-06 10:45:00")
        self.assertEqual(appointment.duration, 0.75)

        other = self.book(datetime(2031, 1, 6, 9), staff=self.anna)
        with self.assertRaisesRegex(ValidationError, "overlaps"), self.env.cr.savepoint():
            self.Planner.move(other.id, self.bruno.id, "2031-01-06 10:15:00", "2031-01-06 10:45:00")
        with self.assertRaisesRegex(ValidationError, "working hours"), self.env.cr.savepoint():
            self.Planner.move(other.id, self.anna.id, "2031-01-06 12:00:00", "2031-01-06 12:30:00")  # lunch
        self.assertEqual((other.employee_id, other.start), (self.anna, datetime(2031, 1, 6, 9)))

    def test_create_finds_or_creates_the_customer(self):
        appointment_id = self.Planner.create_from_planner(
            self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 09:00:00", " Léa Petit ", "+33 6 51 42 73 08"
        )["appointment_id"]
        appointment = self.env["randevu.appointment"].browse(appointment_id)
        self.assertEqual(appointment.partner_id.name, "Léa Petit")
        self.assertEqual(appointment.partner_id.phone, "+33651427308")
        self.assertEqual((appointment.source, appointment.company_id), ("phone", self.branch))
        self.assertEqual((appointment.start, appointment.duration), (datetime(2031, 1, 6, 9), 0.5))

        again = self.Planner.create_from_planner(
            self.branch.id, self.bruno.id, self.haircut.id, "2031-01-06 09:00:00", "Lea", "+33651427308"
        )["appointment_id"]
        self.assertEqual(self.env["randevu.appointment"].browse(again).partner_id, appointment.partner_id)

        walk_in = self.env["randevu.appointment"].browse(
            self.Planner.create_from_planner(self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 13:00:00")[
                "appointment_id"
            ]
        )
        self.assertFalse(walk_in.partner_id)
        self.assertEqual(walk_in.source, "backend")

        colour = self.env["randevu.appointment"].browse(
            self.Planner.create_from_planner(self.branch.id, self.bruno.id, self.colour.id, "2031-01-06 13:00:00", "X")[
                "appointment_id"
            ]
        )
        self.assertEqual(colour.resource_ids, self.room, "the colour room is taken for it")

    def test_create_refused_on_overlap(self):
        self.book(datetime(2031, 1, 6, 9))
        partners = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(ValidationError, "overlaps"), self.env.cr.savepoint():
            self.Planner.create_from_planner(
                self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 09:15:00", "Late Comer", "+33699887766"
            )
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "the new customer went with it")


@tagged("post_install", "-at_install")
class TestDayPlannerTour(HttpCase, RandevuCase):
    """In the browser, as the administrator: book by dragging in Anna's column, move the
    booking to Bruno, fail to move it into his lunch break, stretch it, then check the
    customer in and finish the appointment from its form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_admin").company_ids |= cls.branch
        cls._make_service("Tour Trim", 0.5, cls.anna | cls.bruno)

    def test_day_planner_tour(self):
        self.start_tour(
            f"/odoo/randevu-day-planner?branch_id={self.branch.id}&day=2031-01-06&cids={self.branch.id}",
            "randevu_day_planner_tour",
            login="admin",
        )
        appointment = self.env["randevu.appointment"].search([("partner_id.name", "=", "Tour Customer")])
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.partner_id.phone, "+33699887766")
        self.assertEqual(appointment.employee_id, self.bruno)
        self.assertEqual((appointment.start, appointment.duration), (datetime(2031, 1, 6, 10), 0.75))
        self.assertEqual(appointment.state, "done")
        self.assertEqual(appointment.source, "phone")
