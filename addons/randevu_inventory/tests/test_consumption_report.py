from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestConsumptionReport(HttpCase, JsonRpcMixin, InventoryCase):
    """Anna's haircut plans 60 ml of cream and uses 80 ml; Bruno's plans and uses 80 ml.
    Cream costs 32.45 a litre; the haircut is sold 45.50."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cream.standard_price = 32.45
        cls.set_stock(cls, cls.cream, 5)
        cls.annas = cls.book(cls, cls.at, price=45.50)
        cls.brunos = cls.book(cls, cls.at, staff=cls.bruno, price=45.50)
        (cls.annas | cls.brunos).action_randevu_plan_consumables()
        cls.annas.consumable_ids.quantity = 80
        (cls.annas | cls.brunos).action_done()
        cls.env.flush_all()

    def rows(self, appointment, **domain):
        return self.env["randevu.consumption.report"].search([("appointment_id", "=", appointment.id)])

    def test_figures_of_one_appointment(self):
        rows = self.rows(self.annas)
        line = rows.filtered("product_id")
        self.assertEqual(line.product_id, self.cream)
        self.assertEqual(line.uom_id, self.litre)
        self.assertAlmostEqual(line.planned_quantity, 0.06)
        self.assertAlmostEqual(line.used_quantity, 0.08)
        self.assertAlmostEqual(line.waste_quantity, 0.02, msg="80 ml used - 60 ml planned = 20 ml")
        self.assertAlmostEqual(line.planned_cost, 1.95, places=2, msg="0.06 L x 32.45 = 1.947")
        self.assertAlmostEqual(line.cost, 2.60, places=2, msg="0.08 L x 32.45 = 2.596")
        self.assertAlmostEqual(line.waste_cost, 0.65, places=2)
        self.assertEqual((line.service_id, line.employee_id, line.company_id), (self.haircut, self.anna, self.branch))
        self.assertAlmostEqual(sum(rows.mapped("price")), 45.50, places=2)
        self.assertAlmostEqual(sum(rows.mapped("margin")), 42.90, places=2, msg="45.50 - 2.60")

    def test_by_staff_and_service(self):
        groups = self.env["randevu.consumption.report"].read_group(
            [("appointment_id", "in", (self.annas | self.brunos).ids)],
            ["used_quantity:sum", "waste_quantity:sum", "cost:sum", "price:sum", "margin:sum"],
            ["employee_id"],
        )
        by_staff = {group["employee_id"][0]: group for group in groups}
        anna, bruno = by_staff[self.anna.id], by_staff[self.bruno.id]
        self.assertAlmostEqual(anna["waste_quantity"], 0.02)
        self.assertAlmostEqual(bruno["waste_quantity"], 0, msg="Bruno's own 80 ml is his plan")
        self.assertAlmostEqual(bruno["cost"], 2.60, places=2)
        self.assertAlmostEqual(bruno["margin"], 42.90, places=2)
        total = self.env["randevu.consumption.report"].read_group(
            [("appointment_id", "in", (self.annas | self.brunos).ids)],
            ["cost:sum", "price:sum", "margin:sum"],
            ["service_id"],
        )
        self.assertEqual(len(total), 1)
        self.assertAlmostEqual(total[0]["cost"], 5.20, places=2)
        self.assertAlmostEqual(total[0]["price"], 91.00, places=2)
        self.assertAlmostEqual(total[0]["margin"], 85.80, places=2)

    def test_open_appointments_are_not_counted(self):
        other = self.book(self.at.replace(hour=14))
        other.action_randevu_plan_consumables()
        self.env.flush_all()
        self.assertFalse(self.rows(other))

    def test_managers_read_it_reception_does_not(self):
        group = "randevu_calendar.group_randevu_"
        manager = self.make_user("rep_mgr", group + "manager", self.branch)
        reception = self.make_user("rep_rec", group + "user", self.branch)
        other_manager = self.make_user("rep_other", group + "manager", self.env.ref("base.main_company"))
        self.authenticate(manager.login, manager.login)
        rows = self.call_kw_result("randevu.consumption.report", "search_read", [], ["cost", "appointment_id"])
        self.assertEqual({row["appointment_id"][0] for row in rows}, {self.annas.id, self.brunos.id})
        self.authenticate(other_manager.login, other_manager.login)
        self.assertEqual(self.call_kw_result("randevu.consumption.report", "search_read", [], ["cost"]), [])
        self.authenticate(reception.login, reception.login)
        self.assert_access_error(self.call_kw("randevu.consumption.report", "search_read", [], ["cost"]))
