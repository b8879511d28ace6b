from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RandevuAccountCase


@tagged("post_install", "-at_install")
class TestInvoices(RandevuAccountCase):
    """A deposit paid online becomes a posted customer payment; Create Invoice on
    appointments makes one customer invoice in the branch's company, which deducts
    the deposit once posted and pays the appointments once paid (the portal's links
    to the posted invoices: randevu_booking's test_invoices.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls._make_included_tax()
        (cls.deposit | cls.haircut).taxes_id = cls.tax
        cls.portal_user = cls.make_portal_customer("invoice_customer", "+33611220098")
        cls.paula = cls.portal_user.partner_id
        cls.other_user = cls.make_user("invoice_other", "base.group_portal", cls.env.ref("base.main_company"))

    # ------------------------------------------------------------------ helpers
    def count_invoices(self):
        self.env.flush_all()
        return self.env["account.move"].search_count([("move_type", "=", "out_invoice")])

    def test_branch_provider_named_like_the_parents_one(self):
        """The parent company's own provider and a branch's provider of the same name
        post in the parent's bank journal, where Odoo refuses two incoming payment method
        lines of one name: the branch's line is named after the branch too (it failed
        with a ValidationError at the branch provider's first payment)."""
        journal = self.provider.journal_id
        parent = journal.company_id
        values = {"name": "Card", "code": "none", "state": "test", "payment_method_ids": self.payment_method.ids}
        with self._none_payment_method_known():
            parent_provider = self.env["payment.provider"].create({**values, "company_id": parent.id})
            branch_provider = self.env["payment.provider"].create({**values, "company_id": self.branch.id})
            branch_provider.write({"state": "disabled"})
            branch_provider.write({"state": "test"})  # recomputed: the same line, not a second one
        self.assertEqual((parent_provider.journal_id, branch_provider.journal_id), (journal, journal))
        lines = journal.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id in (parent_provider | branch_provider)
        )
        self.assertEqual(sorted(lines.mapped("name")), sorted(["Card", f"Card ({self.branch.name})"]), "one line each")

    # ------------------------------------------------------------------ deposit -> payment
    def test_paid_deposit_is_a_posted_customer_payment(self):
        self.assertEqual(self.provider.journal_id.type, "bank", "the parent's bank journal, for the branch")
        appointment = self.book(self.local(self.day, 9), service=self.deposit)
        self.assertEqual(appointment.randevu_deposit_due, 50)
        transaction = self.pay_deposit(appointment)
        payment = transaction.payment_id
        self.assertTrue(payment, "a done transaction creates its account.payment")
        self.assertRecordValues(
            payment,
            [
                {
                    "amount": 50,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.commercial_partner_id.id,
                    "company_id": self.branch.id,
                }
            ],
        )
        self.assertIn(payment.state, ("in_process", "paid"), "posted")
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(appointment.payment_state, "deposit")
        # The customer's outstanding credit in the branch's company: what invoicing deducts.
        credit = appointment._randevu_deposit_move_lines()
        self.assertEqual(len(credit), 1)
        self.assertRecordValues(
            credit,
            [{"company_id": self.branch.id, "credit": 50, "reconciled": False, "move_id": payment.move_id.id}],
        )
        self.assertEqual(credit.account_id.account_type, "asset_receivable")

    # ------------------------------------------------------------------ invoices
    def test_invoice_deducts_the_deposit_then_paid_makes_the_appointment_paid(self):
        appointment = self.book(self.local(self.day, 9), service=self.deposit)
        self.pay_deposit(appointment)
        invoice = self.create_invoice(appointment)
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "company_id": self.branch.id,
                    "partner_id": self.customer.id,
                    "amount_total": 120,
                }
            ],
        )
        line = invoice.invoice_line_ids
        self.assertRecordValues(
            line,
            [
                {
                    "product_id": self.deposit.product_variant_id.id,
                    "price_unit": 120,
                    "quantity": 1,
                    "randevu_appointment_id": appointment.id,
                }
            ],
        )
        self.assertEqual(line.tax_ids, self.tax, "the product's taxes")
        self.assertEqual(invoice.amount_tax, 20, "20% included in 120")
        self.assertEqual((appointment.randevu_invoice_count, appointment.randevu_invoice_ids), (1, invoice))
        self.assertEqual(appointment.action_view_randevu_invoices()["res_id"], invoice.id, "the smart button")

        invoice.action_post()
        self.assertEqual(invoice.amount_residual, 70, "price 120 less the deposit 50")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(appointment._randevu_deposit_move_lines(), "the deposit is deducted, once")
        self.assertEqual(appointment.payment_state, "deposit")

        self.pay_invoice(invoice, amount=30)
        self.assertEqual(invoice.amount_residual, 40)
        self.assertEqual(appointment.payment_state, "deposit", "not paid in full yet")
        self.pay_invoice(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(appointment.payment_state, "paid")

    def test_invoice_without_deposit_is_the_full_price(self):
        appointment = self.book(self.local(self.day, 9), service=self.haircut)
        invoice = self.create_invoice(appointment)
        invoice.action_post()
        self.assertEqual((invoice.amount_total, invoice.amount_residual), (40, 40))
        self.assertEqual(appointment.payment_state, "not_paid")
        self.pay_invoice(invoice)
        self.assertEqual(appointment.payment_state, "paid")

    def test_one_invoice_for_several_appointments_of_one_customer(self):
        with_deposit = self.book(self.local(self.day, 9), service=self.deposit)
        haircut = self.book(self.local(self.day, 14), service=self.haircut)
        self.pay_deposit(with_deposit)
        # Actions > Create Invoice on the selected rows of the list.
        action = (
            self.env.ref("randevu_account.randevu_appointment_action_create_invoice")
            .with_context(active_model="randevu.appointment", active_ids=(with_deposit | haircut).ids)
            .run()
        )
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.invoice_line_ids.randevu_appointment_id, with_deposit | haircut)
        self.assertEqual(invoice.randevu_appointment_ids, with_deposit | haircut)
        self.assertEqual(invoice.invoice_line_ids.mapped("price_unit"), [120, 40], "one line each, by start")
        invoice.action_post()
        self.assertEqual(invoice.amount_residual, 110, "120 + 40 less the deposit 50")
        self.pay_invoice(invoice)
        self.assertEqual((with_deposit | haircut).mapped("payment_state"), ["paid", "paid"])

    def test_deposit_covering_the_price_pays_the_appointment_at_posting(self):
        self.deposit.randevu_deposit_value = 120
        appointment = self.book(self.local(self.day, 9), service=self.deposit)
        self.pay_deposit(appointment)
        invoice = self.create_invoice(appointment)
        invoice.action_post()
        self.assertEqual(invoice.amount_residual, 0)
        self.assertEqual(appointment.payment_state, "paid")

    def test_bad_cases_are_refused_with_a_clear_message(self):
        day = self.day
        cancelled = self.book(self.local(day, 9))
        cancelled.action_cancel()
        no_customer = self.book(self.local(day, 10), partner_id=False)
        other_customer = self.book(self.local(day, 11), staff=self.bruno, partner_id=self.paula.id)
        mine = self.book(self.local(day, 11))
        lyon = self._make_branch("Lyon", "Europe/Paris")
        leo = self._make_staff("Leo", lyon, self._make_calendar("Lyon hours", lyon, [(9, 18)]))
        lyon_cut = self._make_service("Lyon cut", 0.5, leo)
        in_lyon = self.env["randevu.appointment"].create(
            {
                "company_id": lyon.id,
                "service_id": lyon_cut.id,
                "employee_id": leo.id,
                "start": self.local(day, 12),
                "partner_id": self.customer.id,
            }
        )
        invoiced = self.book(self.local(day, 14))
        first = self.create_invoice(invoiced)
        before = self.count_invoices()
        for appointments, message in (
            (cancelled, "Cancelled appointments cannot be invoiced"),
            (no_customer, "no customer to invoice"),
            (mine | other_customer, "One invoice is for one customer"),
            (mine | in_lyon, "One invoice is for one branch"),
            (invoiced, f"Already invoiced: .*{first.display_name}"),
            (mine | invoiced, "Already invoiced"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                appointments.action_randevu_create_invoice()
        self.assertEqual(self.count_invoices(), before, "nothing created")
        # A cancelled invoice frees its appointments for a new one.
        first.button_cancel()
        self.assertTrue(self.create_invoice(invoiced))
