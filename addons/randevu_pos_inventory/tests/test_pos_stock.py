from odoo.tests import tagged

from odoo.addons.randevu_pos.tests.common import RandevuPosCase


@tagged("post_install", "-at_install")
class TestPosStock(RandevuPosCase):
    """The branch's till and the branch's stock: retail sold from the branch's warehouse,
    the visit's products written off at checkout, checkout never blocked by stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.branch._randevu_warehouse()
        cls.stock = cls.warehouse.lot_stock_id
        cls.cream = cls.env["product.product"].create(
            {"name": "Till test colour cream", "is_storable": True, "standard_price": 3}
        )
        cls.env["randevu.service.consumable"].create(
            {"service_id": cls.cut.id, "product_id": cls.cream.id, "quantity": 1}
        )
        cls.shampoo.is_storable = True

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def on_hand(self, product, location=None):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", (location or self.stock).id)]
        )
        return sum(quants.mapped("quantity"))

    def pay(self, *appointments, extra=()):
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(*appointments, extra=extra))
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        return order

    def test_the_branch_till_sells_from_the_branch_warehouse(self):
        self.assertEqual(self.config.picking_type_id, self.warehouse.pos_type_id)
        self.assertEqual(self.config.warehouse_id, self.warehouse)
        parent_warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.branch.parent_id.id)], limit=1)
        self.assertTrue(parent_warehouse, "the head office has a warehouse of its own, the one Odoo would take")
        self.branch.parent_id.point_of_sale_update_stock_quantities = "real"
        self.branch.point_of_sale_update_stock_quantities = "real"
        self.env["stock.quant"]._update_available_quantity(self.shampoo, self.stock, 5)
        self.pay(extra=[(self.shampoo, 12, {"randevu_employee_id": self.bruno.id})])
        self.assertEqual(self.on_hand(self.shampoo), 4, "sold from the branch's shelf")
        self.assertEqual(self.on_hand(self.shampoo, parent_warehouse.lot_stock_id), 0)

    def test_checkout_writes_off_the_visit_products_when_the_branch_says_so(self):
        self.branch.randevu_consumables_moment = "paid"
        self.env["stock.quant"]._update_available_quantity(self.cream, self.stock, 10)
        self.cut_appt.action_done()
        self.assertFalse(self.cut_appt.randevu_consumption_picking_id, "done, not paid: nothing yet")
        order = self.pay(self.cut_appt)
        self.assertEqual(self.cut_appt.payment_state, "paid")
        picking = self.cut_appt.randevu_consumption_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.location_id, self.stock)
        self.assertEqual(self.on_hand(self.cream), 9)
        self.assertIn(order, self.cut_appt.randevu_pos_order_id)

    def test_checkout_is_never_blocked_by_missing_stock(self):
        self.branch.randevu_consumables_moment = "paid"
        self.pay(self.cut_appt, self.blow_appt)
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("state"), ["done", "done"])
        self.assertTrue(self.cut_appt.randevu_stock_short)
        self.assertEqual(self.on_hand(self.cream), -1, "taken all the same, below zero and flagged")

    def test_a_till_of_a_new_branch_sells_from_its_warehouse(self):
        branch = self.env["res.company"].create({"name": "Till test new branch", "parent_id": self.branch.parent_id.id})
        config = (
            self.env["pos.config"]
            .with_company(branch)
            .create({"name": "New till", "company_id": branch.id, "payment_method_ids": [(6, 0, [])]})
        )
        self.assertEqual(config.picking_type_id.warehouse_id, branch._randevu_warehouse())
        self.assertEqual(config.picking_type_id.warehouse_id.company_id, branch)
        self.assertEqual(config.picking_type_id.code, "outgoing")
