from odoo.tests import tagged

from .common_credit import RandevuCreditCase


@tagged("post_install", "-at_install")
class TestPosGiftCardAndCodes(RandevuCreditCase):
    """Gift cards and discount codes (pos_loyalty) on a visit: the appointments are
    still paid and done, the performers stay on the service lines, and the reward
    lines (no appointment, no performer) do not get in the way."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def test_gift_card_pays_part_of_a_visit(self):
        gift = self.env["loyalty.card"].create(
            {"program_id": self.gift_program.id, "code": "GC-PARIS-50", "points": 50}
        )
        reward = self.reward_line(self.gift_program.reward_ids, gift, 30)
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, self.blow_appt, extra=[reward]))
        self.assertEqual(data["amount_total"], 18, "28 + 20 - 30 from the gift card, in cash")
        self.sync(data)
        order = self.order_of(data)
        self.confirm_points(order, gift, -30, [reward[2]["reward_identifier_code"]])
        self.assertEqual(gift.points, 20)
        self.assertEqual(order.state, "paid")
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["paid", "paid"])
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("state"), ["done", "done"])
        services = order.lines.filtered("randevu_appointment_id")
        self.assertEqual(services.randevu_employee_id, self.anna | self.bruno)
        reward_line = order.lines.filtered("is_reward_line")
        self.assertEqual(reward_line.coupon_id, gift)
        self.assertFalse(reward_line.randevu_appointment_id)
        self.assertEqual(reward_line.price_subtotal_incl, -30)

    def test_gift_card_overspent_refused(self):
        gift = self.env["loyalty.card"].create(
            {"program_id": self.gift_program.id, "code": "GC-PARIS-10", "points": 10}
        )
        answer = self.env["pos.order"].with_user(self.desk).validate_coupon_programs({str(gift.id): -20}, [])
        self.assertFalse(answer["successful"], "a gift card never goes below zero, whatever the customer's limit")

    def test_discount_code_on_a_service(self):
        reward = self.welcome.reward_ids
        promo = (reward.discount_line_product_id, -2.8, {"is_reward_line": True, "reward_id": reward.id,
                 "points_cost": 0, "reward_identifier_code": "welcome"})  # fmt: skip
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, extra=[promo]))
        self.sync(data)
        order = self.order_of(data)
        self.assertEqual(order.amount_total, 25.2, "10% off the cut of 28")
        self.assertEqual(self.cut_appt.payment_state, "paid")
        self.assertEqual(self.cut_appt.state, "done")
        service = order.lines.filtered("randevu_appointment_id")
        self.assertEqual(service.randevu_employee_id, self.anna)
        self.assertEqual(service.price_subtotal_incl, 28, "the service line keeps its price, the reward line discounts")
        self.assertEqual(order.lines.filtered("is_reward_line").reward_id, reward)
