from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestTimeOff(RandevuCase):
    """With Odoo's Time Off app (hr_holidays, installed next to our addons by `make
    test`), an approved leave request blocks bookings, a refused one does not."""

    def setUp(self):
        super().setUp()
        if "hr.leave" not in self.env:
            self.skipTest("hr_holidays is not installed: approved time off is not read from hr.leave")
        self.leave_type = self.env["hr.leave.type"].create(
            {
                "name": "Paid time off",
                "requires_allocation": "no",
                "leave_validation_type": "hr",
                "company_id": self.branch.id,
            }
        )

    def request(self):
        return (
            self.env["hr.leave"]
            .with_company(self.branch)
            .create(
                {
                    "name": "Wedding",
                    "employee_id": self.anna.id,
                    "holiday_status_id": self.leave_type.id,
                    "request_date_from": "2031-01-06",
                    "request_date_to": "2031-01-06",
                }
            )
        )

    def anna_starts(self):
        slots = self.env["randevu.availability"].find_slots(
            self.haircut, self.branch, self.monday, datetime(2031, 1, 7), staff=self.anna, now=self.past
        )
        return [slot["start"] for slot in slots]

    def test_approved_leave_blocks_the_day(self):
        leave = self.request()
        self.assertTrue(self.anna_starts(), "a request waiting for approval does not block")
        leave.action_validate()
        self.assertEqual(leave.state, "validate")
        self.assertFalse(self.anna_starts())
        with self.assertRaisesRegex(ValidationError, "Anna is on leave then"), self.env.cr.savepoint():
            self.book(datetime(2031, 1, 6, 9, 0))

    def test_refused_leave_frees_the_day_again(self):
        leave = self.request()
        leave.action_validate()
        leave.action_refuse()
        self.assertEqual(self.anna_starts()[0], datetime(2031, 1, 6, 8, 0))
