from odoo.tests import HttpCase, tagged

from .common import RandevuAccountCase

DEPOSIT_FIELDS = ("randevu_deposit_amount", "randevu_deposit_paid", "randevu_deposit_due", "randevu_hold_until")
INVOICE_FIELDS = ("randevu_invoice_line_ids", "randevu_invoice_ids", "randevu_invoice_count")


@tagged("post_install", "-at_install")
class TestApiAccess(HttpCase, RandevuAccountCase):
    """The deposit, transaction and invoice fields through the JSON-RPC API, per role:
    the deposit is read by whoever reads the appointment (its stylist, the front desk,
    the manager, its customer on the portal); the transactions by managers only; the
    invoices by invoicing users only; nothing by an anonymous caller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        staff = "base.group_user,randevu_calendar.group_randevu_staff"
        cls.users = {
            "staff": cls.make_user("acc_anna", staff, cls.branch),
            "user": cls.make_user("acc_desk", "base.group_user,randevu_calendar.group_randevu_user", cls.branch),
            "manager": cls.make_user("acc_boss", "base.group_user,randevu_calendar.group_randevu_manager", cls.branch),
            "billing": cls.make_user(
                "acc_bill",
                "base.group_user,randevu_calendar.group_randevu_user,account.group_account_invoice",
                cls.branch,
            ),
            "portal": cls.make_user("acc_paula", "base.group_portal", cls.branch),
        }
        cls.anna.user_id = cls.users["staff"]
        cls.paula = cls.users["portal"].partner_id

    def setUp(self):
        super().setUp()
        self.appointment = self.held(partner_id=self.paula.id)
        self.transaction = self.pay_deposit(self.appointment)
        self.invoice = self.create_invoice(self.appointment)

    def rpc_read(self, role, model, ids, fields):
        if role == "public":
            self.authenticate(None, None)
        else:
            self.authenticate(self.users[role].login, self.users[role].login)
        return self.call_kw(model, "read", ids, list(fields))

    def test_deposit_fields_follow_the_appointment(self):
        for role in ("staff", "user", "manager", "billing", "portal"):
            with self.subTest(role=role):
                answer = self.rpc_read(role, "randevu.appointment", self.appointment.ids, DEPOSIT_FIELDS)
                self.assertNotIn("error", answer, answer.get("error"))
                row = answer["result"][0]
                self.assertEqual((row["randevu_deposit_amount"], row["randevu_deposit_paid"]), (50, 50))
                self.assertEqual((row["randevu_deposit_due"], row["randevu_hold_until"]), (0, False))
        answer = self.rpc_read("public", "randevu.appointment", self.appointment.ids, DEPOSIT_FIELDS)
        self.assertEqual(answer["error"]["code"], 100, "no session: Odoo Session Expired")
        self.assertNotIn("result", answer)

    def test_transactions_are_for_managers(self):
        for role in ("staff", "user", "billing", "portal"):
            with self.subTest(role=role):
                answer = self.rpc_read(role, "randevu.appointment", self.appointment.ids, ["randevu_transaction_ids"])
                self.assert_access_error(answer, f"{role} reads the transactions")
        answer = self.rpc_read("manager", "randevu.appointment", self.appointment.ids, ["randevu_transaction_ids"])
        self.assertEqual(answer["result"][0]["randevu_transaction_ids"], self.transaction.ids)
        for role in ("staff", "user", "manager", "portal"):
            with self.subTest(role=role, model="payment.transaction"):
                answer = self.rpc_read(role, "payment.transaction", self.transaction.ids, ["randevu_appointment_ids"])
                self.assert_access_error(answer, f"{role} reads payment.transaction")
        answer = self.rpc_read("billing", "payment.transaction", self.transaction.ids, ["randevu_appointment_ids"])
        self.assertEqual(answer["result"][0]["randevu_appointment_ids"], self.appointment.ids)

    def test_invoices_are_for_invoicing_users(self):
        for role in ("staff", "user", "manager", "portal"):
            for field in INVOICE_FIELDS:
                with self.subTest(role=role, field=field):
                    answer = self.rpc_read(role, "randevu.appointment", self.appointment.ids, [field])
                    self.assert_access_error(answer, f"{role} reads {field}")
        answer = self.rpc_read("billing", "randevu.appointment", self.appointment.ids, INVOICE_FIELDS)
        self.assertNotIn("error", answer, answer.get("error"))
        self.assertEqual(answer["result"][0]["randevu_invoice_ids"], self.invoice.ids)
        self.assertEqual(answer["result"][0]["randevu_invoice_count"], 1)
        lines = self.invoice.invoice_line_ids
        answer = self.rpc_read("billing", "account.move.line", lines.ids, ["randevu_appointment_id"])
        self.assertEqual(answer["result"][0]["randevu_appointment_id"][0], self.appointment.id)

    def test_branch_settings_and_changes(self):
        for role in ("staff", "user", "manager"):
            with self.subTest(role=role):
                fields = ["randevu_hold_minutes", "randevu_noshow_deposit"]
                answer = self.rpc_read(role, "res.company", self.branch.ids, fields)
                self.assertEqual(answer["result"][0]["randevu_hold_minutes"], 20)
        self.authenticate("acc_paula", "acc_paula")
        answer = self.call_kw("randevu.appointment", "write", self.appointment.ids, {"randevu_deposit_paid": 0})
        self.assert_access_error(answer, "portal writes the deposit")
        answer = self.call_kw("randevu.appointment", "action_randevu_create_invoice", self.appointment.ids)
        self.assertIn("error", answer, "portal invoices")
        self.authenticate("acc_anna", "acc_anna")
        answer = self.call_kw("randevu.appointment", "action_randevu_create_invoice", self.appointment.ids)
        self.assertIn("error", answer, "staff invoices")
        self.assertEqual(self.appointment.randevu_deposit_paid, 50)

    def test_deposits_are_recorded_by_payments_only(self):
        """No role sets what was paid ahead by hand: the payment flow records it."""
        for role in ("staff", "user", "manager", "billing"):
            with self.subTest(role=role):
                self.authenticate(self.users[role].login, self.users[role].login)
                for values in ({"randevu_deposit_paid": 0}, {"randevu_deposit_paid": 500}):
                    answer = self.call_kw("randevu.appointment", "write", self.appointment.ids, values)
                    self.assert_access_error(answer, f"{role} writes {values}")
                    self.assertEqual(
                        answer["error"]["data"]["message"], "Deposits are recorded by their payments, not by hand."
                    )
        self.assertEqual(self.appointment.randevu_deposit_paid, 50)
        self.assertEqual(self.appointment.payment_state, "deposit")
