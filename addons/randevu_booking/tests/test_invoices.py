from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestInvoicePortal(RandevuBookingCase):
    """The portal links the posted invoices of an appointment (invoices themselves:
    randevu_account's test_invoices.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit.list_price = 120
        cls.tax = cls._make_included_tax()
        (cls.deposit | cls.haircut).taxes_id = cls.tax
        cls.provider = cls._make_test_provider(cls.branch)
        cls.portal_user = cls.make_portal_customer("invoice_customer", "+33611220098")
        cls.paula = cls.portal_user.partner_id
        cls.other_user = cls.make_user("invoice_other", "base.group_portal", cls.env.ref("base.main_company"))

    # ------------------------------------------------------------------ portal
    def test_portal_links_posted_invoices_for_the_customer_or_the_token(self):
        appointment = self.book(self.local(self.day, 9), service=self.deposit, partner_id=self.paula.id)
        appointment._portal_ensure_token()
        self.pay_deposit(appointment)
        invoice = self.create_invoice(appointment)
        page = f"/my/appointments/{appointment.id}"
        self.authenticate("invoice_customer", "invoice_customer")
        self.assertNotIn("/my/invoices/", self.url_open(page).text, "a draft is not shown")
        invoice.action_post()
        invoice_url = invoice.get_portal_url()
        self.assertIn("access_token=", invoice_url)

        response = self.url_open(page)
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice_url.replace("&", "&amp;"), response.text)
        self.assertIn("Amount due", response.text)
        self.assertIn("70.00", response.text)
        opened = self.url_open(invoice_url)
        self.assertEqual(opened.status_code, 200)
        self.assertIn(invoice.name, opened.text)

        self.authenticate(None, None)  # a guest with the appointment's link
        response = self.url_open(f"{page}?access_token={appointment.access_token}")
        self.assertIn(invoice_url.replace("&", "&amp;"), response.text)
        self.assertEqual(self.url_open(invoice_url).status_code, 200, "the invoice's own token opens it")
        self.assertEqual(self.url_open(page).status_code, 404, "no token, no page")

        self.authenticate("invoice_other", "invoice_other")
        response = self.url_open(page)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("/my/invoices/", response.text)
