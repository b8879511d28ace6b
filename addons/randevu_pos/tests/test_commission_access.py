from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .commission_common import RandevuCommissionCase

STAFF = "randevu_calendar.group_randevu_staff"
USER = "randevu_calendar.group_randevu_user"
MANAGER = "randevu_calendar.group_randevu_manager"


@tagged("post_install", "-at_install")
class TestCommissionAccess(HttpCase, JsonRpcMixin, RandevuCommissionCase):
    """Commissions through JSON-RPC (/web/dataset/call_kw), per role: a staff member
    reads their own commission lines only; a Randevu user reads rules, periods, lines
    and totals of their branches; a manager also writes rules, computes, approves and
    cancels approvals; nobody sees another branch's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        cls.users = {
            "staff": cls.make_user("com_anna", STAFF, cls.branch),
            "user": cls.make_user("com_desk", USER, cls.branch),
            "manager": cls.make_user("com_boss", MANAGER, cls.branch),
            "lyon": cls.make_user("com_lyon", MANAGER, cls.lyon),
        }
        cls.anna.user_id = cls.users["staff"]
        cls.january_sales()
        cls.period = cls.make_period()
        cls.period.action_compute()

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_lines(self):
        expected = {
            "staff": {self.anna.id},
            "user": {self.anna.id, self.bruno.id},
            "manager": {self.anna.id, self.bruno.id},
        }
        for role, staff in expected.items():
            with self.subTest(role=role):
                answer = self.call(role, "randevu.commission.line", "search_read", [], ["employee_id", "amount"])
                rows = answer["result"]
                self.assertEqual({row["employee_id"][0] for row in rows}, staff)
                self.assertEqual(len(rows), 5 if role == "staff" else 7)
        answer = self.call("staff", "randevu.commission.line", "read", self.period.line_ids.ids, ["amount"])
        self.assert_access_error(answer, "staff read Bruno's lines")
        answer = self.call("lyon", "randevu.commission.line", "search_read", [], ["amount"])
        self.assertEqual(answer["result"], [], "another branch's manager")

    def test_staff_sees_no_period_rule_or_total(self):
        for model, ids in (
            ("randevu.commission.period", self.period.ids),
            ("randevu.commission.rule", self.rule_everyone.ids),
            ("randevu.commission.total", self.period.total_ids.ids),
        ):
            with self.subTest(model=model):
                self.assert_access_error(self.call("staff", model, "read", ids, ["display_name"]), model)

    def test_user_reads_only(self):
        answer = self.call("user", "randevu.commission.period", "read", self.period.ids, ["state", "amount_total"])
        self.assertEqual(answer["result"][0]["amount_total"], 131.0)
        answer = self.call("user", "randevu.commission.total", "search_read", [], ["amount"])
        self.assertEqual(sorted(row["amount"] for row in answer["result"]), [9.0, 122.0])
        answer = self.call("user", "randevu.commission.rule", "write", self.rule_everyone.ids, {"rate": 50})
        self.assert_access_error(answer, "a user edits a rule")
        answer = self.call("user", "randevu.commission.rule", "create", {"name": "Mine", "rate": 50})
        self.assert_access_error(answer, "a user creates a rule")
        for method in ("action_compute", "action_approve"):
            with self.subTest(method=method):
                answer = self.call("user", "randevu.commission.period", method, self.period.ids)
                self.assert_access_error(answer, f"a user calls {method}")
        self.assertEqual(self.period.state, "computed")

    def test_manager_computes_approves_and_cancels(self):
        answer = self.call(
            "manager", "randevu.commission.rule", "create", {"name": "Blow-dry bonus", "rate": 1, "sequence": 1}
        )
        self.assertNotIn("error", answer, answer)
        self.assertNotIn("error", self.call("manager", "randevu.commission.period", "action_compute", self.period.ids))
        self.assertEqual(self.period.state, "computed")
        answer = self.call("manager", "randevu.commission.period", "action_approve", self.period.ids)
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.period.state, "approved")
        self.assertEqual(self.period.move_id.state, "posted")
        self.assertFalse(self.users["manager"].has_group("account.group_account_invoice"), "not an accountant")
        answer = self.call("manager", "randevu.commission.period", "action_cancel_approval", self.period.ids)
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.period.state, "computed")

    def test_other_branch(self):
        for model, ids in (
            ("randevu.commission.period", self.period.ids),
            ("randevu.commission.rule", self.rule_everyone.ids),
        ):
            with self.subTest(model=model):
                self.assert_access_error(self.call("lyon", model, "read", ids, ["display_name"]), model)
        answer = self.call("lyon", "randevu.commission.period", "action_compute", self.period.ids)
        self.assert_access_error(answer, "another branch's manager computes")
