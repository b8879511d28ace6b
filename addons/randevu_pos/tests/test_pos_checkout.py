from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RandevuPosCase


@tagged("post_install", "-at_install")
class TestPosCheckout(RandevuPosCase):
    """Paying an order at the till completes its appointments, in the order's sync."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def sync(self, data, user=None):
        return self.env["pos.order"].with_user(user or self.desk).sync_from_ui([data])

    def order_of(self, data):
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def test_paying_completes_the_visit(self):
        session = self.open_session()
        data = self.order_data(
            session,
            self.checkout_lines(
                self.cut_appt, self.blow_appt, extra=[(self.shampoo, 12, {"randevu_employee_id": self.bruno.id})]
            ),
        )
        data["lines"][1][2]["randevu_employee_id"] = self.anna.id
        self.sync(data)
        order = self.order_of(data)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_total, 28 + 20 + 12)
        self.assertEqual([line.randevu_employee_id.name for line in order.lines], ["Anna", "Anna", "Bruno"])
        appointments = self.cut_appt | self.blow_appt
        self.assertEqual(appointments.mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(appointments.mapped("state"), ["done", "done"])
        self.assertEqual(appointments.mapped("randevu_pos_order_id"), order)
        self.assertEqual(order.randevu_appointment_ids, appointments)
        self.assertIn(order.name, self.cut_appt.message_ids[0].body)
        action = self.cut_appt.action_randevu_open_pos_order()
        self.assertEqual((action["res_model"], action["res_id"]), ("pos.order", order.id))

    def test_confirmed_stays_confirmed(self):
        later = self.book(self.local(15), staff=self.anna, service=self.cut, hours_override=True)
        later.action_confirm()
        session = self.open_session()
        self.sync(self.order_data(session, self.checkout_lines(later)))
        self.assertEqual((later.payment_state, later.state), ("paid", "confirmed"), "paid ahead, still to come")

    def test_never_paid_twice(self):
        session = self.open_session()
        first = self.order_data(session, self.checkout_lines(self.cut_appt))
        self.sync(first)
        orders = self.env["pos.order"].search_count([])
        second = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        with self.assertRaisesRegex(UserError, "Chloé Martin.*is already paid"), self.env.cr.savepoint():
            self.sync(second)
        self.assertEqual(self.env["pos.order"].search_count([]), orders, "the second order is not saved")
        self.assertEqual(self.blow_appt.payment_state, "not_paid", "nothing of the refused order is kept")
        self.assertEqual(self.cut_appt.randevu_pos_order_id, self.order_of(first))
        twice = self.order_data(session, self.checkout_lines(self.blow_appt, self.blow_appt))
        with self.assertRaisesRegex(UserError, "is already paid"), self.env.cr.savepoint():
            self.sync(twice)
        self.assertEqual(self.blow_appt.payment_state, "not_paid")

    def test_draft_order_completes_nothing(self):
        session = self.open_session()
        self.sync(self.order_data(session, self.checkout_lines(self.cut_appt), paid=False))
        self.assertEqual((self.cut_appt.payment_state, self.cut_appt.state), ("not_paid", "arrived"))

    def test_cancelled_refused(self):
        later = self.book(self.local(15), staff=self.anna, service=self.cut, hours_override=True)
        later.action_cancel()
        session = self.open_session()
        with self.assertRaisesRegex(UserError, "called off"), self.env.cr.savepoint():
            self.sync(self.order_data(session, self.checkout_lines(later)))
        self.assertEqual(later.payment_state, "not_paid")
