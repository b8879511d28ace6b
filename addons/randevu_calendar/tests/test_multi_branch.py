import json
from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestMultiBranchStaff(RandevuCase):
    """Camille works in Paris on weekdays (her home branch) and in Lyon on Saturdays
    (10:00-16:00 local). One employee record, so one person is never in two chairs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        weekdays = cls._make_calendar("Paris weekdays", cls.branch, [(9, 13), (14, 18)], days=range(5))
        cls.lyon_saturdays = cls._make_calendar("Lyon Saturdays", cls.lyon, [(10, 16)], days=[5])
        cls.camille = cls._make_staff("Camille", cls.branch, weekdays)
        cls.camille.randevu_branch_line_ids = [
            (0, 0, {"branch_id": cls.lyon.id, "resource_calendar_id": cls.lyon_saturdays.id})
        ]
        cls.trim = cls._make_service("Trim", 0.5, cls.camille)
        cls.saturday = cls.monday + timedelta(days=5)  # 2031-01-11, Paris = UTC+1

    def starts(self, branch, day):
        slots = self.env["randevu.availability"].find_slots(
            self.trim, branch, day, day + timedelta(days=1), now=self.past
        )
        return [slot["start"] for slot in slots if slot["employee_id"] == self.camille.id]

    def book_at(self, branch, start, **values):
        return self.env["randevu.appointment"].create(
            {
                "company_id": branch.id,
                "service_id": self.trim.id,
                "employee_id": self.camille.id,
                "start": start,
                "partner_id": self.customer.id,
                **values,
            }
        )

    def test_works_at_lists_home_and_other_branches(self):
        self.assertEqual(self.camille.randevu_branch_ids, self.branch | self.lyon)
        self.assertEqual(self.camille._randevu_calendar_at(self.lyon), self.lyon_saturdays)
        self.assertEqual(self.camille._randevu_calendar_at(self.branch), self.camille.resource_calendar_id)

    def test_slots_follow_the_hours_of_each_branch(self):
        lyon_saturday = self.starts(self.lyon, self.saturday)
        self.assertEqual(lyon_saturday[0], datetime(2031, 1, 11, 9, 0))  # 10:00 local
        self.assertEqual(lyon_saturday[-1], datetime(2031, 1, 11, 14, 30))  # 15:30 local, ends 16:00
        self.assertFalse(self.starts(self.lyon, self.monday), "no Lyon hours on Mondays")
        self.assertFalse(self.starts(self.branch, self.saturday), "no Paris hours on Saturdays")
        self.assertEqual(self.starts(self.branch, self.monday)[0], datetime(2031, 1, 6, 8, 0))

    def test_booking_checks_the_branch_hours(self):
        appointment = self.book_at(self.lyon, datetime(2031, 1, 11, 9, 0))
        self.assertEqual(appointment.state, "booked")
        with self.assertRaisesRegex(ValidationError, "Camille does not work that day"), self.env.cr.savepoint():
            self.book_at(self.lyon, datetime(2031, 1, 6, 9, 0))  # Monday: she is in Paris

    def test_branch_she_does_not_work_at_is_refused(self):
        marseille = self._make_branch("Marseille", "Europe/Paris")
        with self.assertRaisesRegex(ValidationError, "Camille does not work at Salon Marseille"):
            self.book_at(marseille, datetime(2031, 1, 6, 9, 0))
        self.assertNotIn(self.camille.id, [s["employee_id"] for s in self.starts_all(marseille)])

    def starts_all(self, branch):
        service = self._make_service("Any", 0.5, self.env["hr.employee"])  # everyone at the branch
        return self.env["randevu.availability"].find_slots(
            service, branch, self.monday, self.monday + timedelta(days=1), now=self.past
        )

    def test_one_person_one_chair_across_branches(self):
        """Booked in Paris on Saturday (a manager's override): Lyon no longer offers
        that time, and the database refuses it even with an override."""
        self.book_at(self.branch, datetime(2031, 1, 11, 10, 0), hours_override=True)
        lyon_saturday = self.starts(self.lyon, self.saturday)
        self.assertNotIn(datetime(2031, 1, 11, 10, 0), lyon_saturday)
        self.assertIn(datetime(2031, 1, 11, 9, 0), lyon_saturday)
        with self.assertRaisesRegex(ValidationError, "overlaps"), self.env.cr.savepoint():
            self.book_at(self.lyon, datetime(2031, 1, 11, 10, 15))

    def test_hours_at_two_branches_must_not_overlap(self):
        paris_saturday = self._make_calendar("Saturday in Paris", self.branch, [(9, 12)], days=[5])
        with self.assertRaisesRegex(ValidationError, "at the same time \\(Saturday\\)"), self.env.cr.savepoint():
            self.camille.resource_calendar_id = paris_saturday
        marseille = self._make_branch("Marseille", "Europe/Paris")
        monday_mornings = self._make_calendar("Marseille Mondays", marseille, [(11, 15)], days=[0])
        with self.assertRaisesRegex(ValidationError, "at the same time \\(Monday\\)"), self.env.cr.savepoint():
            self.camille.randevu_branch_line_ids = [
                (0, 0, {"branch_id": marseille.id, "resource_calendar_id": monday_mornings.id})
            ]

    def test_home_branch_is_not_listed_again(self):
        sundays = self._make_calendar("Paris Sundays", self.branch, [(10, 12)], days=[6])
        with self.assertRaisesRegex(ValidationError, "already the home branch"), self.env.cr.savepoint():
            self.camille.randevu_branch_line_ids = [
                (0, 0, {"branch_id": self.branch.id, "resource_calendar_id": sundays.id})
            ]

    def test_lyon_receptionist_books_and_plans_her(self):
        """A Lyon receptionist who cannot read Paris sees Camille in the Lyon planner
        on Saturday (hours greyed outside 10-16) and books her there."""
        receptionist = self.make_user(
            "rv_lyon_desk",
            "base.group_user,randevu_calendar.group_randevu_user",
            self.lyon,
            companies=self.lyon | self.env.ref("base.main_company"),
        )
        planner = self.env["randevu.day.planner"].with_user(receptionist)
        saturday = planner.get_day(self.lyon.id, "2031-01-11")
        column = next(column for column in saturday["staff"] if column["id"] == self.camille.id)
        first, last = saturday["range"]
        self.assertEqual(column["off"], [(first, 10 * 60), (16 * 60, last)])
        monday = planner.get_day(self.lyon.id, "2031-01-06")
        column = next(column for column in monday["staff"] if column["id"] == self.camille.id)
        self.assertEqual(column["off"], [tuple(monday["range"])], "off all Monday in Lyon")
        self.env.invalidate_all()  # nothing read as superuser may help the receptionist's checks
        appointment = (
            self.env["randevu.appointment"]
            .with_user(receptionist)
            .with_company(self.lyon)
            .create(
                {
                    "company_id": self.lyon.id,
                    "service_id": self.trim.id,
                    "employee_id": self.camille.id,
                    "start": datetime(2031, 1, 11, 13, 0),
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertEqual(appointment.employee_id, self.camille)


@tagged("post_install", "-at_install")
class TestWeekWizardPerBranch(HttpCase, TestMultiBranchStaff):
    """The week wizard of a staff member working in two branches, as a Randevu manager
    through JSON-RPC: the week of the branch picked is written (the branch line's
    schedule in Lyon, the working schedule at home), and what the engine reads follows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = "base.group_user,randevu_calendar.group_randevu_manager"
        cls.manager = cls.make_user("week_branches_mgr", manager, cls.branch, cls.branch | cls.lyon)
        cls.paris_manager = cls.make_user("week_paris_mgr", manager, cls.branch)

    def call_kw(self, method, *args):
        body = {"model": "randevu.staff.week.wizard", "method": method, "args": list(args), "kwargs": {}}
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": body}),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def wizard(self, user, **values):
        """Create the wizard and apply it as `user`: the JSON-RPC answer (the first error)."""
        self.authenticate(user.login, user.login)
        created = self.call_kw("create", {"employee_id": self.camille.id, **values})
        if "error" in created:
            return created
        return self.call_kw("action_apply", [created["result"]])

    def test_branch_defaults_to_the_home_branch(self):
        wizard = self.env["randevu.staff.week.wizard"].create({"employee_id": self.camille.id})
        self.assertEqual(wizard.branch_id, self.branch)
        self.assertEqual(wizard.employee_branch_ids, self.branch | self.lyon)

    def test_week_of_another_branch(self):
        paris_hours = self.camille.resource_calendar_id
        paris_attendances = paris_hours.attendance_ids.read(["dayofweek", "hour_from", "hour_to"])
        saturdays = {day: day == "sat" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        self.wizard(self.manager, branch_id=self.lyon.id, **saturdays, hour_from=11, hour_to=17, has_break=False)
        lyon_hours = self.camille._randevu_calendar_at(self.lyon)
        self.assertEqual(lyon_hours, self.lyon_saturdays, "her own Lyon schedule, written in place")
        self.assertEqual(
            [(att.dayofweek, att.hour_from, att.hour_to) for att in lyon_hours.attendance_ids], [("5", 11, 17)]
        )
        self.assertEqual(self.camille.resource_calendar_id, paris_hours, "Paris untouched")
        self.assertEqual(paris_hours.attendance_ids.read(["dayofweek", "hour_from", "hour_to"]), paris_attendances)
        lyon_saturday = self.starts(self.lyon, self.saturday)
        self.assertEqual(lyon_saturday[0], datetime(2031, 1, 11, 10, 0), "11:00 local, what the engine reads")
        self.assertEqual(lyon_saturday[-1], datetime(2031, 1, 11, 15, 30), "16:30 local, ends 17:00")

    def test_week_of_the_home_branch(self):
        weekdays = {day: day in ("mon", "tue") for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        self.wizard(self.manager, branch_id=self.branch.id, **weekdays, hour_from=8, hour_to=12, has_break=False)
        self.assertEqual(
            sorted(
                {
                    (att.dayofweek, att.hour_from, att.hour_to)
                    for att in self.camille.resource_calendar_id.attendance_ids
                }
            ),
            [("0", 8, 12), ("1", 8, 12)],
        )
        self.assertEqual(self.camille._randevu_calendar_at(self.lyon), self.lyon_saturdays, "Lyon untouched")

    def test_shared_schedule_gets_a_copy(self):
        """A branch line on the branch's standard hours: Camille gets a Lyon schedule of her own."""
        line = self.camille.randevu_branch_line_ids
        line.resource_calendar_id = self._make_calendar("Lyon Sundays", self.lyon, [(10, 12)], days=[6])
        colleague = self._make_staff("Dora", self.lyon, line.resource_calendar_id)
        sundays = {day: day == "sun" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        self.wizard(self.manager, branch_id=self.lyon.id, **sundays, hour_from=9, hour_to=15, has_break=False)
        self.assertNotEqual(line.resource_calendar_id, colleague.resource_calendar_id)
        self.assertEqual(line.resource_calendar_id.company_id, self.lyon)
        self.assertEqual(line.resource_calendar_id.attendance_ids.mapped("hour_to"), [15])
        self.assertEqual(colleague.resource_calendar_id.attendance_ids.mapped("hour_to"), [12], "Dora's untouched")

    def test_refusals(self):
        # Lyon on Mondays 10-12 would clash with her Paris Mondays.
        mondays = {day: day == "mon" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        answer = self.wizard(self.manager, branch_id=self.lyon.id, **mondays, hour_from=10, hour_to=12, has_break=False)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.ValidationError", answer)
        self.assertIn("at the same time", answer["error"]["data"]["message"])
        # A manager of Paris alone does not set her Lyon week.
        answer = self.wizard(self.paris_manager, branch_id=self.lyon.id)
        self.assertIn("error", answer, answer)
        # A branch she does not work at.
        marseille = self._make_branch("Marseille", "Europe/Paris")
        self.manager.company_ids |= marseille
        answer = self.wizard(self.manager, branch_id=marseille.id)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.ValidationError", answer)
        self.assertEqual(self.camille._randevu_calendar_at(self.lyon).attendance_ids.mapped("dayofweek"), ["5"])
