from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .test_pos_settle_due import RandevuPosSettleDueCase


@tagged("post_install", "-at_install")
class TestPortalDue(HttpCase, JsonRpcMixin, RandevuPosSettleDueCase):
    """Chloé, a portal user, on /my (portal, no website): What Is Due lists what the till
    left on her account at the branch with its Pay link, /my/home counts it; her invoice
    of a POS order and her appointment's invoice are in Odoo's /my/invoices and she
    downloads them; another customer's invoice is refused; the public is sent to log in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A portal user sees the invoices of their companies (Odoo's multi-company rule):
        # Chloé is a customer of the branch.
        cls.portal_user = new_test_user(
            cls.env,
            login="chloe_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            company_id=cls.branch.id,
            company_ids=[(6, 0, cls.branch.ids)],
        )
        cls.other = cls.env["res.partner"].create({"name": "Ahmet Kaya"})

    def setUp(self):
        super().setUp()
        session = self.open_session()
        self.leave_on_account(session)
        data = self.order_data(session, [(self.shampoo, 12, {})])
        data["to_invoice"] = True
        self.sync(data)
        self.pos_invoice = self.order_of(data).account_move
        data = self.order_data(session, [(self.shampoo, 12, {})], partner=self.other)
        data["to_invoice"] = True
        self.sync(data)
        self.other_invoice = self.order_of(data).account_move
        self.close(session)
        appointment = self.book(self.local(15), staff=self.anna, service=self.cut, hours_override=True, price=30)
        self.appointment_invoice = self.create_invoice(appointment)
        if self.appointment_invoice.state == "draft":
            self.appointment_invoice.action_post()
        self.assertEqual(self.pos_invoice.state, "posted")

    def test_public_is_sent_to_log_in(self):
        self.authenticate(None, None)
        for url in ("/my/due", f"/my/invoices/{self.pos_invoice.id}?report_type=pdf&download=true"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn("/web/login", response.url, "sent to log in (Odoo's invoice page through /my)")
                self.assertNotIn("application/pdf", response.headers["Content-Type"])

    def test_what_is_due_and_own_invoices(self):
        self.authenticate("chloe_portal", "chloe_portal")
        page = self.url_open("/my/due")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.branch.name, page.text)
        self.assertIn("o_randevu_due_pay", page.text)
        self.assertIn("/payment/pay?", page.text)
        self.assertIn("78.00", page.text, "the visit left on account (48) and the appointment's invoice (30)")
        counters = self.json_call("/my/counters", {"counters": ["randevu_due_count", "invoice_count"]})
        self.assertEqual(counters["result"]["randevu_due_count"], 2)
        self.assertTrue(counters["result"]["invoice_count"])

        invoices = self.url_open("/my/invoices")
        self.assertEqual(invoices.status_code, 200)
        self.assertIn(self.pos_invoice.name, invoices.text)
        self.assertIn(self.appointment_invoice.name, invoices.text)
        self.assertNotIn(self.other_invoice.name, invoices.text)
        for invoice in (self.pos_invoice, self.appointment_invoice):
            with self.subTest(invoice=invoice.name):
                response = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "application/pdf")

    @mute_logger("odoo.http")
    def test_another_customers_invoice_is_refused(self):
        self.authenticate("chloe_portal", "chloe_portal")
        response = self.url_open(f"/my/invoices/{self.other_invoice.id}?report_type=pdf", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertIn(response.status_code, (303, 403, 404))
        if response.status_code == 303:
            self.assertTrue(response.headers["Location"].endswith("/my"), "Odoo sends them back to /my")
