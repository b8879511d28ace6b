"""Phone numbers: one normalisation (res.partner._randevu_normalize_phone, Odoo's
phone_validation) and customer lookup on the stored `phone_sanitized`."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestPhone(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.france = cls.env.ref("base.fr")
        cls.turkey = cls.env.ref("base.tr")

    def test_numbers_in_e164(self):
        normalize = self.Partner._randevu_normalize_phone
        self.assertEqual(normalize("06 12 34 56 78", self.france), "+33612345678", "national, in the branch's plan")
        self.assertEqual(normalize(" 0033 6 12 34 56 78 ", self.france), "+33612345678", "00 international prefix")
        self.assertEqual(normalize("+90 532 123 45 67", self.france), "+905321234567", "its own country code wins")
        self.assertEqual(normalize("0532 123 45 67", self.turkey), "+905321234567")
        self.assertFalse(normalize("", self.france))
        self.assertFalse(normalize("   ", self.france))
        for junk in ("12", "06 12", "not a number", "+999 12345678"):
            with self.assertRaises(ValidationError, msg=junk):
                normalize(junk, self.france)

    def test_without_country_the_company_plan(self):
        """A branch without a country reads national numbers in the current company's plan."""
        self.env.company.country_id = self.turkey
        self.assertEqual(self.Partner._randevu_normalize_phone("0532 123 45 67"), "+905321234567")
        self.assertEqual(
            self.Partner._randevu_normalize_phone("0532 123 45 67", self.env["res.country"]), "+905321234567"
        )
        self.env.company.country_id = False
        with self.assertRaises(ValidationError):
            self.Partner._randevu_normalize_phone("0532 123 45 67")
        self.assertEqual(self.Partner._randevu_normalize_phone("+905321234567"), "+905321234567")

    def test_same_as_phone_sanitized(self):
        """What is searched is what Odoo stores: a customer typed in by hand, in any
        format, is found by the number a visitor types in another one."""
        partner = self.Partner.create(
            {"name": "Camille Durand", "phone": "06 12 34 56 78", "country_id": self.france.id}
        )
        self.assertEqual(partner.phone_sanitized, "+33612345678")
        self.assertEqual(
            self.Partner._randevu_normalize_phone("+33 6 12 34 56 78", self.france), partner.phone_sanitized
        )
        found = self.Partner._randevu_find_or_create("Camille Durand", "0033612345678", country=self.france)
        self.assertEqual(found, partner)
        self.assertEqual(
            self.Partner._randevu_find_customer("camille durand", "06.12.34.56.78", country=self.france), partner
        )

    def test_lookup_reads_the_mobile_too(self):
        """phone_sanitized is the mobile when there is one: a customer recorded with a
        landline and a mobile is found by the mobile."""
        partner = self.Partner.create(
            {
                "name": "Emre Yildiz",
                "phone": "01 42 68 53 00",
                "mobile": "06 98 76 54 32",
                "country_id": self.france.id,
            }
        )
        self.assertIn(partner, self.Partner._randevu_customers_by_contact("+33698765432"))
        self.assertNotIn(partner, self.Partner._randevu_customers_by_contact("+33142685300"))

    def test_mobile_number_for_texts(self):
        Message = self.env["randevu.message"]
        landline = self.Partner.create({"name": "Landline", "phone": "01 42 68 53 00", "country_id": self.france.id})
        self.assertFalse(Message._randevu_mobile_number(landline), "a landline takes no texts")
        both = self.Partner.create(
            {"name": "Both", "phone": "01 42 68 53 00", "mobile": "06 12 34 56 78", "country_id": self.france.id}
        )
        self.assertEqual(Message._randevu_mobile_number(both), "+33612345678")
        phone_only = self.Partner.create(
            {"name": "Mobile as phone", "phone": "0532 123 45 67", "country_id": self.turkey.id}
        )
        self.assertEqual(Message._randevu_mobile_number(phone_only), "+905321234567")
        junk = self.Partner.create({"name": "Junk", "phone": "12", "country_id": self.france.id})
        self.assertFalse(Message._randevu_mobile_number(junk))
