import json

from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .refund_common import POS, RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestApiAccessRefund(HttpCase, JsonRpcMixin, RandevuPosRefundCase):
    """Refunds and tips through JSON-RPC (/web/dataset/call_kw), per role: every cashier
    reads a refund's reason and approver and whether a line is a tip; nobody, not even a
    POS manager, writes the approver (the server records it at sync); a refund sent
    with an approver but no manager's PIN is refused and nothing is saved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.make_user("rpc_anna", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.desk,
            "manager": cls.make_user("rpc_rmgr", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "cashier": cls.make_user("rpc_cash", POS, cls.branch),
            "pos_manager": cls.boss,
        }
        cls.config.iface_tipproduct = True

    def setUp(self):
        super().setUp()
        self.pos_session = self.open_session()
        tip = (self.config.tip_product_id, 4, {})
        self.order = self.checkout(self.pos_session, self.cut_appt, extra=[tip])
        data = self.refund_data(self.pos_session, self.order, self.order.lines[:1], reason="mistake", pin="4321")
        self.sync(data)
        self.refund = self.order_of(data)

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_read_refund_and_tip_fields(self):
        fields = ["randevu_refund_reason", "randevu_refund_approved_by_id"]
        for role in self.users:
            with self.subTest(role=role):
                row = self.call(role, "pos.order", "read", self.refund.ids, fields)["result"][0]
                self.assertEqual(
                    (row["randevu_refund_reason"], row["randevu_refund_approved_by_id"][0]), ("mistake", self.boss.id)
                )
                rows = self.call(role, "pos.order.line", "read", self.order.lines.ids, ["randevu_is_tip"])["result"]
                self.assertEqual([row["randevu_is_tip"] for row in rows], [False, True])

    def test_nobody_writes_the_approver(self):
        for role in self.users:
            with self.subTest(role=role):
                answer = self.call(
                    role, "pos.order", "write", self.refund.ids, {"randevu_refund_approved_by_id": self.users[role].id}
                )
                self.assert_access_error(answer, f"{role} writes the approver")
                answer = self.call(role, "pos.order", "write", self.refund.ids, {"randevu_refund_reason": "other"})
                self.assert_access_error(answer, f"{role} rewrites the reason")
        self.assertEqual(
            (self.refund.randevu_refund_approved_by_id, self.refund.randevu_refund_reason), (self.boss, "mistake")
        )

    def test_approval_decided_by_the_server(self):
        orders = self.env["pos.order"].search_count([])
        for role in ("cashier", "user"):
            with self.subTest(role=role):
                data = self.refund_data(
                    self.pos_session, self.order, self.order.lines[1:], randevu_refund_approved_by_id=self.boss.id
                )
                data = json.loads(json.dumps(data, default=str))  # as the till sends it
                answer = self.call(role, "pos.order", "sync_from_ui", [data])
                self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError", answer)
                answer = self.call(
                    role, "pos.order", "randevu_check_refund_approval", self.config.id, "mistake", "0000"
                )
                self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError", answer)
                answer = self.call(
                    role, "pos.order", "randevu_check_refund_approval", self.config.id, "mistake", "4321"
                )
                self.assertEqual(answer["result"], self.boss.name)
        self.assertEqual(self.env["pos.order"].search_count([]), orders, "no refund saved")
        answer = self.call(
            "pos_manager", "pos.order", "randevu_check_refund_approval", self.config.id, "mistake", False
        )
        self.assertEqual(answer["result"], self.boss.name, "a POS manager at the till approves without a PIN")
