import html
import re
import unittest
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .test_pos_settle_due import RandevuPosSettleDueCase


@tagged("post_install", "-at_install")
class TestPosDueLink(HttpCase, JsonRpcMixin, RandevuPosSettleDueCase):
    """The payment link for what a customer owes at the branch, sent from their form by
    email or SMS, paid for real with Odoo's demo provider (payment_demo): the payment is
    posted and reconciled with the customer's open receivable items there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.code != "demo":
            raise unittest.SkipTest("payment_demo is not installed (scripts/run_tests.py installs it)")
        cls.provider.state = "disabled"  # the fixtures' test provider: only the demo one
        cls.demo_provider = cls.env["res.company"]._randevu_setup_demo_payment_provider(cls.branch.ids)
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.customer.email = "chloe@example.com"
        # Posting on a contact's chatter needs Contact Creation, as invoicing users have.
        cls.accountant.groups_id |= cls.env.ref("base.group_partner_manager")

    def setUp(self):
        super().setUp()
        session = self.open_session()
        self.visit_order = self.leave_on_account(session)
        self.visit_move = self.close(session)

    def link(self):
        return self.customer.with_user(self.accountant).with_company(self.branch)._randevu_due_payment_link()

    def open_link(self, link):
        parts = urlsplit(link)
        return self.url_open(f"{parts.path}?{parts.query}")

    def pay_from_the_page(self, page, amount=1.0):
        text = html.unescape(page.text)
        route = re.search(r'data-transaction-route="([^"]+)"', text).group(1)
        access_token = re.search(r'data-access-token="([^"]+)"', text).group(1)
        result = self.json_call(
            route,
            dict(
                self.payment_params(self.demo_provider, self.demo_method),
                amount=amount,
                access_token=access_token,
            ),
        )
        self.assertNotIn("error", result, result)
        reference = result["result"]["reference"]
        self.json_call(
            "/payment/demo/simulate_payment",
            {"reference": reference, "payment_details": "4242", "simulated_state": "done"},
        )
        self.json_call("/payment/status/poll", {})
        return self.env["payment.transaction"].search([("reference", "=", reference)])

    def test_link_by_email_paid_settles_the_receivable(self):
        partner = self.customer.with_user(self.accountant).with_company(self.branch)
        action = partner.action_randevu_send_due_link()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = (
            self.env["mail.compose.message"].with_user(self.accountant).with_context(**action["context"]).create({})
        )
        composer._action_send_mail()
        message = self.customer.message_ids[0]
        link = self.link()
        self.assertIn(html.escape(link), str(message.body))
        self.assertIn("48.00", str(message.body))
        self.assertEqual(parse_qs(urlsplit(link).query)["amount"], ["48.0"])

        self.authenticate(None, None)  # the customer, from the email
        page = self.open_link(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_form", page.text)
        transaction = self.pay_from_the_page(page, amount=1.0)
        self.assertRecordValues(
            transaction,
            [
                {
                    "state": "done",
                    "amount": 48,
                    "partner_id": self.customer.id,
                    "randevu_settle_due_company_id": self.branch.id,
                }
            ],
        )
        payment = transaction.payment_id
        self.assertEqual(payment.state, "in_process", "posted, waiting for the bank statement")
        self.assertTrue(payment.is_reconciled, "reconciled with what was due")
        self.assertTrue(payment.move_id.currency_id.is_zero(sum(payment.move_id.line_ids.mapped("balance"))))
        due_item = self.visit_move.line_ids.filtered(lambda line: line.partner_id == self.customer and line.debit)
        self.assertTrue(due_item.reconciled)
        self.assertEqual(self.receivable_balance(), 0)
        self.assertFalse(self.aging())
        self.assertFalse(self.link(), "nothing left to pay")
        again = self.open_link(link)
        self.assertEqual(again.status_code, 200)
        self.assertIn("There is nothing to pay.", again.text, "an old link pays nothing twice")

    def test_link_by_sms(self):
        action = self.customer.with_user(self.accountant).with_company(self.branch).action_randevu_sms_due_link()
        self.assertEqual(action["res_model"], "sms.composer")
        self.assertIn(self.link(), action["context"]["default_body"])

    @mute_logger("odoo.http")
    def test_link_needs_its_token(self):
        link = self.link()
        self.authenticate(None, None)
        for wrong in (
            re.sub(r"access_token=[^&]+", "access_token=wrong", link),
            link.replace("amount=48.0", "amount=1.0"),
        ):
            with self.subTest(link=wrong):
                self.assertEqual(self.open_link(wrong).status_code, 404)
        route = f"/randevu/due/{self.branch.id}/{self.customer.id}/transaction"
        params = self.payment_params(self.demo_provider, self.demo_method)
        for access_token in (None, "wrong"):
            with self.subTest(access_token=access_token):
                self.assertIn("error", self.json_call(route, dict(params, access_token=access_token)))

    def test_only_invoicing_users_send_it(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.desk).with_company(self.branch).action_randevu_send_due_link()
