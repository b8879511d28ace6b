from odoo.tests import tagged

from .common import PurchaseProposalCase


@tagged("post_install", "-at_install")
class TestPurchaseProposal(PurchaseProposalCase):
    """A product bought from a vendor falling below its branch's minimum: Odoo's reordering
    rule makes a draft RFQ in that branch's company, up to the maximum, in the purchase
    unit, named in the low-stock activity, never twice; received, it clears the alert."""

    def alert(self, orderpoint):
        return orderpoint.randevu_alert_activity_id

    def test_below_minimum_proposes_rfq_in_the_branch(self):
        self.use(40, self.kadikoy_stock)
        self.run_alerts()
        self.assertFalse(self.kadikoy_rule.randevu_low_stock, "200 ml: at its minimum")
        self.assertFalse(self.proposed_lines(self.kadikoy_rule))

        self.use(40, self.kadikoy_stock)  # 160 ml
        self.run_alerts()
        self.assertTrue(self.kadikoy_rule.randevu_low_stock)
        line = self.proposed_lines(self.kadikoy_rule)
        self.assertEqual(len(line), 1)
        order = line.order_id
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.company_id, self.kadikoy)
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.picking_type_id, self.kadikoy._randevu_warehouse().in_type_id)
        self.assertEqual(line.product_uom, self.litre, "bought by the litre")
        self.assertAlmostEqual(line.product_qty, 0.84, msg="1000 ml maximum - 160 ml on hand = 0.84 L")
        self.assertAlmostEqual(line.product_uom_qty, 840, msg="in the product's unit: 840 ml")
        self.assertAlmostEqual(line.price_unit, 12, msg="the vendor's price per litre")
        self.assertEqual(self.kadikoy_rule.randevu_purchase_order_id, order)

        alert = self.alert(self.kadikoy_rule)
        self.assertIn(order.name, alert.note)
        self.assertIn(f"/odoo/action-purchase.purchase_rfq/{order.id}", alert.note)
        self.assertIn("0.84 L from Test Pro Supplies", alert.note)

        # Paris, same product and rule, still at 240 ml: nothing proposed there.
        self.assertFalse(self.paris_rule.randevu_low_stock)
        self.assertFalse(self.proposed_lines(self.paris_rule))
        self.assertFalse(self.env["purchase.order"].search([("company_id", "=", self.branch.id)]))

        # A second run (and a third after another use) completes nothing: the draft RFQ
        # counts in the forecast.
        self.run_alerts()
        self.use(40, self.kadikoy_stock)  # 120 ml, forecast 960 ml
        self.run_alerts()
        self.assertEqual(self.proposed_lines(self.kadikoy_rule), line)
        self.assertAlmostEqual(line.product_qty, 0.84)
        self.assertEqual(len(order.order_line), 1)
        self.assertEqual(self.env["purchase.order"].search_count([("company_id", "=", self.kadikoy.id)]), 1)
        self.assertEqual(self.alert(self.kadikoy_rule), alert)
        self.assertEqual(alert.note.count(order.name), 1, "named once")

    def test_receiving_the_rfq_raises_the_stock(self):
        self.use(80, self.kadikoy_stock)
        self.run_alerts()
        order = self.kadikoy_rule.randevu_purchase_order_id
        alert = self.alert(self.kadikoy_rule)
        self.assertTrue(alert)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.kadikoy_rule.invalidate_recordset()
        self.assertFalse(self.kadikoy_rule.randevu_purchase_order_id, "no longer a proposal")
        receipt = order.picking_ids
        self.assertEqual(receipt.location_dest_id, self.kadikoy_stock)
        receipt.move_ids.quantity = 840
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertAlmostEqual(self.on_hand(self.developer, location=self.kadikoy_stock), 1000)
        self.assertAlmostEqual(self.on_hand(self.developer), 240, msg="Paris unchanged")
        self.run_alerts()
        self.assertFalse(self.kadikoy_rule.randevu_low_stock)
        self.assertFalse(alert.exists(), "back at its minimum: the alert is done")

    def test_product_not_bought_alerts_without_proposal(self):
        rule = self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": self.kadikoy._randevu_warehouse().id,
                "location_id": self.kadikoy_stock.id,
                "product_id": self.cream.id,
                "product_min_qty": 2,
                "product_max_qty": 6,
                "company_id": self.kadikoy.id,
                "trigger": "manual",
            }
        )
        self.run_alerts()
        self.assertTrue(rule.randevu_low_stock)
        self.assertTrue(rule.randevu_alert_activity_id)
        self.assertFalse(self.proposed_lines(rule), "no vendor, no Buy route: the alert only")
        self.assertNotIn("Proposed purchase", rule.randevu_alert_activity_id.note or "")

    def test_demo_developer_has_a_proposal(self):
        developer = self.env.ref("randevu_inventory.product_developer", raise_if_not_found=False)
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        if not developer or not kadikoy or not developer.seller_ids:
            self.skipTest("no demo data")
        rule = self.env["stock.warehouse.orderpoint"].search(
            [("product_id", "=", developer.id), ("company_id", "=", kadikoy.id)]
        )
        order = rule.randevu_purchase_order_id
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.company_id, kadikoy)
        self.assertAlmostEqual(order.order_line.filtered(lambda line: line.orderpoint_id == rule).product_qty, 15)
        self.assertIn(order.name, rule.randevu_alert_activity_id.note)
