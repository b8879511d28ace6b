from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestStockAlertsConcurrent(CommittedCase):
    """Two runs of the low-stock alerts at once (the cron and a manual run, two workers)
    leave one activity: both write the rule's activity, the second run is refused by
    PostgreSQL, retried, and finds the first one's."""

    def test_two_runs_at_once_make_one_activity(self):
        with self.committed_env() as env:
            warehouse = env["stock.warehouse"].search([("company_id", "=", env.ref("base.main_company").id)], limit=1)
            product = env["product.product"].create({"name": f"Race gel {self.tag}", "is_storable": True})
            orderpoint = env["stock.warehouse.orderpoint"].create(
                {
                    "warehouse_id": warehouse.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "product_id": product.id,
                    "product_min_qty": 1,
                    "product_max_qty": 3,
                }
            )
            ids = product.id, product.product_tmpl_id.id, orderpoint.id
        self.addCleanup(self._remove, *ids)

        def act(env, index):
            # No assignment email: sent after the commit on a new cursor, it would wait for
            # the registry the test runner holds.
            orderpoint = env["stock.warehouse.orderpoint"].browse(ids[2])
            orderpoint.with_context(mail_activity_quick_update=True)._randevu_update_stock_alerts()

        def snapshot(env, index):
            env["stock.warehouse.orderpoint"].browse(ids[2]).read(["randevu_alert_activity_id"])

        outcomes = self.run_at_once(snapshot, act)
        self.assertEqual([outcome for outcome, _attempt in outcomes.values()], ["ok", "ok"], outcomes)
        with self.committed_env() as env:
            activities = env["mail.activity"].search([("res_model", "=", "product.template"), ("res_id", "=", ids[1])])
            self.assertEqual(len(activities), 1)
            self.assertEqual(env["stock.warehouse.orderpoint"].browse(ids[2]).randevu_alert_activity_id, activities)

    def _remove(self, product_id, template_id, orderpoint_id):
        with self.committed_env() as env:
            env["mail.activity"].search([("res_model", "=", "product.template"), ("res_id", "=", template_id)]).unlink()
            env["stock.warehouse.orderpoint"].browse(orderpoint_id).unlink()
            env["product.product"].browse(product_id).product_tmpl_id.unlink()
