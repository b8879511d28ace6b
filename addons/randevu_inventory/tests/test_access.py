from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestInventoryApiAccess(HttpCase, JsonRpcMixin, InventoryCase):
    """Through JSON-RPC: staff read the products of their own appointments only and change
    none; receptionists change them until the appointment is done; only managers set a
    service's consumables."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "randevu_calendar.group_randevu_"
        cls.staff_user = cls.make_user("inv_bruno", group + "staff", cls.branch)
        cls.receptionist = cls.make_user("inv_rec", group + "user", cls.branch)
        cls.manager = cls.make_user("inv_mgr", group + "manager", cls.branch)
        cls.bruno.user_id = cls.staff_user
        cls.set_stock(cls, cls.cream, 5)
        cls.brunos = cls.book(cls, cls.at, staff=cls.bruno)
        cls.annas = cls.book(cls, cls.at, staff=cls.anna)
        (cls.brunos | cls.annas).action_randevu_plan_consumables()

    def login(self, user):
        self.authenticate(user.login, user.login)

    def test_staff_read_their_own_appointments_products_only(self):
        self.login(self.staff_user)
        rows = self.call_kw_result(
            "randevu.appointment.consumable", "search_read", [], ["appointment_id", "product_id", "quantity"]
        )
        self.assertEqual({row["appointment_id"][0] for row in rows}, {self.brunos.id})
        self.assert_access_error(
            self.call_kw("randevu.appointment.consumable", "read", self.annas.consumable_ids.ids, ["quantity"])
        )
        self.assert_access_error(
            self.call_kw("randevu.appointment.consumable", "write", self.brunos.consumable_ids.ids, {"quantity": 1})
        )
        self.assert_access_error(
            self.call_kw(
                "randevu.service.consumable", "create", {"service_id": self.haircut.id, "product_id": self.cream.id}
            )
        )
        self.assertEqual(self.brunos.consumable_ids.quantity, 80)
        self.call_kw_result("randevu.appointment", "action_done", self.brunos.ids)
        self.assertEqual(self.brunos.consumable_ids.used_lot_ids, self.env["stock.lot"])
        self.assertAlmostEqual(self.on_hand(self.cream), 4.92, msg="Bruno's own 80 ml")
        self.assert_access_error(self.call_kw("randevu.appointment", "action_randevu_reopen", self.brunos.ids))
        self.assertEqual(self.brunos.state, "done")

    def test_reception_corrects_before_done_and_is_refused_after(self):
        self.login(self.receptionist)
        self.call_kw_result("randevu.appointment.consumable", "write", self.annas.consumable_ids.ids, {"quantity": 70})
        self.assertEqual(self.annas.consumable_ids.quantity, 70)
        self.call_kw_result("randevu.appointment", "action_done", self.annas.ids)
        self.assertAlmostEqual(self.on_hand(self.cream), 4.93)
        answer = self.call_kw("randevu.appointment.consumable", "write", self.annas.consumable_ids.ids, {"quantity": 1})
        self.assert_rpc_error(answer, "UserError")
        self.assertEqual(self.annas.consumable_ids.quantity, 70)
        self.assert_access_error(
            self.call_kw(
                "randevu.service.consumable", "create", {"service_id": self.haircut.id, "product_id": self.cream.id}
            )
        )
        self.call_kw_result("randevu.appointment", "action_randevu_reopen", self.annas.ids)
        self.assertAlmostEqual(self.on_hand(self.cream), 5.0)

    def test_managers_set_the_consumables_of_a_service(self):
        self.login(self.manager)
        new_id = self.call_kw_result(
            "randevu.service.consumable",
            "create",
            {"service_id": self.colour.id, "product_id": self.cream.id, "quantity": 30, "uom_id": self.ml.id},
        )
        self.assertEqual(self.env["randevu.service.consumable"].browse(new_id).service_id, self.colour)

    def test_branch_isolation(self):
        other_branch = self._make_branch("Lyon", "Europe/Paris")
        stranger = self.make_user("inv_lyon", "randevu_calendar.group_randevu_user", other_branch)
        self.login(stranger)
        rows = self.call_kw_result("randevu.appointment.consumable", "search_read", [], ["id"])
        self.assertFalse({row["id"] for row in rows} & set((self.brunos | self.annas).consumable_ids.ids))

    def test_labels_for_reception_not_staff(self):
        self.cream.barcode = "5901234123457"
        values = {"sheet_format": "roll_50x25", "line_ids": [(0, 0, {"product_id": self.cream.id, "quantity": 2})]}
        self.login(self.receptionist)
        wizard_id = self.call_kw_result("randevu.label.wizard", "create", values)
        download = self.call_kw_result("randevu.label.wizard", "action_print", [wizard_id])
        response = self.url_open(download["url"])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.login(self.staff_user)
        self.assert_access_error(self.call_kw("randevu.label.wizard", "create", values))
        self.assert_access_error(self.call_kw("product.product", "action_randevu_assign_barcodes", self.serum.ids))

    def test_low_stock_figure_for_inventory_users(self):
        self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": self.warehouse.id,
                "location_id": self.stock.id,
                "product_id": self.serum.id,
                "product_min_qty": 1,
                "product_max_qty": 2,
                "company_id": self.branch.id,
            }
        )
        self.env["stock.warehouse.orderpoint"]._randevu_cron_stock_alerts()
        clerk = self.make_user("inv_clerk", "stock.group_stock_user", self.branch)
        self.login(clerk)
        rows = self.call_kw_result("res.company", "read", self.branch.ids, ["randevu_low_stock_count"])
        self.assertEqual(rows[0]["randevu_low_stock_count"], 1)
        self.login(self.receptionist)
        self.assert_access_error(self.call_kw("res.company", "read", self.branch.ids, ["randevu_low_stock_count"]))
        rows = self.call_kw_result("randevu.appointment", "read", self.annas.ids, ["randevu_stock_warning"])
        self.assertFalse(rows[0]["randevu_stock_warning"], "5 L of cream for 60 ml")
