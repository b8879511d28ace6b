import random

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.ean13 import ean13, ean13_check_digit, is_valid_ean13
from .common import InventoryCase


def brute_force_check_digit(twelve):
    """The only digit that makes the GS1 weighted sum of all 13 digits a multiple of 10,
    found by trying the ten (weights 1, 3, 1, 3… from the left)."""
    found = [
        digit for digit in "0123456789" if sum(int(d) * (1, 3)[i % 2] for i, d in enumerate(twelve + digit)) % 10 == 0
    ]
    assert len(found) == 1, found
    return found[0]


@tagged("post_install", "-at_install")
class TestBarcodes(InventoryCase):
    """EAN-13 barcodes from the business's prefix, for goods without one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main = cls.env.ref("base.main_company")
        cls.main.randevu_barcode_prefix = "29"
        cls.shampoo, cls.comb = cls.env["product.product"].create(
            [{"name": "Test shampoo", "is_storable": True}, {"name": "Test comb"}]
        )

    def test_check_digits_of_known_eans(self):
        for code in ("4006381333931", "5901234123457", "9780306406157", "0012345678905"):
            with self.subTest(code=code):
                self.assertEqual(ean13_check_digit(code[:12]), code[12])
                self.assertTrue(is_valid_ean13(code))
        self.assertFalse(is_valid_ean13("4006381333932"))
        self.assertFalse(is_valid_ean13("400638133393"))

    def test_check_digit_against_brute_force(self):
        rng = random.Random(15)
        bodies = [f"{rng.randrange(10**12):012d}" for _ in range(3000)] + ["000000000000", "999999999999"]
        for body in bodies:
            self.assertEqual(ean13_check_digit(body), brute_force_check_digit(body), body)
        self.assertEqual(ean13("29", 7), "290000000007" + brute_force_check_digit("290000000007"))

    def test_assign_to_goods_without_barcode_only(self):
        self.cream.barcode = "4006381333931"
        service = self.haircut.product_variant_id
        (self.shampoo | self.comb | self.cream | service).action_randevu_assign_barcodes()
        self.assertEqual(self.cream.barcode, "4006381333931", "a barcode is never replaced")
        self.assertFalse(service.barcode, "services get none")
        codes = (self.shampoo | self.comb).mapped("barcode")
        for code in codes:
            self.assertTrue(is_valid_ean13(code), code)
            self.assertTrue(code.startswith("29"), code)
        self.assertEqual(len(set(codes)), 2)

    def test_numbers_taken_by_hand_are_skipped(self):
        sequence = self.main._randevu_barcode_sequence()
        taken = ean13("29", sequence.number_next_actual)
        self.serum.barcode = taken
        self.shampoo.action_randevu_assign_barcodes()
        self.assertNotEqual(self.shampoo.barcode, taken)
        self.assertTrue(is_valid_ean13(self.shampoo.barcode))
        with self.assertRaises(ValidationError, msg="Odoo's own uniqueness of product barcodes"):
            self.comb.barcode = taken

    def test_branch_uses_its_own_prefix_else_the_main_one(self):
        paris_product = self.env["product.product"].create({"name": "Paris wax", "company_id": self.branch.id})
        paris_product.action_randevu_assign_barcodes()
        self.assertTrue(paris_product.barcode.startswith("29"))
        self.branch.randevu_barcode_prefix = "8690001"
        other = self.env["product.product"].create({"name": "Paris gel", "company_id": self.branch.id})
        other.action_randevu_assign_barcodes()
        self.assertTrue(other.barcode.startswith("8690001"))
        self.assertTrue(is_valid_ean13(other.barcode))

    def test_assign_on_create_when_set(self):
        self.assertFalse(self.shampoo.barcode)
        self.main.randevu_barcode_on_create = True
        product = self.env["product.product"].create({"name": "Test conditioner", "is_storable": True})
        self.assertTrue(is_valid_ean13(product.barcode))
        template = self.env["product.template"].create({"name": "Test mask"})
        self.assertTrue(is_valid_ean13(template.barcode))
        given = self.env["product.product"].create({"name": "Test gel", "barcode": "5901234123457"})
        self.assertEqual(given.barcode, "5901234123457")

    def test_bad_prefix_and_no_prefix(self):
        for prefix in ("2", "2a", "12345678901"):
            with self.subTest(prefix=prefix), self.assertRaises(ValidationError):
                self.branch.randevu_barcode_prefix = prefix
        self.main.randevu_barcode_prefix = False
        with self.assertRaises(UserError):
            self.shampoo.action_randevu_assign_barcodes()
        self.assertFalse(self.shampoo.barcode)
