import json

from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .test_api_access import POS
from .test_pos_settle_due import RandevuPosSettleDueCase


@tagged("post_install", "-at_install")
class TestApiAccessSettle(HttpCase, JsonRpcMixin, RandevuPosSettleDueCase):
    """Settling what is due through JSON-RPC, per role: every cashier of the branch reads
    a customer's due (the field the till loads, and the fresh amount) and settles at most
    that; a POS manager may take more; a user without the till, or of another branch, is
    refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lyon = cls._make_branch("Lyon", "Europe/Paris")
        cls.users = {
            "staff": cls.make_user("rpc_anna", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.desk,
            "manager": cls.make_user("rpc_boss", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "cashier": cls.make_user("rpc_cash", POS, cls.branch),
            "pos_manager": cls.make_user("rpc_pos_boss", "base.group_user,point_of_sale.group_pos_manager", cls.branch),
            "office": cls.make_user("rpc_office", "base.group_user,randevu_calendar.group_randevu_user", cls.branch),
            "lyon": cls.make_user("rpc_lyon", POS, lyon),
        }

    def setUp(self):
        super().setUp()
        self.till_session = self.open_session()
        self.leave_on_account(self.till_session)

    def settle_json(self, amount):
        """The settle order as the till sends it (dates as text)."""
        return json.loads(json.dumps(self.settle_data(self.till_session, amount), default=str))

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_due_read_by_cashiers_only(self):
        for role in ("staff", "user", "manager", "cashier", "pos_manager"):
            with self.subTest(role=role):
                answer = self.call(role, "res.partner", "read", self.customer.ids, ["randevu_pos_due"])
                self.assertEqual(answer["result"][0]["randevu_pos_due"], 48)
                answer = self.call(role, "pos.config", "randevu_pos_customer_due", self.config.ids, self.customer.id)
                self.assertEqual(answer["result"], {"due": 48, "can_exceed": role == "pos_manager"})
        answer = self.call("office", "res.partner", "read", self.customer.ids, ["randevu_pos_due"])
        self.assert_access_error(answer, "a Randevu user without the till reads the due")
        answer = self.call("office", "pos.config", "randevu_pos_customer_due", self.config.ids, self.customer.id)
        self.assert_access_error(answer, "a Randevu user without the till asks the due")
        answer = self.call("lyon", "pos.config", "randevu_pos_customer_due", self.config.ids, self.customer.id)
        self.assert_access_error(answer, "a cashier of another branch asks the due")

    def test_settle_at_most_the_due_unless_pos_manager(self):
        for role in ("cashier", "user"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.order", "sync_from_ui", [self.settle_json(49)])
                self.assert_rpc_error(answer, "UserError")
                self.assertRegex(answer["error"]["data"]["message"], r"owes \D*48\.00")
        self.assertEqual(self.due(), 48, "nothing settled")
        answer = self.call("cashier", "pos.order", "sync_from_ui", [self.settle_json(18)])
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.due(), 30)
        answer = self.call("pos_manager", "pos.order", "sync_from_ui", [self.settle_json(40)])
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.due(), -10, "the manager took more: the customer is in credit")
