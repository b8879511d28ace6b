import html
import re
import unittest
from urllib.parse import parse_qs, urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import RandevuAccountCase


@tagged("post_install", "-at_install")
class TestPaymentLink(HttpCase, RandevuAccountCase):
    """The payment link of an appointment (any channel: a text, a chat, the till's QR
    code) paid for real with Odoo's demo provider (payment_demo): Odoo's /payment/pay
    page, our transaction route, the provider's notification, the post-processing.
    No website needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.code != "demo":
            raise unittest.SkipTest("payment_demo is not installed (scripts/run_tests.py installs it)")
        cls.provider.state = "disabled"  # the test provider of the fixtures: only the demo one
        cls.demo_provider = cls.env["res.company"]._randevu_setup_demo_payment_provider(cls.branch.ids)
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")

    def open_link(self, link):
        parts = urlsplit(link)
        return self.url_open(f"{parts.path}?{parts.query}")

    def pay_from_the_page(self, appointment, page, amount=1.0):
        """What the payment form does with the demo provider: the transaction route
        (with the amount the browser claims), then the demo's simulated payment."""
        text = html.unescape(page.text)
        route = re.search(r'data-transaction-route="([^"]+)"', text).group(1)
        access_token = re.search(r'data-access-token="([^"]+)"', text).group(1)
        result = self.json_call(
            route,
            {
                "provider_id": self.demo_provider.id,
                "payment_method_id": self.demo_method.id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "https://evil.example",
                "is_validation": False,
                "access_token": access_token,
            },
        )
        self.assertNotIn("error", result, result)
        reference = result["result"]["reference"]
        self.json_call(
            "/payment/demo/simulate_payment",
            {"reference": reference, "payment_details": "4242", "simulated_state": "done"},
        )
        return self.env["payment.transaction"].search([("reference", "=", reference)])

    def test_link_pays_the_deposit_through_the_demo_provider(self):
        appointment = self.held()
        link = appointment._randevu_payment_link()
        parts = urlsplit(link)
        self.assertEqual(parts.path, "/payment/pay")
        query = parse_qs(parts.query)
        self.assertEqual(query["randevu_appointment_id"], [str(appointment.id)])
        self.assertEqual(query["amount"], ["50.0"])

        self.authenticate(None, None)  # the customer, not logged in, from a text message
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_form", page.text)
        self.assertIn(f"/randevu/appointment/{appointment.id}/transaction", page.text)
        self.assertIn(self.demo_provider.name, page.text)
        transaction = self.pay_from_the_page(appointment, page)
        self.assertEqual(transaction.state, "done")
        self.assertRecordValues(
            transaction,
            [{"amount": 50, "partner_id": self.customer.id, "randevu_appointment_ids": appointment.ids}],
        )
        self.assertTrue(transaction.landing_route.startswith("/payment/confirmation?"), transaction.landing_route)
        # The payment page polls the status: the transaction is post-processed.
        status = self.json_call("/payment/status/poll", {})
        self.assertNotIn("error", status, status)
        self.assertRecordValues(
            appointment,
            [
                {
                    "state": "confirmed",
                    "payment_state": "deposit",
                    "randevu_deposit_paid": 50,
                    "randevu_hold_until": False,
                }
            ],
        )
        self.assertTrue(transaction.payment_id, "recorded as a customer payment")
        self.assertEqual(appointment._randevu_deposit_move_lines().move_id, transaction.payment_id.move_id)
        confirmation = self.url_open(transaction.landing_route)
        self.assertEqual(confirmation.status_code, 200)

        self.assertFalse(appointment._randevu_payment_link(), "nothing left to pay")
        again = self.open_link(link)
        self.assertEqual(again.status_code, 200)
        self.assertIn("There is nothing to pay.", again.text, "an old link pays nothing twice")
        self.assertNotIn("o_payment_form", again.text)

    @mute_logger("odoo.http")
    def test_link_needs_its_token_and_pays_only_what_is_due(self):
        appointment = self.held()
        other = self.held(start=self.local(self.day, 15))
        link = appointment._randevu_payment_link()
        self.authenticate(None, None)
        for wrong in (
            link.replace(f"randevu_appointment_id={appointment.id}", "randevu_appointment_id=999999"),
            re.sub(r"access_token=[^&]+", "access_token=wrong", link),
            link.replace("amount=50.0", "amount=1.0"),
        ):
            with self.subTest(link=wrong):
                self.assertEqual(self.open_link(wrong).status_code, 404)
        transactions = self.env["payment.transaction"].search_count([])
        params = self.payment_params(self.demo_provider, self.demo_method)
        route = f"/randevu/appointment/{appointment.id}/transaction"
        for access_token in (None, "wrong", other.access_token):
            with self.subTest(access_token=access_token):
                self.assertIn("error", self.json_call(route, dict(params, access_token=access_token)))
        extra_key = self.json_call(route, dict(params, access_token=appointment.access_token, partner_id=1))
        self.assertIn("error", extra_key, "a key the form does not send is refused")
        appointment.payment_state = "deposit"
        nothing_due = self.json_call(route, dict(params, access_token=appointment.access_token))
        self.assertEqual(nothing_due["error"]["data"]["message"], "There is nothing to pay for this appointment.")
        self.env.flush_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions, "nothing written")
