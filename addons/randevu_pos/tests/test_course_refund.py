import io

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .course_common import RandevuCourseCase
from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestCourseRefund(RandevuCourseCase, RandevuPosRefundCase):
    """A course refunded at the till is cancelled: the sessions not performed are given
    back (at most the balance left), the deferred revenue is emptied by the refund (what
    the salon keeps above the refund recognised at once), its expiry recognises nothing.
    And the XLSX's Course Liabilities sheet."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def perform(self, *hours):
        appointments = self.env["randevu.appointment"]
        for hour in hours:
            appointment = self.book_laser(hour)
            appointment.action_arrive()
            appointment.action_done()
            appointments |= appointment
        return appointments

    def refund_course(self, course, amount):
        """The till's refund of `course`'s sale line at `amount` (the cashier lowered the
        price to the sessions not performed), approved by Mara's PIN."""
        line = course.pos_order_line_id
        data = self.refund_data(self.session, line.order_id, lines=line, pin="4321")
        __, __, values = data["lines"][0]
        values.update(price_unit=amount, price_subtotal=-amount, price_subtotal_incl=-amount)
        data.update(amount_paid=-amount, amount_total=-amount)
        data["payment_ids"][0][2]["amount"] = -amount
        self.sync(data)
        return self.order_of(data)

    def test_partial_refund_after_two_sessions(self):
        course = self.sell_course(self.session)
        sessions = self.perform(14, 15)
        self.assertEqual(course.amount_left, 160)

        refund = self.refund_course(course, 160)
        self.assertEqual(refund.state, "paid")
        self.assertRecordValues(
            course,
            [
                {
                    "state": "refunded",
                    "refund_line_id": refund.lines.id,
                    "refund_amount": 160,
                    "amount_left": 0,
                    "sessions_left": 0,
                    "sessions_used": 2,
                }
            ],
        )
        self.assertFalse(course.breakage_move_id, "all the balance left was given back")
        # A booking after the refund is not covered.
        self.assertFalse(self.book_laser(16).randevu_course_id)

        # The closing: the sale credits the liability 240, the refund debits it 160; the
        # two sessions moved 80 to revenue: the course owes nothing.
        self.session.action_pos_session_closing_control()
        pos_moves = self.session._get_related_account_moves()
        self.assert_balanced(pos_moves)
        self.assertAlmostEqual(self.account_balance(pos_moves, self.deferred), -80, 2)
        ledger = pos_moves | sessions.randevu_course_move_id
        self.assertAlmostEqual(self.account_balance(ledger, self.deferred), 0, 2)
        self.assertAlmostEqual(self.account_balance(ledger, self.income), -80, 2)

        # Its expiry recognises nothing (no breakage of what was refunded).
        with freeze_time(self.local(12, day=self.today + relativedelta(months=6, days=1))):
            self.assertFalse(self.env["randevu.course"]._cron_expire() & course)
        self.assertFalse(course.breakage_move_id)
        self.assertFalse(course.expired)

    def test_refund_above_the_balance_left_refused(self):
        course = self.sell_course(self.session)
        self.perform(14, 15)
        with self.assertRaisesRegex(UserError, "160.00"), self.env.cr.savepoint():
            self.refund_course(course, 240)
        self.assertEqual(course.state, "active")
        self.assertEqual(course.amount_left, 160)
        self.assertFalse(course.pos_order_line_id.refund_orderline_ids, "nothing of the refund saved")

    def test_booked_session_refused_then_full_refund(self):
        course = self.sell_course(self.session)
        booked = self.book_laser(15)
        self.assertEqual(booked.randevu_course_id, course)
        with self.assertRaisesRegex(UserError, "cancel them"), self.env.cr.savepoint():
            self.refund_course(course, 240)
        self.assertEqual(course.state, "active")
        booked.action_cancel()
        self.refund_course(course, 240)
        self.assertEqual((course.state, course.amount_left, course.refund_amount), ("refunded", 0, 240))
        self.assertFalse(course.breakage_move_id)

    def test_refund_less_than_the_balance_keeps_the_rest(self):
        course = self.sell_course(self.session)
        sessions = self.perform(14, 15)
        self.refund_course(course, 100)
        kept = course.breakage_move_id
        self.assert_balanced(kept)
        self.assertAlmostEqual(self.account_balance(kept, self.deferred), 60, 2)
        self.assertAlmostEqual(self.account_balance(kept, self.income), -60, 2)
        self.assertEqual(course.amount_left, 0)
        self.session.action_pos_session_closing_control()
        ledger = self.session._get_related_account_moves() | sessions.randevu_course_move_id | kept
        self.assertAlmostEqual(self.account_balance(ledger, self.deferred), 0, 2)
        self.assertAlmostEqual(self.account_balance(ledger, self.income), -140, 2)

    def test_course_liabilities_sheet(self):
        other = self.env["res.partner"].create({"name": "Ahmet Kaya"})
        course = self.sell_course(self.session)
        self.perform(14)
        second = self.sell_course(self.session, partner=other)
        refunded = self.sell_course(self.session, partner=other)
        self.refund_course(refunded, 240)
        wizard = self.env["randevu.report.wizard"].create(
            {"date_from": self.today, "date_to": self.today, "branch_ids": [(6, 0, self.branch.ids)]}
        )
        content = wizard._xlsx_content()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Course Liabilities"]
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Course Liabilities"]
        self.assertEqual(
            [values[f"{column}5"].value for column in "ABCDEF"],
            ["Branch", "Currency", "Customer", "Course", "Sessions Left", "Balance Left"],
        )
        rows = [[values[f"{column}{row}"].value for column in "CDEF"] for row in (6, 7)]
        self.assertEqual(rows, [["Ahmet Kaya", second.name, 6, 240], [self.customer.name, course.name, 5, 200]])
        self.assertEqual(values["A8"].value, "Total")
        self.assertEqual([sheet[f"{column}8"].value for column in "EF"], ["=SUM(E6:E7)", "=SUM(F6:F7)"])
        # The Course Liabilities pivot's totals (its rows: the branch, still owed).
        courses = self.env["randevu.course"].search(
            [("company_id", "=", self.branch.id), ("state", "in", ("active", "used"))]
        )
        [[sessions_left]] = self.env["randevu.course"]._read_group(
            [("id", "in", courses.ids)], [], ["sessions_left:sum"]
        )
        self.assertEqual(values["E8"].value, sessions_left)
        self.assertEqual(values["F8"].value, sum(courses.mapped("amount_left")))
        self.assertEqual(values["F8"].value, 440)
