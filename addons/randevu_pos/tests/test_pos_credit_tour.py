from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common_credit import RandevuCreditCase


@tagged("post_install", "-at_install")
class TestPosCreditTour(HttpCase, RandevuCreditCase):
    """The front desk at the till (Chromium): picks Chloé's visit (48), enters TESTWELCOME10
    (43.20), pays 20 from her account credit (10 on the card, 10 more allowed by her
    credit limit) and the rest by card; the receipt shows the credit spent and left."""

    def test_credit_tour(self):
        bank = self.env["account.journal"].create(
            {"name": "Paris Bank", "code": "PBNK", "type": "bank", "company_id": self.branch.parent_id.id}
        )
        card_method = self.env["pos.payment.method"].create(
            {"name": "Card", "journal_id": bank.id, "company_id": self.branch.id}
        )
        self.config.payment_method_ids = [Command.link(card_method.id)]
        self.card.points = 10
        self.customer.randevu_credit_limit = 10
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_credit_tour", login="pos_desk")
        appointments = self.cut_appt | self.blow_appt
        self.assertEqual(appointments.mapped("payment_state"), ["paid", "paid"])
        order = self.cut_appt.randevu_pos_order_id
        self.assertAlmostEqual(order.amount_total, 23.20, 2)
        self.assertEqual(order.payment_ids.payment_method_id, card_method)
        rewards = order.lines.filtered("is_reward_line")
        self.assertEqual(rewards.reward_id, self.welcome.reward_ids | self.credit_reward)
        self.assertEqual(order.lines.filtered("randevu_appointment_id").randevu_employee_id, self.anna | self.bruno)
        self.assertAlmostEqual(self.card.points, -10, 2)
