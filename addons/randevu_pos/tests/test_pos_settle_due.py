from odoo.tests import tagged

from .test_pos_pay_later import RandevuPosPayLaterCase


class RandevuPosSettleDueCase(RandevuPosPayLaterCase):
    """Chloé's visit (48) left on her account at the till; settling at the till is an
    order without lines paid e.g. cash +X and Customer Account -X."""

    def leave_on_account(self, session):
        data = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        self.sync(self.paid_with(data, (self.on_account, 48)))
        return self.order_of(data)

    def settle_data(self, session, amount, method=None, partner=None):
        """The till's settle order: no line, the customer, `amount` paid by `method`
        (cash by default) and taken off the customer's account."""
        data = self.order_data(session, [], partner=partner)
        return self.paid_with(data, (method or self.cash, amount), (self.on_account, -amount))

    def due(self, user=None):
        """The due at the branch as the till reads it (the loaded field)."""
        partner = self.customer.with_user(user or self.desk).with_company(self.branch)
        partner.invalidate_recordset(["randevu_pos_due"])
        return partner.randevu_pos_due

    def close(self, session):
        # The cash counted is what the till expects: no cash difference entry.
        session.cash_register_balance_end_real = session.cash_register_balance_end
        # Computed without dependency on the counted cash: computed again at closing.
        session.invalidate_recordset(["cash_register_balance_end", "cash_register_difference"])
        return super().close(session)

    def cash_balance(self):
        """The balance of the till's cash account."""
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.cash_journal.default_account_id.id), ("parent_state", "=", "posted")]
        )
        return sum(lines.mapped("balance"))


@tagged("post_install", "-at_install")
class TestPosSettleDue(RandevuPosSettleDueCase):
    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def test_settle_part_then_the_rest_in_later_sessions(self):
        """48 left on account and closed; 20 settled in cash at the till, closed: the
        customer owes 28, cash holds 20, no revenue; then the 28 in another session:
        the POS item is reconciled, the receivable and the aging are back to 0."""
        session = self.open_session()
        self.leave_on_account(session)
        self.assertEqual(self.due(), 48, "left on account, session still open")
        visit_move = self.close(session)
        due_item = visit_move.line_ids.filtered(lambda line: line.partner_id == self.customer and line.debit)
        self.assertEqual(self.due(), 48, "the receivable item of the closing")

        session = self.open_session()
        data = self.settle_data(session, 20)
        self.sync(data)
        order = self.order_of(data)
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.lines)
        self.assertEqual(order.amount_total, 0)
        self.assertEqual(self.due(), 28, "settled in an open session")
        move = self.close(session)
        self.assertTrue(move.currency_id.is_zero(sum(move.line_ids.mapped("balance"))))
        self.assertFalse(
            move.line_ids.filtered(lambda line: line.account_id.account_type in ("income", "income_other")),
            "settling what is due is no revenue",
        )
        credit = move.line_ids.filtered(lambda line: line.partner_id == self.customer)
        self.assertRecordValues(credit, [{"balance": -20, "account_id": due_item.account_id.id, "reconciled": True}])
        self.assertEqual(self.cash_balance(), 20, "cash debited")
        self.assertEqual(self.receivable_balance(), 28)
        self.assertEqual(due_item.amount_residual, 28, "partly paid by the settlement")
        self.assertRecordValues(self.aging(), [{"amount_residual": 28, "company_id": self.branch.id}])
        self.assertEqual(self.due(), 28)

        session = self.open_session()
        self.sync(self.settle_data(session, 28))
        self.close(session)
        self.assertEqual(self.receivable_balance(), 0, "settled")
        self.assertTrue(due_item.reconciled)
        self.assertFalse(self.aging())
        self.assertEqual(self.due(), 0)
        self.assertEqual(self.cash_balance(), 48)
        revenue = self.env["account.move.line"].search(
            [
                ("move_id", "in", (visit_move | move | session.move_id).ids),
                ("account_id.account_type", "in", ("income", "income_other")),
            ]
        )
        self.assertEqual(-sum(revenue.mapped("balance")), 48, "the visit's revenue, once")

    def test_settle_in_the_same_session(self):
        """Left on account and settled before closing: both items of the closing entry
        are reconciled, the customer owes nothing."""
        session = self.open_session()
        self.leave_on_account(session)
        self.sync(self.settle_data(session, 48))
        self.assertEqual(self.due(), 0)
        move = self.close(session)
        self.assertTrue(move.currency_id.is_zero(sum(move.line_ids.mapped("balance"))))
        items = move.line_ids.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual(sorted(items.mapped("balance")), [-48, 48])
        self.assertTrue(all(items.mapped("reconciled")))
        self.assertEqual(self.receivable_balance(), 0)
        self.assertFalse(self.aging())

    def test_refusals_leave_nothing_written(self):
        session = self.open_session()
        self.leave_on_account(session)
        self.assert_refused(self.settle_data(session, 50), r"owes \D*48\.00")
        data = self.settle_data(session, 20)
        data["partner_id"] = False
        self.assert_refused(data, "choose the customer")
        data = self.order_data(session, [])
        self.assert_refused(
            self.paid_with(data, (self.cash, -10), (self.on_account, 10)), "only be settled on it, by a negative"
        )
        other = self.env["res.partner"].create({"name": "Owes Nothing"})
        self.assert_refused(self.settle_data(session, 5, partner=other), r"owes \D*0\.00")
        self.sync(self.settle_data(session, 30))
        self.assert_refused(self.settle_data(session, 20), r"owes \D*18\.00")
        self.assertEqual(self.due(), 18)

    def test_a_pos_manager_takes_more(self):
        """A POS manager may take more than is due: the customer is then in credit."""
        manager = self.make_user(
            "pos_settle_boss",
            "base.group_user,point_of_sale.group_pos_manager,randevu_calendar.group_randevu_user",
            self.branch,
        )
        session = self.open_session()
        self.leave_on_account(session)
        self.sync(self.settle_data(session, 60), user=manager)
        self.assertEqual(self.due(), -12)
        self.close(session)
        self.assertEqual(self.receivable_balance(), -12)

    def test_due_read_fresh_by_the_till(self):
        session = self.open_session()
        self.leave_on_account(session)
        self.assertEqual(
            self.config.with_user(self.desk).randevu_pos_customer_due(self.customer.id),
            {"due": 48, "can_exceed": False},
        )
        self.sync(self.settle_data(session, 8))
        self.assertEqual(self.config.with_user(self.desk).randevu_pos_customer_due(self.customer.id)["due"], 40)
