from odoo.exceptions import UserError
from odoo.tests import tagged

from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosRefundBackend(RandevuPosRefundCase):
    """The backend's Return Products asks the reason and a manager's approval as the
    till does; its draft refund is paid back from the form only with them; wrong PINs
    are limited per cashier."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()
        self.order = self.checkout(self.session, self.cut_appt, self.blow_appt)
        self.addCleanup(self._forget_attempts)

    def _forget_attempts(self):
        # The attempts are committed on a connection of their own: not rolled back with the test.
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM randevu_pos_pin_attempt WHERE user_ref IN %s", [(self.desk.id, self.boss.id)])

    def wizard(self, user, reason="not_performed", pin=None):
        action = self.order.with_user(user).refund()
        self.assertEqual(action["res_model"], "randevu.pos.refund.wizard")
        return (
            self.env["randevu.pos.refund.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({"reason": reason, "pin": pin})
        )

    def refunds(self):
        return self.env["pos.order"].search([("lines.refunded_orderline_id.order_id", "=", self.order.id)])

    def pay_back(self, refund, user):
        payment = (
            self.env["pos.make.payment"]
            .with_user(user)
            .with_context(active_id=refund.id)
            .create({"amount": refund.amount_total, "payment_method_id": self.cash.id})
        )
        return payment.check()

    def test_return_products_with_manager_pin(self):
        wizard = self.wizard(self.desk, pin="4321")
        self.assertTrue(wizard.needs_pin)
        action = wizard.action_confirm()
        refund = self.refunds()
        self.assertEqual(action["res_id"], refund.id)
        self.assertEqual(refund.state, "draft")
        self.assertEqual(
            (refund.randevu_refund_reason, refund.randevu_refund_approved_by_id), ("not_performed", self.boss)
        )
        self.pay_back(refund, self.boss)  # Odoo's payment form: POS managers
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.amount_total, -48)
        cut_line = refund.lines.filtered(lambda line: line.randevu_appointment_id == self.cut_appt)
        self.assertEqual(cut_line.randevu_employee_id, self.anna, "the commission is clawed back from it")
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["not_paid", "not_paid"])
        self.assertIn("Refunded at the till", self.cut_appt.message_ids[0].body)

    def test_manager_needs_no_pin(self):
        wizard = self.wizard(self.boss)
        self.assertFalse(wizard.needs_pin)
        wizard.action_confirm()
        self.assertEqual(self.refunds().randevu_refund_approved_by_id, self.boss)

    def test_refused_without_approval(self):
        for pin, message in ((None, "manager"), ("0000", "not a POS manager"), ("9999", "not a POS manager")):
            with self.subTest(pin=pin), self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
                self.wizard(self.desk, pin=pin).action_confirm()
        self.assertFalse(self.refunds(), "no refund made")
        # A refund made without the wizard (a draft from the till) is not paid back from its form.
        draft = self.refund_data(self.session, self.order, reason=False, state="draft")
        draft["payment_ids"] = []
        self.sync(draft)
        refund = self.order_of(draft)
        with self.assertRaisesRegex(UserError, "without a reason"), self.env.cr.savepoint():
            self.pay_back(refund, self.boss)
        self.assertEqual(refund.state, "draft")
        self.assertEqual(self.cut_appt.payment_state, "paid")

    def test_wrong_pins_limited(self):
        for __ in range(5):
            with self.assertRaisesRegex(UserError, "not a POS manager"), self.env.cr.savepoint():
                self.env["pos.order"].with_user(self.desk).randevu_check_refund_approval(
                    self.config.id, "other", "0000"
                )
        # The sixth attempt in 15 minutes is refused before the PIN is looked at, even the right one.
        for pin in ("0000", "4321"):
            with self.assertRaisesRegex(UserError, "Too many wrong PINs"), self.env.cr.savepoint():
                self.env["pos.order"].with_user(self.desk).randevu_check_refund_approval(self.config.id, "other", pin)
        with self.assertRaisesRegex(UserError, "Too many wrong PINs"), self.env.cr.savepoint():
            self.sync(self.refund_data(self.session, self.order, pin="4321"))
        # Another cashier is not concerned; a manager at the till types no PIN.
        self.assertEqual(self.wizard(self.boss).action_confirm()["res_model"], "pos.order")

    def test_right_pins_not_counted(self):
        for __ in range(7):
            name = (
                self.env["pos.order"]
                .with_user(self.desk)
                .randevu_check_refund_approval(self.config.id, "other", "4321")
            )
            self.assertEqual(name, self.boss.name)
