from unittest.mock import patch

from odoo.fields import Command

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin, RandevuCase, UpcomingDayMixin


class RandevuPaymentFixtures:
    """Payment fixtures shared by randevu_account's tests and randevu_booking's page
    tests: a provider of `payment` itself (code 'none', as Odoo's PaymentCommon does,
    no payment_demo needed, transactions driven by hand) posting its payments in the
    branch's parent company's bank journal, and the steps of paying and invoicing."""

    @classmethod
    def _make_test_provider(cls, branch):
        cls.payment_method = cls.env.ref("payment.payment_method_unknown")
        provider = cls.env["payment.provider"].create(
            {
                "name": "Randevu Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": branch.id,
                "payment_method_ids": [Command.set(cls.payment_method.ids)],
                "available_currency_ids": [Command.set(branch.currency_id.ids)],
            }
        )
        cls.payment_method.active = True  # once a provider supports it
        cls._setup_provider_journal(provider)  # account_payment posts the deposit's payment
        return provider

    @classmethod
    def _make_included_tax(cls):
        """A 20% sales tax included in the price, as salons show their prices."""
        return cls.env["account.tax"].create(
            {
                "name": "VAT 20% included",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": cls.env.ref("base.main_company").id,
            }
        )

    @classmethod
    def _setup_provider_journal(cls, provider):
        """Give the test `provider` (code 'none') what account_payment needs to post the
        payment of a done transaction: a journal and a payment method line. Odoo creates
        the payment method of real providers at install, never for 'none': it is created
        here as Odoo's AccountPaymentCommon does (Odoo's list of payment methods extended
        while creating it). The journal is the bank journal of the branch's parent
        company (a branch has none of its own, see payment_provider.py)."""
        Method = cls.env["account.payment.method"]
        with cls._none_payment_method_known():
            if not Method.search([("code", "=", "none"), ("payment_type", "=", "inbound")]):
                Method.sudo().create({"name": "Randevu Test Method", "code": "none", "payment_type": "inbound"})
            provider.journal_id = provider.journal_id  # the inverse creates the payment method line
        return provider.journal_id

    @classmethod
    def _none_payment_method_known(cls):
        """Odoo's list of payment methods, extended with the test providers' 'none'."""
        Method = cls.env["account.payment.method"]
        original = Method._get_payment_method_information

        def _get_payment_method_information(*args, **kwargs):
            return dict(original(), none={"mode": "electronic", "type": ("bank",)})

        return patch.object(type(Method), "_get_payment_method_information", _get_payment_method_information)

    def payment_params(self, provider=None, payment_method=None, **values):
        """The parameters the payment form posts to a transaction route (the test
        provider's, unless `provider` and `payment_method`), with `values`."""
        params = {
            "provider_id": (provider or self.provider).id,
            "payment_method_id": (payment_method or self.payment_method).id,
            "token_id": None,
            "amount": 50,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/",
            "is_validation": False,
        }
        return dict(params, **values)

    def assert_confirmed_once_paid(self, appointment, transaction):
        """`appointment`, its deposit of 50 paid by `transaction` (done and processed),
        is confirmed and told so once: processing the transaction again sends nothing
        more. Returns the confirmations."""
        self.assertRecordValues(
            appointment,
            [
                {
                    "state": "confirmed",
                    "payment_state": "deposit",
                    "randevu_deposit_paid": 50,
                    "randevu_deposit_due": 0,
                    "randevu_hold_until": False,
                }
            ],
        )
        confirmations = self.confirmations(appointment)
        self.assertTrue(confirmations, "confirmed to the customer once paid")
        transaction._post_process()
        self.assertEqual(self.confirmations(appointment), confirmations, "never twice")
        return confirmations

    def deposit_transaction(self, appointment, amount=None):
        """A draft transaction of the test provider for `appointment`'s deposit due."""
        return self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "reference": f"RDV-TEST-{appointment.id}-{self.env['payment.transaction'].search_count([])}",
                "amount": appointment.randevu_deposit_due if amount is None else amount,
                "currency_id": appointment.currency_id.id,
                "partner_id": appointment.partner_id.id,
                "randevu_appointment_ids": [Command.set(appointment.ids)],
            }
        )

    def pay_deposit(self, appointment, amount=None):
        transaction = self.deposit_transaction(appointment, amount)
        transaction._set_done()
        transaction._post_process()
        return transaction

    def create_invoice(self, appointments):
        action = appointments.action_randevu_create_invoice()
        self.assertEqual(action["res_model"], "account.move")
        return self.env["account.move"].browse(action["res_id"])

    def pay_invoice(self, invoice, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({} if amount is None else {"amount": amount})
        )
        wizard.action_create_payments()


class RandevuAccountCase(RandevuPaymentFixtures, JsonRpcMixin, UpcomingDayMixin, RandevuCase):
    """RandevuCase's Paris branch taking deposits online (the test provider), with a
    bridal service asking a fixed deposit of 50 on a price of 120. `day` is the first
    Monday-to-Saturday at least two days ahead (not frozen: "now" is the real one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit = cls._make_service(
            "Bridal hair", 2.0, cls.anna, randevu_deposit_type="fixed", randevu_deposit_value=50, list_price=120
        )
        cls.branch.randevu_hold_minutes = 20
        cls.provider = cls._make_test_provider(cls.branch)

    def held(self, start=None, service=None, **values):
        """An appointment created as a channel does: the hold decided before create."""
        service = service or self.deposit
        values = {"source": "website", **values}
        values.update(
            self.env["randevu.appointment"]._randevu_hold_values(
                self.branch, service, self.customer, staff=self.anna, values=values
            )
        )
        return self.book(start or self.local(self.day, 10), service=service, **values)
