from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosRefund(RandevuPosRefundCase):
    """Refunds synced from the till need a reason and a POS manager's approval (the
    cashier, or a manager's PIN), checked by the server; refund lines keep the performer
    and the appointment, which is not paid any more."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()
        self.order = self.checkout(self.session, self.cut_appt, self.blow_appt, extra=[(self.shampoo, 12, {})])
        self.cut_line = self.order.lines.filtered(lambda line: line.randevu_appointment_id == self.cut_appt)

    def test_refund_with_manager_pin(self):
        data = self.refund_data(self.session, self.order, self.cut_line, reason="not_performed", pin="4321")
        self.sync(data)
        refund = self.order_of(data)
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.refunded_order_id, self.order)
        self.assertEqual(refund.randevu_refund_reason, "not_performed")
        self.assertEqual(refund.randevu_refund_approved_by_id, self.boss)
        self.assertEqual(refund.amount_total, -28)
        self.assertEqual(
            [(payment.payment_method_id, payment.amount) for payment in refund.payment_ids],
            [(self.cash, -28)],
            "the money goes back in cash, the original method",
        )
        line = refund.lines
        self.assertEqual((line.qty, line.refunded_orderline_id), (-1, self.cut_line))
        self.assertEqual(line.randevu_employee_id, self.anna, "the performer stays on the refund line")
        self.assertEqual(line.randevu_appointment_id, self.cut_appt, "and the appointment")
        self.assertEqual((self.cut_appt.payment_state, self.cut_appt.state), ("not_paid", "done"))
        self.assertEqual(self.blow_appt.payment_state, "paid", "the blow-dry was not refunded")
        self.assertIn(f"Refunded at the till: {refund.name} — Service not performed", self.cut_appt.message_ids[0].body)
        self.assertEqual(self.cut_appt.randevu_pos_order_id, refund, "the latest order of the appointment")

    def test_manager_at_the_till_needs_no_pin(self):
        data = self.refund_data(self.session, self.order, reason="returned")
        self.sync(data, user=self.boss)
        refund = self.order_of(data)
        self.assertEqual(refund.randevu_refund_approved_by_id, self.boss)
        self.assertEqual(len(refund.lines), 3)
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["not_paid", "not_paid"])

    def test_refused_without_reason_or_approval(self):
        cases = {
            "no reason": self.refund_data(self.session, self.order, self.cut_line, reason=False, pin="4321"),
            "unknown reason": self.refund_data(self.session, self.order, self.cut_line, reason="bored", pin="4321"),
            "no PIN": self.refund_data(self.session, self.order, self.cut_line),
            "wrong PIN": self.refund_data(self.session, self.order, self.cut_line, pin="0000"),
            "not a manager's PIN": self.refund_data(self.session, self.order, self.cut_line, pin="1111"),
            "another branch's manager": self.refund_data(self.session, self.order, self.cut_line, pin="9999"),
            "approver sent by the till": self.refund_data(
                self.session, self.order, self.cut_line, randevu_refund_approved_by_id=self.boss.id
            ),
        }
        orders = self.env["pos.order"].search_count([])
        for case, data in cases.items():
            with self.subTest(case=case):
                message = "needs a reason" if "reason" in case else "manager"
                with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
                    self.sync(data)
                self.assertEqual(self.env["pos.order"].search_count([]), orders, "nothing of the refund is saved")
                self.assertEqual(self.cut_appt.payment_state, "paid")

    def test_draft_refund_and_voids_need_no_approval(self):
        draft = self.refund_data(self.session, self.order, self.cut_line, reason=False, state="draft")
        draft["payment_ids"] = []
        self.sync(draft)
        refund = self.order_of(draft)
        self.assertEqual(refund.state, "draft", "a refund still on the till is not paid back yet")
        self.assertFalse(refund.randevu_refund_approved_by_id)
        self.assertEqual(self.cut_appt.payment_state, "paid")
        # Cancelling a draft order (a void before payment) needs no approval.
        unpaid = self.order_data(self.session, [(self.shampoo, 12, {})], paid=False)
        self.sync(unpaid)
        self.order_of(unpaid).with_user(self.desk).action_pos_order_cancel()
        self.assertEqual(self.order_of(unpaid).state, "cancel")

    def test_approver_and_reason_not_written_by_hand(self):
        data = self.refund_data(self.session, self.order, self.cut_line, pin="4321")
        self.sync(data)
        refund = self.order_of(data)
        for user in (self.desk, self.boss):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    refund.with_user(user).write({"randevu_refund_approved_by_id": user.id})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    refund.with_user(user).write({"randevu_refund_reason": "other"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["pos.order"].with_user(self.desk).create(
                {
                    "session_id": self.session.id,
                    "amount_tax": 0,
                    "amount_total": 0,
                    "amount_paid": 0,
                    "amount_return": 0,
                    "randevu_refund_approved_by_id": self.boss.id,
                }
            )
        self.assertEqual(
            (refund.randevu_refund_approved_by_id, refund.randevu_refund_reason), (self.boss, "unsatisfied")
        )

    def test_refund_restocks_and_books_back(self):
        conditioner = self.env["product.product"].create(
            {"name": "Conditioner", "is_storable": True, "list_price": 15, "available_in_pos": True, "taxes_id": []}
        )
        location = self.config.picking_type_id.default_location_src_id
        self.env["stock.quant"]._update_available_quantity(conditioner, location, 5)
        sale = self.order_data(self.session, [(conditioner, 15, {"randevu_employee_id": self.bruno.id})])
        self.sync(sale)
        sold = self.order_of(sale)
        data = self.refund_data(self.session, sold, reason="returned", pin="4321")
        self.sync(data)
        refund = self.order_of(data)
        self.assertEqual(refund.lines.randevu_employee_id, self.bruno)
        self.assertFalse(refund.lines.randevu_appointment_id)
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(conditioner, location), 5, "sold one, got it back"
        )
        returned = self.session.picking_ids.move_ids.filtered(lambda move: move.location_dest_id == location)
        self.assertEqual((returned.product_id, returned.quantity, returned.state), (conditioner, 1, "done"))
        # The session's entry: balanced, the conditioner's revenue reversed by the refund.
        lines = self.session.move_id.line_ids
        self.assertAlmostEqual(sum(lines.mapped("debit")), sum(lines.mapped("credit")))
        revenue = lines.filtered(lambda line: line.account_id.account_type in ("income", "income_other"))
        self.assertEqual(-sum(revenue.mapped("balance")), 28 + 20 + 12, "the visit and the shampoo only")

    def test_cashier_reads_the_tills_managers(self):
        # pos_hr adds the POS managers' employees (Mara) to every till saved afterwards;
        # the till's cashier, with no HR rights, must still read its config.
        self.config.write({"iface_tipproduct": True})
        self.assertIn("Mara", self.config.advanced_employee_ids.mapped("name"))
        self.env.invalidate_all()
        row = self.config.with_user(self.desk).search_read([("id", "=", self.config.id)], ["advanced_employee_ids"])
        self.assertTrue(row[0]["advanced_employee_ids"])
