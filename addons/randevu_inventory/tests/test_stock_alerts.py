from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestStockAlerts(InventoryCase):
    """Minimum per branch (Odoo's reordering rules): one activity for the branch's manager
    while a product is below it, done when it is back; the appointment warns of a
    product its branch lacks; near-expiry lots are product_expiry's activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boss = cls.make_user("inv_boss", "randevu_calendar.group_randevu_manager", cls.branch)
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": cls.warehouse.id,
                "location_id": cls.stock.id,
                "product_id": cls.cream.id,
                "product_min_qty": 2,
                "product_max_qty": 6,
                "company_id": cls.branch.id,
            }
        )
        cls.activity_type = cls.env.ref("randevu_inventory.mail_activity_type_low_stock")

    def run_alerts(self):
        self.env["stock.warehouse.orderpoint"]._randevu_cron_stock_alerts()

    def alerts(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "=", self.cream.product_tmpl_id.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_one_activity_while_below_done_when_back(self):
        self.set_stock(self.cream, 1)
        self.run_alerts()
        alert = self.alerts()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.boss, "a Randevu manager of the branch by default")
        self.assertIn(self.branch.name, alert.summary)
        self.assertTrue(self.orderpoint.randevu_low_stock)
        self.assertEqual(self.branch.randevu_low_stock_count, 1)
        action = self.branch.action_randevu_low_stock()
        self.assertEqual(self.env["stock.warehouse.orderpoint"].search(action["domain"]), self.orderpoint)

        self.run_alerts()
        self.set_stock(self.cream, 0.5)  # still below (1.5)
        self.run_alerts()
        self.assertEqual(self.alerts(), alert, "not twice while still below")

        self.set_stock(self.cream, 1)  # 2.5, back above
        self.run_alerts()
        self.assertFalse(self.alerts())
        self.assertFalse(alert.exists(), "marked done")
        self.assertFalse(self.orderpoint.randevu_low_stock)
        self.assertEqual(self.branch.randevu_low_stock_count, 0)
        self.assertIn("Back at or above its minimum", self.cream.product_tmpl_id.message_ids[0].body)

        self.set_stock(self.cream, -2)
        self.run_alerts()
        self.assertEqual(len(self.alerts()), 1, "below again: a new activity")

    def test_chosen_manager_and_other_branch(self):
        other = self._make_branch("Lyon", "Europe/Paris")
        clerk = self.make_user("inv_clerk", "stock.group_stock_user", self.branch)
        self.branch.randevu_stock_manager_id = clerk
        self.set_stock(self.cream, 5)
        other_stock = other._randevu_warehouse().lot_stock_id
        self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": other._randevu_warehouse().id,
                "location_id": other_stock.id,
                "product_id": self.cream.id,
                "product_min_qty": 1,
                "product_max_qty": 4,
                "company_id": other.id,
            }
        )
        self.run_alerts()
        self.assertEqual(self.branch.randevu_low_stock_count, 0, "5 L in Paris")
        self.assertEqual(other.randevu_low_stock_count, 1, "none in Lyon")
        self.orderpoint.write({"product_min_qty": 10, "product_max_qty": 20})
        self.run_alerts()
        paris = self.alerts().filtered(lambda activity: self.branch.name in activity.summary)
        self.assertEqual(paris.user_id, clerk)

    def test_owner_overview_counts_the_branch_products_below_minimum(self):
        other = self._make_branch("Lyon", "Europe/Paris")
        self.boss.company_ids |= other
        serum_rule = self.orderpoint.copy({"product_id": self.serum.id})
        self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": other._randevu_warehouse().id,
                "location_id": other._randevu_warehouse().lot_stock_id.id,
                "product_id": self.cream.id,
                "product_min_qty": 1,
                "product_max_qty": 4,
                "company_id": other.id,
            }
        )
        self.set_stock(self.serum, 5, lot=self.lot_early)
        self.run_alerts()
        self.assertFalse(serum_rule.randevu_low_stock)
        overview = self.env["randevu.overview"].with_user(self.boss)
        # The owner is no inventory user: the figure, not the list.
        self.assertEqual(overview.get_overview(self.branch.id)["low_stock"], {"count": 1, "can_open": False})
        self.assertEqual(overview.get_overview(other.id)["low_stock"]["count"], 1)
        self.set_stock(self.cream, 5)
        self.run_alerts()
        self.assertEqual(overview.get_overview(self.branch.id)["low_stock"]["count"], 0)
        self.boss.groups_id |= self.env.ref("stock.group_stock_user")
        self.assertTrue(overview.get_overview(self.branch.id)["low_stock"]["can_open"])

    def test_rule_change_and_write_off_trigger_the_alerts(self):
        cron = self.env.ref("randevu_inventory.ir_cron_randevu_stock_alerts")
        triggers = self.env["ir.cron.trigger"]
        before = triggers.search([("cron_id", "=", cron.id)])
        self.orderpoint.product_min_qty = 3
        after_rule = triggers.search([("cron_id", "=", cron.id)])
        self.assertGreater(len(after_rule), len(before))
        self.set_stock(self.cream, 5)
        appointment = self.book(self.at)
        appointment.action_done()
        self.assertGreater(len(triggers.search([("cron_id", "=", cron.id)])), len(after_rule))

    def test_appointment_warns_of_a_product_the_branch_lacks(self):
        appointment = self.book(self.at)
        self.assertIn(self.cream.name, appointment.randevu_stock_warning)
        self.set_stock(self.cream, 0.05)
        appointment.invalidate_recordset(["randevu_stock_warning"])
        self.assertIn(self.cream.name, appointment.randevu_stock_warning, "50 ml for 60 ml")
        self.set_stock(self.cream, 1)
        appointment.invalidate_recordset(["randevu_stock_warning"])
        self.assertFalse(appointment.randevu_stock_warning)
        appointment.action_randevu_plan_consumables()
        appointment.consumable_ids.quantity = 2000
        self.assertIn(self.cream.name, appointment.randevu_stock_warning, "the corrected quantity counts")
        appointment.action_done()
        self.assertFalse(appointment.randevu_stock_warning)

    def test_near_expiry_lots_are_product_expiry_activities(self):
        self.lot_early.alert_date = fields.Datetime.now() - timedelta(days=1)
        self.set_stock(self.serum, 3, lot=self.lot_early)
        self.env["stock.lot"]._alert_date_exceeded()
        self.assertEqual(
            self.lot_early.activity_ids.activity_type_id,
            self.env.ref("product_expiry.mail_activity_type_alert_date_reached"),
        )
        self.assertFalse(self.lot_late.activity_ids)

    def test_near_expiry_lots_reach_the_manager_of_each_branch_holding_them(self):
        lyon = self._make_branch("Lyon", "Europe/Paris")
        lyon_boss = self.make_user("inv_lyon_boss", "randevu_calendar.group_randevu_manager", lyon)
        self.lot_early.write({"alert_date": fields.Datetime.now() - timedelta(days=1), "company_id": False})
        self.set_stock(self.serum, 3, lot=self.lot_early)
        self.set_stock(self.serum, 2, lot=self.lot_early, location=lyon._randevu_warehouse().lot_stock_id)
        self.env["stock.lot"]._alert_date_exceeded()
        expiry = self.env.ref("product_expiry.mail_activity_type_alert_date_reached")
        activities = self.lot_early.activity_ids.filtered(lambda a: a.activity_type_id == expiry)
        self.assertIn(self.boss, activities.user_id)
        self.assertIn(lyon_boss, activities.user_id)
        paris = activities.filtered(lambda a: a.user_id == self.boss)
        self.assertEqual(len(paris), 1)
        self.assertIn(f"3.00 Units in stock at {self.branch.name}", paris.note)
        # Once per lot: the next run adds nothing.
        count = len(self.lot_early.activity_ids)
        self.env["stock.lot"]._alert_date_exceeded()
        self.assertEqual(len(self.lot_early.activity_ids), count)

    def test_the_chosen_stock_alerts_user_gets_the_near_expiry_activity(self):
        chosen = self.make_user("inv_chosen_exp", "randevu_calendar.group_randevu_user", self.branch)
        self.branch.randevu_stock_manager_id = chosen
        self.lot_early.alert_date = fields.Datetime.now() - timedelta(days=1)
        self.set_stock(self.serum, 3, lot=self.lot_early)
        self.env["stock.lot"]._alert_date_exceeded()
        self.assertIn(chosen, self.lot_early.activity_ids.user_id)
        self.assertNotIn(self.boss, self.lot_early.activity_ids.user_id)
