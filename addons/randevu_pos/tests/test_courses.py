from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .course_common import RandevuCourseCase


@tagged("post_install", "-at_install")
class TestCourses(RandevuCourseCase):
    """A course of sessions: sold at the till (deferred revenue, a liability), used by
    the customer's bookings of the service, recognised to revenue session by session,
    and its balance recognised when it expires."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def test_setup_books_courses_as_liability(self):
        self.assertEqual(self.deferred.account_type, "liability_current")
        self.assertTrue(self.deferred.randevu_course_deferred)
        for company in (self.branch, self.branch.parent_id):
            accounts = self.course_product.product_variant_id.with_company(company)._get_product_accounts()
            self.assertEqual(accounts["income"], self.deferred)
        self.assertNotEqual(self.income, self.deferred)

    def test_sold_used_expired(self):
        course = self.sell_course(self.session)
        self.assertEqual(len(course), 1)
        self.assertRecordValues(
            course,
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.branch.id,
                    "service_id": self.laser.id,
                    "sessions_total": 6,
                    "sessions_used": 0,
                    "sessions_left": 6,
                    "amount_total": 240,
                    "state": "active",
                    "sale_date": self.today,
                    "expiry_date": self.today + relativedelta(months=6),
                }
            ],
        )
        self.assertEqual(self.customer.randevu_course_sessions_left, 6)

        # Booking the service uses a session and costs nothing; cancelling frees it.
        first = self.book_laser(14)
        second = self.book_laser(15)
        self.assertEqual((first | second).randevu_course_id, course)
        self.assertEqual((first | second).mapped("price"), [0, 0])
        self.assertEqual((first.randevu_course_session, second.randevu_course_session), ("1/6", "2/6"))
        self.assertEqual(course.sessions_left, 4)
        second.action_cancel()
        self.assertEqual(course.sessions_left, 5)
        self.assertFalse(second.randevu_course_session)
        later = self.book_laser(16, day=self.today + relativedelta(days=7))
        self.assertEqual(later.randevu_course_id, course)
        self.assertEqual(course.sessions_left, 4)
        # Another service, another customer: no session used.
        self.assertFalse(
            self.book(self.local(17), staff=self.anna, service=self.cut, hours_override=True).randevu_course_id
        )

        # The first session performed: 40 from deferred revenue to revenue.
        first.action_arrive()
        first.action_done()
        move = first.randevu_course_move_id
        self.assert_balanced(move)
        self.assertAlmostEqual(self.account_balance(move, self.deferred), 40, 2)
        self.assertAlmostEqual(self.account_balance(move, self.income), -40, 2)
        self.assertEqual(course.amount_left, 200)

        # The till's closing books the sale: the liability credited 240, no revenue.
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        pos_moves = self.session._get_related_account_moves()
        self.assert_balanced(pos_moves)
        self.assertAlmostEqual(self.account_balance(pos_moves, self.deferred), -240, 2)
        self.assertAlmostEqual(self.account_balance(pos_moves, self.income), 0, 2, "no revenue at the sale")
        ledger = pos_moves | move
        self.assertAlmostEqual(self.account_balance(ledger, self.deferred), -200, 2, "5 sessions still owed")
        self.assertAlmostEqual(self.account_balance(ledger, self.income), -40, 2)

        # Past its date: expired, the 200 left recognised in one entry.
        with freeze_time(self.local(12, day=self.today + relativedelta(months=6, days=1))):
            expired = self.env["randevu.course"]._cron_expire()
            self.assertIn(course, expired)
            self.assertEqual(course.state, "expired")
            breakage = course.breakage_move_id
            self.assert_balanced(breakage)
            self.assertAlmostEqual(self.account_balance(breakage, self.deferred), 200, 2)
            self.assertAlmostEqual(self.account_balance(breakage, self.income), -200, 2)
            ledger |= breakage
            self.assertAlmostEqual(self.account_balance(ledger, self.deferred), 0, 2, "nothing owed any more")
            self.assertAlmostEqual(self.account_balance(ledger, self.income), -240, 2, "all of it revenue")
            self.assertEqual(course.amount_left, 0)
            self.assertFalse(self.env["randevu.course"]._cron_expire(), "idempotent")
            # The session booked before the expiry, done after it: nothing left to recognise.
            later.action_arrive()
            later.action_done()
            self.assertFalse(later.randevu_course_move_id)
            # A booking after the expiry is not covered: full price.
            after = self.book_laser(11, day=self.today + relativedelta(months=6, days=2))
            self.assertFalse(after.randevu_course_id)
            self.assertEqual(after.price, 50)
        self.assertEqual(self.customer.randevu_course_sessions_left, 0)

    def test_last_session_takes_the_rest_and_reopening_reverses(self):
        self.course_product.randevu_course_sessions = 7  # 240 / 7 = 34.29, the last 34.26
        course = self.sell_course(self.session)
        appointments = self.env["randevu.appointment"]
        for index in range(7):
            appointments |= self.book_laser(8 + index, day=self.today + relativedelta(days=index))
        self.assertEqual(appointments.randevu_course_id, course)
        self.assertEqual(course.state, "used")
        self.assertFalse(self.book_laser(9, day=self.today + relativedelta(days=10)).randevu_course_id)
        appointments[:6].action_done()
        amounts = [self.account_balance(appt.randevu_course_move_id, self.deferred) for appt in appointments[:6]]
        self.assertEqual(amounts, [34.29] * 6)
        # A no-show forfeits the session: it is earned too, the last share the rest.
        appointments[6].action_no_show()
        last = appointments[6].randevu_course_move_id
        self.assertAlmostEqual(self.account_balance(last, self.deferred), 240 - 6 * 34.29, 2)
        self.assertEqual(course.amount_left, 0)
        # Reopened (the no-show was a mistake): its entry is reversed, the balance owed again.
        appointments[6].action_reset()
        self.assertFalse(appointments[6].randevu_course_move_id)
        self.assertTrue(last.reversal_move_ids)
        self.assert_balanced(last | last.reversal_move_ids)
        self.assertAlmostEqual(course.amount_left, 34.26, 2)

    def test_online_and_chat_bookings_use_a_session(self):
        """The channel-neutral booking service (website, WhatsApp, Instagram) creates
        the appointment: it uses a session and costs nothing, as in the backend."""
        course = self.sell_course(self.session)
        day = next(
            self.today + relativedelta(days=offset)
            for offset in range(3, 10)
            if (self.today + relativedelta(days=offset)).weekday() < 5
        )
        Service = self.env["randevu.booking.service"]
        online = Service._book(self.branch, self.laser, self.anna, self.local(10, day=day), {}, self.customer)
        chat = Service._book(
            self.branch, self.laser, self.anna, self.local(11, day=day), {}, self.customer, source="whatsapp"
        )
        self.assertEqual((online | chat).randevu_course_id, course)
        self.assertEqual((online | chat).mapped("price"), [0, 0])
        self.assertEqual(course.sessions_left, 4)
        Service._cancel(online)
        self.assertEqual(course.sessions_left, 5, "cancelled online: the session is freed")

    def test_course_needs_a_customer(self):
        data = self.order_data(self.session, [(self.course_product.product_variant_id, 240, {})])
        data["partner_id"] = False
        with self.assertRaisesRegex(UserError, "choose the customer"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))

    def test_course_is_the_customers_own(self):
        course = self.sell_course(self.session)
        someone = self.env["res.partner"].create({"name": "Someone Else"})
        self.assertFalse(self.book_laser(14, partner_id=someone.id).randevu_course_id)
        self.assertEqual(course.sessions_left, 6)

    def test_nobody_links_a_course_by_hand(self):
        course = self.sell_course(self.session)
        appointment = self.book(self.local(14), staff=self.anna, service=self.cut, hours_override=True)
        with self.assertRaises(AccessError):
            appointment.with_user(self.desk).write({"randevu_course_id": course.id})
        with self.assertRaises(AccessError):
            self.env["randevu.appointment"].with_user(self.desk).create(
                {
                    "service_id": self.cut.id,
                    "employee_id": self.anna.id,
                    "start": self.local(16),
                    "partner_id": self.customer.id,
                    "randevu_course_id": course.id,
                }
            )
