from odoo.tests import tagged

from odoo.addons.randevu_pos.tests.common_credit import RandevuCreditCase


@tagged("post_install", "-at_install")
class TestTillCodeAttribution(RandevuCreditCase):
    """A discount code used at the till (pos_loyalty's reward line) of a program linked
    to a campaign attributes the appointment the order pays to the campaign, unless it
    already has one; a code of a program without a campaign, or none, attributes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create({"title": "Till Codes"})
        cls.earlier = cls.env["utm.campaign"].create({"title": "Spring Mailing"})
        cls.welcome.randevu_campaign_id = cls.campaign

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def code_line(self, program):
        reward = program.reward_ids
        return (
            reward.discount_line_product_id,
            -2.8,
            {"is_reward_line": True, "reward_id": reward.id, "points_cost": 0, "reward_identifier_code": "welcome"},
        )

    def pay(self, *appointments, extra=()):
        data = self.order_data(self.session, self.checkout_lines(*appointments, extra=extra))
        self.sync(data)
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        return order

    def test_code_of_a_campaign_attributes_the_visit(self):
        self.blow_appt.campaign_id = self.earlier
        self.pay(self.cut_appt, self.blow_appt, extra=[self.code_line(self.welcome)])
        self.assertEqual(self.cut_appt.campaign_id, self.campaign)
        self.assertEqual(self.blow_appt.campaign_id, self.earlier, "the campaign it was booked through is kept")
        self.assertEqual(self.cut_appt.state, "done")

    def test_no_code_or_no_campaign_attributes_nothing(self):
        self.pay(self.cut_appt)
        self.assertFalse(self.cut_appt.campaign_id)
        self.welcome.randevu_campaign_id = False
        self.pay(self.blow_appt, extra=[self.code_line(self.welcome)])
        self.assertFalse(self.blow_appt.campaign_id)
