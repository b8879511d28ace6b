from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import RandevuPosCase

ACCOUNTANT = "base.group_user,randevu_pos.group_randevu_accountant"


@tagged("post_install", "-at_install")
class TestAccountantAccess(HttpCase, JsonRpcMixin, RandevuPosCase):
    """The read-only accountant through JSON-RPC (/web/dataset/call_kw): reads the
    accounting, the till's orders, lines and payments, the appointments and the
    reports of the branches given to them; writes nothing; sees nothing of another
    branch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        cls.accountant = cls.make_user("rpc_acc", ACCOUNTANT, cls.branch)
        cls.lyon_accountant = cls.make_user("rpc_acc_lyon", ACCOUNTANT, cls.lyon)

    def setUp(self):
        super().setUp()
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt, extra=[(self.shampoo, 12, {})]))
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        self.order = self.cut_appt.randevu_pos_order_id
        self.line = self.order.lines.filtered(lambda line: line.product_id == self.shampoo)

    def login(self, user):
        self.authenticate(user.login, user.login)

    def test_group(self):
        self.assertTrue(self.accountant.has_group("account.group_account_readonly"), "finance read-only")
        self.assertFalse(self.accountant.has_group("account.group_account_invoice"))
        self.assertFalse(self.accountant.has_group("point_of_sale.group_pos_user"))
        self.assertFalse(self.accountant.has_group("randevu_calendar.group_randevu_staff"))
        visible = self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        for xmlid in (
            "randevu_calendar.randevu_menu_root",
            "randevu_pos.randevu_report_menu",
            "randevu_pos.randevu_report_revenue_menu",
            "randevu_pos.randevu_report_payment_menu",
            "randevu_pos.randevu_report_wizard_menu",
        ):
            self.assertIn(self.env.ref(xmlid).id, visible, xmlid)
        self.assertNotIn(self.env.ref("randevu_calendar.randevu_config_menu").id, visible)
        staff = self.make_user("rpc_staff", "base.group_user,randevu_calendar.group_randevu_staff", self.branch)
        visible = self.env["ir.ui.menu"].with_user(staff)._visible_menu_ids()
        self.assertNotIn(self.env.ref("randevu_pos.randevu_report_menu").id, visible, "reports: not for staff")

    def test_who_sees_the_reports(self):
        """A Randevu manager (no POS group) reads the reports too; staff and a plain cashier do not."""
        manager = self.make_user("rpc_boss", "base.group_user,randevu_calendar.group_randevu_manager", self.branch)
        self.login(manager)
        groups = self.call_kw_result("pos.payment", "read_group", [], ["amount:sum"], ["payment_method_id"], lazy=False)
        self.assertEqual([(group["payment_method_id"][0], group["amount"]) for group in groups], [(self.cash.id, 40)])
        self.assertEqual(self.call_kw_result("report.pos.order", "search_count", []), 2)
        self.assert_access_error(self.call_kw("pos.order", "write", self.order.ids, {"general_note": "x"}), "manager")
        values = {"date_from": str(self.today), "date_to": str(self.today), "branch_ids": [(6, 0, self.branch.ids)]}
        self.call_kw_result("randevu.report.wizard", "create", [values])
        for login, groups in (
            ("rpc_staff", "base.group_user,randevu_calendar.group_randevu_staff"),
            ("rpc_cash", "base.group_user,point_of_sale.group_pos_user"),
        ):
            with self.subTest(login=login):
                self.login(self.make_user(login, groups, self.branch))
                self.assert_access_error(self.call_kw("randevu.report.wizard", "create", [values]), login)

    def test_reads(self):
        self.login(self.accountant)
        [order] = self.call_kw_result("pos.order", "read", self.order.ids, ["name", "amount_total", "state"])
        self.assertEqual((order["amount_total"], order["state"]), (40, "paid"))
        [line] = self.call_kw_result("pos.order.line", "read", self.line.ids, ["randevu_employee_id", "price_unit"])
        self.assertEqual(line["price_unit"], 12)
        payments = self.call_kw_result("pos.payment", "search_read", [("pos_order_id", "=", self.order.id)], ["amount"])
        self.assertEqual([payment["amount"] for payment in payments], [40])
        [appointment] = self.call_kw_result("randevu.appointment", "read", self.cut_appt.ids, ["payment_state"])
        self.assertEqual(appointment["payment_state"], "paid")
        self.assertIsInstance(self.call_kw_result("account.move", "search_count", []), int)
        day = self.call_kw_result("randevu.day.planner", "get_day", self.branch.id, str(self.today))
        self.assertIn(self.cut_appt.id, [appointment["id"] for appointment in day["appointments"]], "the planner reads")
        revenue = self.call_kw_result(
            "report.pos.order",
            "read_group",
            [("state", "in", ("paid", "done", "invoiced"))],
            ["price_total:sum"],
            ["randevu_employee_id"],
            lazy=False,
        )
        self.assertEqual(
            {
                group["randevu_employee_id"] and group["randevu_employee_id"][1]: group["price_total"]
                for group in revenue
            },
            {"Anna": 28, False: 12},
        )

    def test_reports(self):
        self.login(self.accountant)
        [wizard_id] = self.call_kw_result(
            "randevu.report.wizard",
            "create",
            [{"date_from": str(self.today), "date_to": str(self.today), "branch_ids": [(6, 0, self.branch.ids)]}],
        )
        action = self.call_kw_result("randevu.report.wizard", "action_open_utilisation", [wizard_id])
        groups = self.call_kw_result(
            "randevu.utilisation.report",
            "read_group",
            action["domain"],
            ["booked_hours:sum"],
            ["company_id"],
            lazy=False,
        )
        self.assertEqual([group["company_id"][0] for group in groups], self.branch.ids if groups else [])
        action = self.call_kw_result("randevu.report.wizard", "action_export_xlsx", [wizard_id])
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK", "an XLSX (zip) file")
        # Another user's report run is not theirs.
        self.login(self.lyon_accountant)
        answer = self.call_kw("randevu.report.wizard", "read", [wizard_id], ["date_from"])
        self.assert_access_error(answer, "another user's report run")

    def test_writes_refused(self):
        self.login(self.accountant)
        for model, ids, values in (
            ("pos.order", self.order.ids, {"general_note": "changed"}),
            ("pos.order.line", self.line.ids, {"randevu_employee_id": self.bruno.id}),
            ("pos.payment", self.order.payment_ids.ids, {"amount": 1}),
            ("randevu.appointment", self.blow_appt.ids, {"internal_note": "changed"}),
        ):
            with self.subTest(model=model):
                self.assert_access_error(self.call_kw(model, "write", ids, values), f"writes {model}")
        later = self.book(self.local(15), staff=self.anna, service=self.cut, hours_override=True)
        self.assert_access_error(self.call_kw("randevu.appointment", "action_cancel", later.ids), "cancels")
        self.assert_access_error(self.call_kw("pos.order", "unlink", self.order.ids), "deletes an order")
        self.assert_access_error(
            self.call_kw("randevu.appointment", "create", [{"company_id": self.branch.id}]), "books"
        )
        self.assert_access_error(
            self.call_kw("account.move", "create", [{"move_type": "entry"}]), "writes the accounting"
        )
        # The Day Planner (the Randevu app opens on it): moving or booking is refused.
        start, stop = later.start.isoformat(sep=" "), later.stop.isoformat(sep=" ")
        self.assert_access_error(
            self.call_kw("randevu.day.planner", "move", later.id, self.bruno.id, start, stop), "moves in the planner"
        )
        answer = self.call_kw(
            "randevu.day.planner",
            "create_from_planner",
            self.branch.id,
            self.anna.id,
            self.cut.id,
            start,
            customer_id=self.customer.id,
        )
        self.assert_access_error(answer, "books in the planner")
        self.assertEqual((self.blow_appt.state, later.state), ("in_progress", "booked"))
        self.assertEqual((later.employee_id, later.start), (self.anna, self.local(15)))
        self.assertEqual(self.line.randevu_employee_id, self.env["hr.employee"])

    def test_other_branch_invisible(self):
        self.login(self.lyon_accountant)
        self.assertEqual(self.call_kw_result("pos.order", "search_count", []), 0)
        self.assertEqual(self.call_kw_result("pos.payment", "search_count", []), 0)
        self.assertEqual(self.call_kw_result("report.pos.order", "search_count", []), 0)
        self.assertEqual(self.call_kw_result("randevu.appointment", "search_count", []), 0)
        for model, ids in (
            ("pos.order", self.order.ids),
            ("pos.order.line", self.line.ids),
            ("pos.payment", self.order.payment_ids.ids),
            ("randevu.appointment", self.cut_appt.ids),
        ):
            with self.subTest(model=model):
                self.assert_access_error(self.call_kw(model, "read", ids, ["id"]), f"reads Paris's {model}")
        answer = self.call_kw(
            "randevu.report.wizard",
            "create",
            [{"date_from": str(self.today), "date_to": str(self.today), "branch_ids": [(6, 0, self.branch.ids)]}],
        )
        self.assert_access_error(
            answer, "reports on Paris", message="You may only report on your own branches, not on Salon Paris."
        )
