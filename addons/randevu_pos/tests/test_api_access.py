from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import RandevuPosCase

POS = "base.group_user,point_of_sale.group_pos_user"


@tagged("post_install", "-at_install")
class TestApiAccess(HttpCase, JsonRpcMixin, RandevuPosCase):
    """The till's fields through JSON-RPC (/web/dataset/call_kw), per role: the line's
    performer is read by every cashier; its appointment and the appointment's POS order
    by Randevu staff, users and managers; today's list by users and managers only, of
    their own branch; a cashier who is not a Randevu user sees none of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.make_user("rpc_anna", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.desk,
            "manager": cls.make_user("rpc_boss", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "cashier": cls.make_user("rpc_cash", POS, cls.branch),
        }
        cls.anna.user_id = cls.users["staff"]

    def setUp(self):
        super().setUp()
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt, extra=[(self.shampoo, 12, {})]))
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        self.order = self.cut_appt.randevu_pos_order_id
        self.line = self.order.lines.filtered("randevu_appointment_id")

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_line_fields(self):
        for role in ("staff", "user", "manager", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.order.line", "read", self.line.ids, ["randevu_employee_id"])
                self.assertEqual(answer["result"][0]["randevu_employee_id"][0], self.anna.id)
        for role in ("user", "manager"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.order.line", "read", self.line.ids, ["randevu_appointment_id"])
                self.assertEqual(answer["result"][0]["randevu_appointment_id"][0], self.cut_appt.id)
        answer = self.call("cashier", "pos.order.line", "read", self.line.ids, ["randevu_appointment_id"])
        self.assert_access_error(answer, "a cashier reads the line's appointment")
        answer = self.call("cashier", "pos.order.line", "read", self.line.ids, ["randevu_attendee_id"])
        self.assert_access_error(answer, "a cashier reads the line's class seat")
        answer = self.call("cashier", "pos.order.line", "write", self.line.ids, {"randevu_appointment_id": False})
        self.assert_access_error(answer, "a cashier unlinks the appointment")
        self.assertEqual(self.line.randevu_appointment_id, self.cut_appt)

    def test_appointment_links(self):
        for role in ("staff", "user", "manager"):
            with self.subTest(role=role):
                answer = self.call(role, "randevu.appointment", "read", self.cut_appt.ids, ["randevu_pos_order_id"])
                self.assertEqual(answer["result"][0]["randevu_pos_order_id"][0], self.order.id)
                answer = self.call(role, "pos.order", "read", self.order.ids, ["randevu_appointment_ids"])
                self.assertEqual(answer["result"][0]["randevu_appointment_ids"], self.cut_appt.ids)
        answer = self.call("cashier", "pos.order", "read", self.order.ids, ["randevu_appointment_ids"])
        self.assert_access_error(answer, "a cashier reads the order's appointments")
        answer = self.call("cashier", "randevu.appointment", "read", self.cut_appt.ids, ["payment_state"])
        self.assert_access_error(answer, "a cashier reads an appointment")

    def test_todays_list(self):
        for role in ("user", "manager"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.config", "randevu_pos_appointments", self.config.ids)
                self.assertEqual([row["id"] for row in answer["result"]], (self.cut_appt | self.blow_appt).ids)
                self.assertFalse(answer["result"][0]["pickable"], "paid already")
        for role in ("staff", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.config", "randevu_pos_appointments", self.config.ids)
                self.assert_access_error(answer, f"{role} lists today's appointments")

    def test_deposit_method_flag(self):
        """`pos.payment.method.randevu_deposit`: read by every cashier (the till loads
        it), set by POS managers only; today's list gives the deposit left to users."""
        deposit = self.env["pos.payment.method"].create(
            {"name": "Deposit", "company_id": self.branch.id, "split_transactions": True, "randevu_deposit": True}
        )
        for role in ("staff", "user", "manager", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.payment.method", "read", deposit.ids, ["randevu_deposit"])
                self.assertTrue(answer["result"][0]["randevu_deposit"])
                answer = self.call(role, "pos.payment.method", "write", deposit.ids, {"randevu_deposit": False})
                self.assert_access_error(answer, f"{role} turns the deposit method into a free one")
        self.assertTrue(deposit.randevu_deposit)
        answer = self.call("user", "pos.config", "randevu_pos_appointments", self.config.ids)
        self.assertEqual([row["deposit"] for row in answer["result"]], [0, 0], "nothing paid online")

    def test_receivables_aging_and_settle_due(self):
        """The aging view (randevu.receivable.aging): accountants and Randevu managers of
        the branch read it; Randevu staff and users, and cashiers, do not; an accountant of
        another branch sees none of this branch's rows. Settle Due: invoicing users only."""
        partner = self.customer.with_company(self.branch)
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "parent_of", self.branch.id)], limit=1
        )
        income = self.env["account.account"].search(
            [("account_type", "=", "income"), ("company_ids", "parent_of", self.branch.id)], limit=1
        )
        due = (
            self.env["account.move"]
            .with_company(self.branch)
            .create(
                {
                    "journal_id": journal.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "account_id": partner.property_account_receivable_id.id,
                                "partner_id": partner.id,
                                "debit": 30,
                            },
                        ),
                        (0, 0, {"account_id": income.id, "credit": 30}),
                    ],
                }
            )
        )
        due.action_post()
        parent = self.branch.parent_id
        accounting = "base.group_user,account.group_account_invoice,account.group_account_readonly"
        self.users["accountant"] = self.make_user("rpc_books", accounting, self.branch, companies=self.branch | parent)
        lyon = self._make_branch("Lyon", "Europe/Paris")
        self.users["lyon_accountant"] = self.make_user("rpc_lyon", accounting, lyon, companies=lyon | parent)
        domain = [("partner_id", "=", self.customer.id)]
        for role in ("accountant", "manager"):
            with self.subTest(role=role):
                answer = self.call(
                    role, "randevu.receivable.aging", "search_read", domain, ["amount_residual", "bucket"]
                )
                self.assertEqual([(row["amount_residual"], row["bucket"]) for row in answer["result"]], [(30, "0_30")])
        answer = self.call("lyon_accountant", "randevu.receivable.aging", "search_read", domain, ["amount_residual"])
        self.assertEqual(answer["result"], [], "another branch's accountant")
        for role in ("staff", "user", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "randevu.receivable.aging", "search_read", domain, ["amount_residual"])
                self.assert_access_error(answer, f"{role} reads the receivables")
        answer = self.call(
            "accountant", "randevu.receivable.aging", "write", [due.line_ids[0].id], {"amount_residual": 0}
        )
        self.assert_access_error(answer, "the aging is read-only")
        answer = self.call("accountant", "res.partner", "action_randevu_settle_due", self.customer.ids)
        self.assertEqual(answer["result"]["res_model"], "account.payment.register")
        self.assertEqual(answer["result"]["context"]["active_ids"], due.line_ids.filtered("debit").ids)
        for role in ("manager", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "res.partner", "action_randevu_settle_due", self.customer.ids)
                self.assert_access_error(answer, f"{role} settles a customer's due")
