from odoo.tests import HttpCase, tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestDayPlannerStock(HttpCase, InventoryCase):
    """The Day planner flags (marker ``stock``) the appointments whose products the branch's
    stock does not cover, with the appointment form's warning as title; the others not.
    70 ml of colour cream in stock: Anna's haircut (60 ml) is covered, Bruno's (80 ml) not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receptionist = cls.make_user("planner_stock_rec", "randevu_calendar.group_randevu_user", cls.branch)
        cls.staff_user = cls.make_user("planner_stock_staff", "randevu_calendar.group_randevu_staff", cls.branch)
        cls.bruno.user_id = cls.staff_user
        cls.fine_customer, cls.short_customer = cls.env["res.partner"].create(
            [{"name": "Stock Fine"}, {"name": "Stock Short"}]
        )

    def setUp(self):
        super().setUp()
        self.set_stock(self.cream, 0.07)
        self.fine = self.book(self.at, staff=self.anna, partner_id=self.fine_customer.id)
        self.short = self.book(self.at, staff=self.bruno, partner_id=self.short_customer.id)

    def markers(self, user=None):
        planner = self.env["randevu.day.planner"].with_user(user or self.receptionist)
        blocks = planner.get_day(self.branch.id, "2031-01-06")["appointments"]
        return {block["id"]: block["markers"] for block in blocks}

    def stock_markers(self, user=None):
        return {
            appointment_id: [marker["title"] for marker in markers if marker["key"] == "stock"]
            for appointment_id, markers in self.markers(user).items()
        }

    def test_the_appointment_short_of_stock_is_flagged_the_other_not(self):
        markers = self.stock_markers()
        self.assertEqual(markers[self.short.id], [self.short.randevu_stock_warning])
        self.assertEqual(markers[self.short.id], [f"Not enough in stock at {self.branch.name}: Test colour cream"])
        self.assertEqual(markers[self.fine.id], [])
        self.assertFalse(self.fine.randevu_stock_warning)

    def test_the_flag_follows_the_stock_and_the_corrected_quantities(self):
        self.set_stock(self.cream, 0.01)
        self.assertEqual(self.stock_markers()[self.short.id], [], "80 ml in stock now")
        self.fine.action_randevu_plan_consumables()
        self.fine.consumable_ids.quantity = 90
        self.assertTrue(self.stock_markers()[self.fine.id], "the corrected 90 ml are not in stock")

    def test_done_appointments_are_not_flagged(self):
        self.short.action_done()
        self.assertEqual(self.stock_markers()[self.short.id], [])

    def test_staff_see_the_flag_on_their_own_appointment(self):
        markers = self.stock_markers(self.staff_user)
        self.assertEqual(markers[self.short.id], [f"Not enough in stock at {self.branch.name}: Test colour cream"])

    def test_tour(self):
        self.start_tour(
            f"/odoo/randevu-day-planner?branch_id={self.branch.id}&day=2031-01-06&cids={self.branch.id}",
            "randevu_inventory_day_planner_stock_tour",
            login=self.receptionist.login,
        )
