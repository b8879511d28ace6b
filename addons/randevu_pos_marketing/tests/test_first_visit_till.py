from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_pos.tests.common_credit import RandevuCreditCase
from odoo.addons.randevu_pos.tests.test_pos_seats import PosSeatsCase


@tagged("post_install", "-at_install")
class TestTillFirstVisit(RandevuCreditCase):
    """A First Visit Only program at the till: the website's rule (no appointment done
    or to come, no class seat, and here no paid till order, at any branch), checked when
    the order is synced (the visits the order pays not counted) and read by the till
    with each customer it loads, to offer the program to first visits only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.welcome.randevu_first_visit = True
        cls.newcomer = cls.env["res.partner"].create({"name": "Nora Newcomer"})

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def code_line(self):
        reward = self.welcome.reward_ids
        return (
            reward.discount_line_product_id,
            -2.8,
            {"is_reward_line": True, "reward_id": reward.id, "points_cost": 0, "reward_identifier_code": "welcome"},
        )

    def pay(self, lines, partner=None, **values):
        data = dict(self.order_data(self.session, lines, partner=partner), **values)
        self.sync(data)
        return self.order_of(data)

    def assert_refused(self, lines, message, partner=None, **values):
        orders = self.env["pos.order"].search_count([])
        # The savepoint as the request's transaction: a refused sync saves nothing.
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self.pay(lines, partner=partner, **values)
        self.assertEqual(self.env["pos.order"].search_count([]), orders, "nothing saved")

    def test_first_visit_gets_the_offer_once(self):
        self.assertTrue(self.customer._randevu_first_visit(exclude=self.cut_appt | self.blow_appt))
        order = self.pay(self.checkout_lines(self.cut_appt, self.blow_appt, extra=[self.code_line()]))
        self.assertEqual(order.state, "paid", "her first visit: the appointments the order pays do not count")
        self.assertEqual(self.cut_appt.state, "done")
        self.assertFalse(self.customer._randevu_first_visit())
        self.assert_refused(
            [(self.shampoo, 12, {}), self.code_line()],
            "Welcome 10% is for a first visit only, and .* has come or booked before",
        )

    def test_paid_order_without_appointment_is_a_visit(self):
        self.pay([(self.shampoo, 12, {})], partner=self.newcomer)
        self.assertFalse(self.newcomer._randevu_first_visit(), "a paid till order is a visit")
        self.assert_refused(
            [(self.shampoo, 12, {}), self.code_line()], "is for a first visit only", partner=self.newcomer
        )

    def test_order_without_customer_is_refused_and_without_code_is_not(self):
        self.assert_refused(
            [(self.shampoo, 12, {}), self.code_line()], "choose the customer on the order", partner_id=False
        )
        self.welcome.randevu_first_visit = False
        self.assertEqual(self.pay([(self.shampoo, 12, {}), self.code_line()], partner_id=False).state, "paid")

    def test_till_loads_first_visit_flags(self):
        """The till loads the program's flag and, with each customer, whether she is a
        first visit (one query per kind of visit for all the customers)."""
        self.assertIn("randevu_first_visit", self.env["loyalty.program"]._load_pos_data_fields(self.config.id))
        Partner = self.env["res.partner"].with_user(self.desk)
        self.assertIn("randevu_pos_first_visit", Partner._load_pos_data_fields(self.config.id))
        self.pay([(self.shampoo, 12, {})])
        partners = Partner.browse((self.customer | self.newcomer).ids)
        flags = {row["id"]: row["randevu_pos_first_visit"] for row in partners.read(["randevu_pos_first_visit"])}
        self.assertEqual(flags, {self.customer.id: False, self.newcomer.id: True})


@tagged("post_install", "-at_install")
class TestTillFirstVisitTour(HttpCase, RandevuCreditCase):
    """At the till (Chromium): the first-visit code typed for a returning customer gives
    nothing, for a new customer 10 % off; both orders paid."""

    def test_first_visit_code_at_the_till(self):
        self.welcome.randevu_first_visit = True
        newcomer = self.env["res.partner"].create({"name": "Nora Newcomer"})
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_first_visit_tour", login="pos_desk")
        orders = self.env["pos.order"].search([("session_id", "=", self.config.current_session_id.id)])
        returning = orders.filtered(lambda order: order.partner_id == self.customer)
        first = orders.filtered(lambda order: order.partner_id == newcomer)
        self.assertEqual((returning.amount_total, returning.lines.filtered("is_reward_line").ids), (12, []))
        self.assertEqual(first.amount_total, 10.8)
        self.assertEqual(first.lines.filtered("is_reward_line").reward_id, self.welcome.reward_ids)


@tagged("post_install", "-at_install")
class TestTillFirstVisitSeat(PosSeatsCase):
    """A newcomer's first group class paid at the till with a first-visit code: the seat
    the order pays is not counted as a visit before it (as the appointments it pays)."""

    def test_first_class_paid_with_the_code(self):
        self.freeze_noon()
        program = self.env["loyalty.program"].create(
            {
                "name": "First class 20%",
                "company_id": False,
                "currency_id": self.branch.currency_id.id,
                "program_type": "promo_code",
                "trigger": "with_code",
                "applies_on": "current",
                "randevu_first_visit": True,
                "rule_ids": [Command.create({"mode": "with_code", "code": "FIRSTCLASS"})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "percent",
                            "discount": 20,
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        seat_line = (
            self.yoga.product_variant_id,
            15,
            {"randevu_attendee_id": self.ines.id, "randevu_employee_id": self.anna.id},
        )
        reward = program.reward_ids
        code_line = (
            reward.discount_line_product_id,
            -3,
            {"is_reward_line": True, "reward_id": reward.id, "points_cost": 0, "reward_identifier_code": "first"},
        )
        data = self.order_data(self.open_session(), [seat_line, code_line], partner=self.students[0])
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid", "her seat in this class is her first visit")
        self.assertEqual(self.ines.randevu_payment_state, "paid")
        self.assertFalse(self.students[0]._randevu_first_visit(), "she has come now")
