from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common_credit import RandevuCreditCase

# Every role may edit contacts here, so a refusal is the credit limit's own.
POS = "base.group_user,base.group_partner_manager,point_of_sale.group_pos_user"


@tagged("post_install", "-at_install")
class TestApiAccessCredit(HttpCase, JsonRpcMixin, RandevuCreditCase):
    """A customer's account credit through JSON-RPC, per role: every cashier reads the
    balance and the credit limit (the till needs them); only Randevu managers change
    the limit; the history opens from the customer for cashiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.make_user("rpc_anna", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.make_user("rpc_desk", f"{POS},randevu_calendar.group_randevu_user", cls.branch),
            "manager": cls.make_user("rpc_boss", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "cashier": cls.make_user("rpc_cash", POS, cls.branch),
        }
        cls.card.points = 45

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_read_balance_and_limit(self):
        fields = ["randevu_credit_balance", "randevu_credit_limit"]
        for role in ("staff", "user", "manager", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "res.partner", "read", self.customer.ids, fields)
                self.assertEqual(answer["result"][0]["randevu_credit_balance"], 45)
                self.assertEqual(answer["result"][0]["randevu_credit_limit"], 0)

    def test_only_managers_set_the_limit(self):
        message = "Only Randevu managers may change a customer's credit limit."
        for role in ("staff", "user", "cashier"):
            with self.subTest(role=role):
                answer = self.call(role, "res.partner", "write", self.customer.ids, {"randevu_credit_limit": 500})
                self.assert_access_error(answer, f"{role} sets a credit limit", message)
                answer = self.call(role, "res.partner", "create", {"name": "New", "randevu_credit_limit": 500})
                self.assert_access_error(answer, f"{role} creates a customer with a credit limit", message)
        self.assertEqual(self.customer.randevu_credit_limit, 0)
        answer = self.call("user", "res.partner", "write", self.customer.ids, {"randevu_credit_limit": 0})
        self.assertTrue(answer.get("result"), f"the limit sent unchanged is no change: {answer}")
        answer = self.call("manager", "res.partner", "write", self.customer.ids, {"randevu_credit_limit": 150})
        self.assertTrue(answer.get("result"), answer)
        self.assertEqual(self.customer.randevu_credit_limit, 150)
        # Other fields of the customer stay writable by the front desk.
        answer = self.call("user", "res.partner", "write", self.customer.ids, {"phone": "+33645019284"})
        self.assertTrue(answer.get("result"), answer)

    def test_history_and_loading(self):
        answer = self.call("user", "res.partner", "action_randevu_credit_history", self.customer.ids)
        domain = answer["result"]["domain"]
        history = self.call("user", "loyalty.history", "search_read", domain, ["issued", "used"])["result"]
        self.assertEqual(history, [])
        self.env["loyalty.history"].create({"card_id": self.card.id, "description": "Top-up", "issued": 45})
        history = self.call("cashier", "loyalty.history", "search_read", domain, ["issued"])["result"]
        self.assertEqual([row["issued"] for row in history], [45])
        self.assertIn("randevu_credit_limit", self.env["res.partner"]._load_pos_data_fields(self.config.id))
