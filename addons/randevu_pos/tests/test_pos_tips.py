from ast import literal_eval

from odoo.tests import tagged

from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosTips(RandevuPosRefundCase):
    """Tips are booked on a "Tips Payable" liability, not revenue, and are for the staff
    member on the tip line (the order's only performer when the till chose nobody)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config.iface_tipproduct = True
        cls.tip = cls.config.tip_product_id

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def tips_account(self):
        return self.tip.with_company(self.branch).property_account_income_id

    def test_tips_account_is_a_liability(self):
        account = self.tips_account()
        self.assertEqual((account.name, account.account_type), ("Tips Payable", "liability_current"))
        self.assertEqual(self.tip.with_company(self.branch.root_id).property_account_income_id, account)
        self.config.iface_tipproduct = False
        self.config.iface_tipproduct = True
        self.assertEqual(
            self.env["account.account"].search_count([("name", "=", "Tips Payable")]), 1, "set up once per chart"
        )

    def test_tip_for_the_performer_and_apart_in_the_books(self):
        session = self.open_session()
        solo = self.order_data(session, self.checkout_lines(self.cut_appt, extra=[(self.tip, 5, {})]))
        self.sync(solo)
        solo_tip = self.order_of(solo).lines.filtered("randevu_is_tip")
        self.assertEqual(solo_tip.randevu_employee_id, self.anna, "the only performer of the order")
        duo = self.order_data(
            session,
            self.checkout_lines(
                self.blow_appt,
                extra=[
                    (self.shampoo, 12, {"randevu_employee_id": self.anna.id}),
                    (self.tip, 3, {"randevu_employee_id": self.bruno.id}),
                ],
            ),
        )
        self.sync(duo)
        self.assertEqual(self.order_of(duo).lines.filtered("randevu_is_tip").randevu_employee_id, self.bruno)
        unassigned = self.order_data(
            session,
            [(self.shampoo, 12, {"randevu_employee_id": self.anna.id}), (self.shampoo, 12, {}), (self.tip, 2, {})],
        )
        unassigned["lines"][1][2]["randevu_employee_id"] = self.bruno.id
        self.sync(unassigned)
        self.assertFalse(
            self.order_of(unassigned).lines.filtered("randevu_is_tip").randevu_employee_id, "two performers: nobody"
        )
        # Tips to pay out, per staff member (the managers' pivot's grouping).
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.pos_order_line_action_randevu_tips")
        groups = self.env["pos.order.line"]._read_group(
            literal_eval(action["domain"]), ["randevu_employee_id"], ["price_subtotal_incl:sum"]
        )
        self.assertEqual({employee.name: total for employee, total in groups}, {"Anna": 5, "Bruno": 3, False: 2})
        # The session's journal entry: balanced, the tips on the liability, not revenue.
        session.action_pos_session_closing_control()
        self.assertEqual(session.state, "closed")
        lines = session.move_id.line_ids
        self.assertAlmostEqual(sum(lines.mapped("debit")), sum(lines.mapped("credit")))
        tips_lines = lines.filtered(lambda line: line.account_id == self.tips_account())
        self.assertEqual(sum(tips_lines.mapped("balance")), -10, "the 10 of tips are owed to the staff")
        revenue = lines.filtered(lambda line: line.account_id.account_type in ("income", "income_other"))
        self.assertEqual(-sum(revenue.mapped("balance")), 28 + 20 + 12 + 12 + 12, "revenue without the tips")
