from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
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
        self.assertEqual(
            data["branch"],
            {"id": self.branch.id, "name": "Salon Paris", "tz": "Europe/Paris", "tz_label": "Paris (GMT+1)"},
        )
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
        with self.assertRaisesRegex(ValidationError, "would run into Anna's break"), self.env.cr.savepoint():
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
class TestDayPlannerSaturday(RandevuCase):
    """What a receptionist reads on a busy day: the summary, the markers on the blocks,
    the warnings, the labels of days off and closed days, walk-ins and the customer
    search. Paris is UTC+1 in January: 10:00 local is 09:00 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Planner = cls.env["randevu.day.planner"]
        cls.day = "2031-01-06"

    def get_day(self, day=None):
        return self.Planner.get_day(self.branch.id, day or self.day)

    def blocks(self, data):
        return {block["id"]: block for block in data["appointments"]}

    def test_summary_figures(self):
        self.book(datetime(2031, 1, 6, 9))  # Anna 10:00-10:30, cleaning until 10:45
        self.book(datetime(2031, 1, 6, 13), staff=self.bruno, service=self.colour)  # Bruno 14:00-16:00
        self.book(datetime(2031, 1, 6, 15), staff=self.bruno).action_cancel()
        summary = self.get_day()["summary"]
        self.assertEqual(summary["appointments"], 2, "cancelled ones do not count")
        self.assertEqual(summary["revenue"], 80.0)
        self.assertIn("80.00", summary["revenue_label"])
        self.assertIn(self.branch.currency_id.symbol, summary["revenue_label"])
        # Anna: 09-10, 10:45-13, 14-18 (435 min); Bruno: 09-13, 14:30-15:30 while the
        # colour develops, 16-18 (420 min).
        self.assertEqual((summary["free_minutes"], summary["free_gaps"]), (855, 6))
        self.assertEqual(summary["in_now"], [], "another day than today: no one is in")

    def test_who_is_in_now_and_free_time_from_now(self):
        arrived = self.book(datetime(2031, 1, 6, 9))
        self.book(datetime(2031, 1, 6, 9), staff=self.bruno, partner_id=False)
        with freeze_time("2031-01-06 09:10:00"):
            arrived.action_arrive()
            summary = self.get_day()["summary"]
        self.assertEqual(summary["in_now"], ["Chloé Martin"])
        # From 10:10: Anna 10:45-13 and 14-18, Bruno 10:45-13 and 14-18 (the walk-in's cleaning).
        self.assertEqual((summary["free_minutes"], summary["free_gaps"]), (2 * (135 + 240), 4))

    def test_markers_note_first_visit_deposit(self):
        self.customer.randevu_customer_note = "Allergic to ammonia"
        first = self.book(datetime(2031, 1, 6, 9))
        second = self.book(datetime(2031, 1, 6, 14), payment_state="deposit")
        newcomer = self.env["res.partner"].create({"name": "Deniz Yilmaz"})
        regular = self.env["res.partner"].create({"name": "Eda Kaya"})
        self.book(datetime(2030, 11, 4, 9), partner_id=regular.id).write({"state": "done"})
        walk_in = self.book(datetime(2031, 1, 6, 10), staff=self.bruno, partner_id=newcomer.id)
        back = self.book(datetime(2031, 1, 6, 11), staff=self.bruno, partner_id=regular.id)
        blocks = self.blocks(self.get_day())

        def keys(appointment):
            return [marker["key"] for marker in blocks[appointment.id]["markers"]]

        self.assertEqual(keys(first), ["note", "first"])
        self.assertEqual(blocks[first.id]["markers"][0]["title"], "Allergic to ammonia")
        self.assertEqual(keys(second), ["note", "deposit"], "her second visit the same day is not a first")
        self.assertEqual(keys(walk_in), ["first"])
        self.assertEqual(keys(back), [], "a regular: no marker")

    def test_double_booking_warning(self):
        anna = self.book(datetime(2031, 1, 6, 9))
        bruno = self.book(datetime(2031, 1, 6, 9, 15), staff=self.bruno)
        later = self.book(datetime(2031, 1, 6, 14), staff=self.bruno)
        data = self.get_day()
        blocks = self.blocks(data)
        self.assertEqual(
            [warning["message"] for warning in data["warnings"]],
            ["Chloé Martin is booked twice at the same time: 10:00-10:30 with Anna and 10:15-10:45 with Bruno."],
        )
        self.assertEqual(data["warnings"][0]["appointment_ids"], [anna.id, bruno.id])
        self.assertEqual([blocks[appt.id]["double_booked"] for appt in (anna, bruno, later)], [True, True, False])

    def test_off_and_closed_days_labelled(self):
        carla = self._make_staff(
            "Carla", self.branch, self._make_calendar("Weekdays", self.branch, [(9, 18)], days=range(5))
        )
        self.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": carla.id})]
        # Her branches (a stored many2many) are written to the database before searching.
        self.env.flush_all()
        saturday = self.get_day("2031-01-11")
        self.assertFalse(saturday["closed"])
        statuses = {column["name"]: column["status"] for column in saturday["staff"]}
        self.assertEqual(statuses, {"Anna": "", "Bruno": "", "Carla": "Off"})
        self.assertEqual(self.get_day("2031-01-12")["closed"], "Closed", "Sunday: no opening hours")
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Armistice Day",
                "calendar_id": self.branch.resource_calendar_id.id,
                "date_from": datetime(2031, 1, 6, 23),
                "date_to": datetime(2031, 1, 7, 23),
            }
        )
        holiday = self.get_day("2031-01-07")
        self.assertEqual(holiday["closed"], "Closed — Armistice Day")
        self.assertEqual({column["status"] for column in holiday["staff"]}, {""}, "the day, not each column")
        self.assertFalse(self.get_day()["closed"])
        self.assertIn(carla.id, [column["id"] for column in holiday["staff"]])

    def test_time_zone_label(self):
        self.assertEqual(self.get_day("2031-07-07")["branch"]["tz_label"], "Paris (GMT+2)")
        istanbul = self._make_branch("Istanbul", "Europe/Istanbul")
        self.assertEqual(self.Planner.get_day(istanbul.id, self.day)["branch"]["tz_label"], "Istanbul (GMT+3)")
        kolkata = self._make_branch("Kolkata", "Asia/Kolkata")
        self.assertEqual(self.Planner.get_day(kolkata.id, self.day)["branch"]["tz_label"], "Kolkata (GMT+5:30)")

    def test_walk_in_now_or_next_free_moment(self):
        self.book(datetime(2031, 1, 6, 9))  # Anna busy 10:00-10:45 local
        with freeze_time("2031-01-06 09:07:00"):
            with_anna = self.Planner.walk_in(self.branch.id, self.haircut.id, self.anna.id)
            anyone = self.Planner.walk_in(self.branch.id, self.haircut.id, False, "Deniz Yilmaz", "+33758445566")
        self.assertEqual((with_anna["employee"], with_anna["time"], with_anna["day"]), ("Anna", "10:45", self.day))
        self.assertEqual((anyone["employee"], anyone["time"]), ("Bruno", "10:10"), "now, to the next 5 minutes")
        appointment = self.env["randevu.appointment"].browse(anyone["appointment_id"])
        self.assertEqual((appointment.source, appointment.partner_id.name), ("walk_in", "Deniz Yilmaz"))
        self.assertFalse(self.env["randevu.appointment"].browse(with_anna["appointment_id"]).partner_id)
        with freeze_time("2031-01-06 16:50:00"), self.assertRaisesRegex(UserError, "any more today"):
            self.Planner.walk_in(self.branch.id, self.haircut.id)

    def test_customer_search_jumps_to_the_next_appointment(self):
        self.book(datetime(2031, 1, 3, 9))  # past
        upcoming = self.book(datetime(2031, 1, 8, 9), staff=self.bruno)
        self.book(datetime(2031, 1, 9, 9))
        with freeze_time("2031-01-06 08:00:00"):
            by_name = self.Planner.find_next_appointment(self.branch.id, "chloé")
            by_phone = self.Planner.find_next_appointment(self.branch.id, "45019283")
            nobody = self.Planner.find_next_appointment(self.branch.id, "Nobody")
        self.assertEqual(by_name, {"appointment_id": upcoming.id, "day": "2031-01-08", "partner": "Chloé Martin"})
        self.assertEqual(by_phone, by_name)
        self.assertFalse(nobody)

    def test_planner_refusal_names_the_buffer(self):
        appointment = self.book(datetime(2031, 1, 6, 9))
        with (
            self.assertRaisesRegex(
                ValidationError, r"the 15-min buffer after Haircut would end after closing \(18:00\)"
            ),
            self.env.cr.savepoint(),
        ):
            self.Planner.move(appointment.id, self.anna.id, "2031-01-06 16:30:00", "2031-01-06 17:00:00")
        with self.assertRaisesRegex(ValidationError, "Anna is on leave then"), self.env.cr.savepoint():
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Dentist",
                    "resource_id": self.anna.resource_id.id,
                    "date_from": datetime(2031, 1, 6, 14),
                    "date_to": datetime(2031, 1, 6, 15),
                }
            )
            self.Planner.create_from_planner(self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 14:00:00")
        with self.assertRaisesRegex(ValidationError, "overlaps another appointment of Anna"), self.env.cr.savepoint():
            self.Planner.create_from_planner(self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 09:15:00")


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


@tagged("post_install", "-at_install")
class TestReceptionistSaturdayTour(HttpCase, RandevuCase):
    """The receptionist's busy day in the browser, on today's planner (real time: the
    branch is open around the clock, in a time zone where it is daytime now): a new
    client by phone with "+ New", a walk-in with W, checking the walk-in in, a customer
    search that jumps to her next appointment, and the day's figures."""

    # Real cities, west to east: the one where it is closest to noon now hosts the tour.
    _TIMEZONES = (
        "Pacific/Honolulu",
        "America/Los_Angeles",
        "America/New_York",
        "America/Sao_Paulo",
        "Europe/London",
        "Europe/Istanbul",
        "Asia/Dubai",
        "Asia/Kolkata",
        "Asia/Bangkok",
        "Asia/Tokyo",
        "Pacific/Auckland",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = datetime.now(pytz.utc)

        def from_noon(name):
            local = now.astimezone(pytz.timezone(name))
            return abs(local.hour * 60 + local.minute - 12 * 60)

        tz = min(cls._TIMEZONES, key=from_noon)
        cls.kadikoy = cls._make_branch("Kadikoy", tz)
        cls.kadikoy.resource_calendar_id.attendance_ids = [(5, 0, 0)] + [
            (0, 0, {"name": str(day), "dayofweek": str(day), "hour_from": 0, "hour_to": 24, "day_period": "morning"})
            for day in range(7)
        ]
        always = cls._make_calendar("Around the clock", cls.kadikoy, [(0, 24)], days=range(7))
        cls.ayse = cls._make_staff("Ayşe", cls.kadikoy, always)
        cls.burak = cls._make_staff("Burak", cls.kadikoy, always)
        cls.blow_dry = cls._make_service("Blow-dry", 0.5, cls.ayse | cls.burak, company_id=cls.kadikoy.id)
        cls.receptionist = cls.make_user(
            "rv_saturday_reception", "base.group_user,randevu_calendar.group_randevu_user", cls.kadikoy
        )
        zeynep = cls.env["res.partner"].create({"name": "Zeynep Arslan", "phone": "+905389990011"})
        cls.env["randevu.appointment"].create(
            {
                "company_id": cls.kadikoy.id,
                "service_id": cls.blow_dry.id,
                "employee_id": cls.burak.id,
                "start": fields.Datetime.now().replace(second=0, microsecond=0) + timedelta(days=3),
                "partner_id": zeynep.id,
            }
        )

    def test_receptionist_saturday_tour(self):
        self.start_tour(
            "/odoo/randevu-day-planner", "randevu_receptionist_saturday_tour", login=self.receptionist.login
        )
        Appointment = self.env["randevu.appointment"]
        selin = Appointment.search([("company_id", "=", self.kadikoy.id), ("partner_id.name", "=", "Selin Demir")])
        self.assertRecordValues(
            selin, [{"source": "phone", "employee_id": self.ayse.id, "company_id": self.kadikoy.id, "state": "booked"}]
        )
        self.assertEqual(selin.partner_id.phone, "+905382468013")
        walk_in = Appointment.search([("company_id", "=", self.kadikoy.id), ("source", "=", "walk_in")])
        self.assertRecordValues(walk_in, [{"partner_id": False, "state": "arrived", "service_id": self.blow_dry.id}])
