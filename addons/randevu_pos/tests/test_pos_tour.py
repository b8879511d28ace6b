from odoo.tests import HttpCase, tagged

from .common import RandevuPosCase
from .course_common import RandevuCourseCase


@tagged("post_install", "-at_install")
class TestPosTour(HttpCase, RandevuPosCase):
    """The front desk at the till (Chromium): opens the register, the Appointments list,
    picks Chloé's visit (a cut by Anna, a blow-dry by Bruno), adds a shampoo, pays cash
    and sees the services with their staff on the receipt."""

    def test_checkout_tour(self):
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_checkout_tour", login="pos_desk")
        appointments = self.cut_appt | self.blow_appt
        self.assertEqual(appointments.mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(appointments.mapped("state"), ["done", "done"])
        order = self.cut_appt.randevu_pos_order_id
        self.assertEqual(order, self.blow_appt.randevu_pos_order_id)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.amount_total, 28 + 20 + 12)
        by_product = {line.product_id: line for line in order.lines}
        self.assertEqual(by_product[self.cut.product_variant_id].randevu_employee_id, self.anna)
        self.assertEqual(by_product[self.blow_dry.product_variant_id].randevu_employee_id, self.bruno)
        self.assertFalse(by_product[self.shampoo].randevu_appointment_id)


@tagged("post_install", "-at_install")
class TestPosMobileTour(HttpCase, RandevuPosCase):
    """The same till on a phone (Chromium at 390 px): Appointments is offered beside Pay
    and Cart (Odoo shows no control bar there) and in the cart's action pad; the phone
    number is in the branch's format; picking the cut puts it in the cart with Anna."""

    browser_size = "390x844"
    touch_enabled = True

    def test_mobile_tour(self):
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_mobile_tour", login="pos_desk")


@tagged("post_install", "-at_install")
class TestPosCourseTour(HttpCase, RandevuCourseCase):
    """A laser appointment covered by Chloé's course (her third session of six) shows
    "Course session 3/6" in today's list, on the till's line and on the receipt."""

    def test_course_session_tour(self):
        session = self.open_session()
        course = self.sell_course(session)
        appointments = self.book_laser(8) | self.book_laser(9) | self.book_laser(17)
        self.assertEqual(appointments.randevu_course_id, course)
        self.assertEqual(appointments[2].randevu_course_session, "3/6")
        rows = {row["id"]: row for row in self.config.with_user(self.desk).randevu_pos_appointments()}
        self.assertEqual(rows[appointments[2].id]["course_session"], "3/6")
        self.assertEqual(rows[self.cut_appt.id]["course_session"], "", "not covered by a course")
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_course_tour", login="pos_desk")
        self.assertEqual(appointments[2].payment_state, "paid")
        self.assertEqual(appointments[2].randevu_pos_order_id.amount_total, 12)
