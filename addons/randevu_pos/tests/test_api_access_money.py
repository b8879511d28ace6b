from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .refund_common import POS, RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestApiAccessMoney(HttpCase, JsonRpcMixin, RandevuPosRefundCase):
    """The backend's Return Products, PIN attempts and Pay Out Tips through JSON-RPC
    (/web/dataset/call_kw), per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.make_user("money_staff", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.desk,
            "manager": cls.make_user("money_rmgr", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "cashier": cls.make_user("money_cash", POS, cls.branch),
            "pos_manager": cls.boss,
            "accountant": cls.make_user("money_acc", "base.group_user,account.group_account_invoice", cls.branch),
        }
        cls.config.iface_tipproduct = True

    def setUp(self):
        super().setUp()
        self.pos_session = self.open_session()
        self.order = self.checkout(self.pos_session, self.cut_appt, extra=[(self.config.tip_product_id, 4, {})])

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def refunds(self):
        return self.env["pos.order"].search([("lines.refunded_orderline_id.order_id", "=", self.order.id)])

    def test_return_products(self):
        for role in ("cashier", "user", "pos_manager"):
            with self.subTest(role=role):
                answer = self.call(role, "pos.order", "refund", self.order.ids)
                self.assertEqual(answer["result"]["res_model"], "randevu.pos.refund.wizard")
        # A cashier's wrong PIN, or none: refused, nothing made.
        for pin in ("0000", False):
            wizard = self.call(
                "cashier",
                "randevu.pos.refund.wizard",
                "create",
                {"order_ids": [(6, 0, self.order.ids)], "reason": "other", "pin": pin},
            )
            answer = self.call("cashier", "randevu.pos.refund.wizard", "action_confirm", [wizard["result"]])
            self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError", answer)
        self.env.invalidate_all()
        self.assertFalse(self.refunds())
        wizard = self.call(
            "cashier",
            "randevu.pos.refund.wizard",
            "create",
            {"order_ids": [(6, 0, self.order.ids)], "reason": "other", "pin": "4321"},
        )
        answer = self.call("cashier", "randevu.pos.refund.wizard", "action_confirm", [wizard["result"]])
        self.env.invalidate_all()
        self.assertEqual(answer["result"]["res_id"], self.refunds().id)
        self.assertEqual(self.refunds().randevu_refund_approved_by_id, self.boss)
        # A Randevu manager or an accountant who is not a POS user makes no refund.
        for role in ("accountant",):
            with self.subTest(role=role):
                answer = self.call(
                    role,
                    "randevu.pos.refund.wizard",
                    "create",
                    {"order_ids": [(6, 0, self.order.ids)], "reason": "other"},
                )
                self.assert_access_error(answer, f"{role} returns products")

    def test_pin_attempts_written_by_the_server_only(self):
        for role in self.users:
            with self.subTest(role=role):
                answer = self.call(
                    role, "randevu.pos.pin.attempt", "create", {"user_ref": 1, "attempt_date": "2031-01-01 10:00:00"}
                )
                self.assert_access_error(answer, f"{role} records a PIN attempt")
        answer = self.call("cashier", "randevu.pos.pin.attempt", "search_read", [], ["user_ref"])
        self.assert_access_error(answer, "a cashier reads the attempts")
        self.assertIn("result", self.call("pos_manager", "randevu.pos.pin.attempt", "search_read", [], ["user_ref"]))

    def test_pay_out_tips(self):
        self.pos_session.action_pos_session_closing_control()
        values = {
            "company_id": self.branch.id,
            "date_from": str(self.today),
            "date_to": str(self.today),
            "journal_id": self.cash_journal.id,
        }
        for role in ("staff", "user", "cashier", "pos_manager"):
            with self.subTest(role=role):
                self.assert_access_error(self.call(role, "randevu.tip.payout.wizard", "create", values), role)
        tip_line = self.order.lines.filtered("randevu_is_tip")
        for role in self.users:
            with self.subTest(role=role):
                answer = self.call(
                    role,
                    "pos.order.line",
                    "write",
                    tip_line.ids,
                    {"randevu_tip_payout_move_id": self.pos_session.move_id.id},
                )
                self.assert_access_error(answer, f"{role} marks a tip paid")
        wizard = self.call("manager", "randevu.tip.payout.wizard", "create", values)["result"]
        lines = self.call("manager", "randevu.tip.payout.wizard", "read", [wizard], ["line_ids"])["result"][0][
            "line_ids"
        ]
        self.assertEqual(len(lines), 1)
        answer = self.call("accountant", "randevu.tip.payout.wizard", "create", values)
        self.assertIn("result", answer, answer)
        answer = self.call("manager", "randevu.tip.payout.wizard", "action_pay_out", [wizard])
        self.assertEqual(answer["result"]["res_model"], "account.move")
        self.env.invalidate_all()
        self.assertTrue(tip_line.randevu_tip_payout_move_id)
        answer = self.call("accountant", "randevu.tip.payout.wizard", "create", values)
        lines = self.call("accountant", "randevu.tip.payout.wizard", "read", [answer["result"]], ["line_ids"])[
            "result"
        ][0]["line_ids"]
        self.assertFalse(lines, "paid once")
