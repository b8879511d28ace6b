from odoo.fields import Command

from .common import RandevuPosCase


class RandevuCourseCase(RandevuPosCase):
    """RandevuPosCase's branch with a laser service by Anna (50, no tax) and the course
    "Laser, 6 sessions" (240 for 6 sessions, valid 6 months) sold at the till."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        no_tax = {"taxes_id": [Command.clear()]}
        cls.laser = cls._make_service("Laser", 0.5, cls.anna, list_price=50, **no_tax)
        cls.course_product = cls.env["product.template"].create(
            {
                "name": "Laser, 6 sessions",
                "type": "service",
                "list_price": 240,
                "available_in_pos": True,
                "randevu_course_service_id": cls.laser.id,
                "randevu_course_sessions": 6,
                "randevu_course_validity_months": 6,
                **no_tax,
            }
        )
        cls.deferred = cls.branch._randevu_course_account()
        cls.income = cls.laser.product_variant_id.with_company(cls.branch)._get_product_accounts()["income"]

    def sync(self, data, user=None):
        return self.env["pos.order"].with_user(user or self.desk).sync_from_ui([data])

    def order_of(self, data):
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def sell_course(self, session, partner=None):
        data = self.order_data(session, [(self.course_product.product_variant_id, 240, {})], partner=partner)
        self.sync(data)
        order = self.order_of(data)
        return self.env["randevu.course"].search([("pos_order_line_id", "in", order.lines.ids)])

    def book_laser(self, hour, minute=0, day=None, **values):
        return self.book(
            self.local(hour, minute, day=day), staff=self.anna, service=self.laser, hours_override=True, **values
        )

    def account_balance(self, moves, account):
        lines = moves.line_ids.filtered(lambda line: line.account_id == account)
        return sum(lines.mapped("balance"))

    def assert_balanced(self, moves):
        for move in moves:
            self.assertEqual(move.state, "posted")
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0, 2, f"{move.name} balances")
