from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestPurchaseProposalConcurrent(CommittedCase):
    """Two runs of the low-stock alerts at once on a rule already alerted (its activity
    made before the product had a vendor) propose one RFQ line, not two: the rule's row is
    written first, the second run is refused by PostgreSQL, retried, and finds the first
    one's RFQ in the forecast."""

    def test_two_runs_at_once_make_one_proposal(self):
        with self.committed_env() as env:
            warehouse = env["stock.warehouse"].search([("company_id", "=", env.ref("base.main_company").id)], limit=1)
            vendor = env["res.partner"].create({"name": f"Race vendor {self.tag}"})
            product = env["product.product"].create(
                {
                    "name": f"Race developer {self.tag}",
                    "is_storable": True,
                    "route_ids": [(6, 0, env.ref("purchase_stock.route_warehouse0_buy").ids)],
                }
            )
            orderpoint = env["stock.warehouse.orderpoint"].create(
                {
                    "warehouse_id": warehouse.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "product_id": product.id,
                    "product_min_qty": 1,
                    "product_max_qty": 3,
                    "trigger": "manual",
                }
            )
            orderpoint.with_context(mail_activity_quick_update=True)._randevu_update_stock_alerts()
            self.assertTrue(orderpoint.randevu_alert_activity_id, "alerted, nothing proposed: no vendor yet")
            env["product.supplierinfo"].create(
                {"partner_id": vendor.id, "product_tmpl_id": product.product_tmpl_id.id, "company_id": False}
            )
            ids = vendor.id, product.id, product.product_tmpl_id.id, orderpoint.id
        self.addCleanup(self._remove, *ids)

        def act(env, index):
            orderpoint = env["stock.warehouse.orderpoint"].browse(ids[3])
            orderpoint.with_context(mail_activity_quick_update=True)._randevu_update_stock_alerts()

        def snapshot(env, index):
            env["purchase.order.line"].search_count([("orderpoint_id", "=", ids[3])])

        outcomes = self.run_at_once(snapshot, act)
        self.assertEqual([outcome for outcome, _attempt in outcomes.values()], ["ok", "ok"], outcomes)
        self.assertTrue(any(attempt for _outcome, attempt in outcomes.values()), f"one run retried: {outcomes}")
        with self.committed_env() as env:
            lines = env["purchase.order.line"].search([("orderpoint_id", "=", ids[3])])
            self.assertEqual(len(lines), 1)
            self.assertEqual(lines.product_qty, 3)

    def _remove(self, vendor_id, product_id, template_id, orderpoint_id):
        with self.committed_env() as env:
            orders = env["purchase.order.line"].search([("orderpoint_id", "=", orderpoint_id)]).order_id
            orders.button_cancel()
            orders.unlink()
            env["mail.activity"].search([("res_model", "=", "product.template"), ("res_id", "=", template_id)]).unlink()
            env["stock.warehouse.orderpoint"].browse(orderpoint_id).unlink()
            env["product.supplierinfo"].search([("product_tmpl_id", "=", template_id)]).unlink()
            env["product.product"].browse(product_id).product_tmpl_id.unlink()
            env["res.partner"].browse(vendor_id).unlink()
