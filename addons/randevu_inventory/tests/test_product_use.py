from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestProductUse(InventoryCase):
    """Retail products are sold at the till, professional ones used in services (bought by
    the litre, used by the millilitre)."""

    def test_professional_products_are_not_sold(self):
        shampoo = self.env["product.product"].create(
            {"name": "Pro shampoo", "is_storable": True, "randevu_use": "professional"}
        )
        self.assertFalse(shampoo.sale_ok)
        oil = self.env["product.product"].create({"name": "Hair oil", "is_storable": True, "randevu_use": "retail"})
        self.assertTrue(oil.sale_ok)
        oil.randevu_use = "professional"
        self.assertFalse(oil.sale_ok)
        with Form(oil.product_tmpl_id) as form:
            form.randevu_use = "retail"
            self.assertTrue(form.sale_ok)
        self.assertEqual(self.cream.randevu_use, "both", "the default: sold and used")

    def test_services_use_professional_products_only(self):
        oil = self.env["product.product"].create({"name": "Hair oil", "is_storable": True, "randevu_use": "retail"})
        domain = self.env["randevu.service.consumable"]._fields["product_id"].domain
        offered = self.env["product.product"].search(domain)
        self.assertIn(self.cream, offered)
        self.assertNotIn(oil, offered)
        with self.assertRaisesRegex(ValidationError, "Hair oil"):
            self.env["randevu.service.consumable"].create({"service_id": self.colour.id, "product_id": oil.id})
        line = self.env["randevu.service.consumable"].search([("product_id", "=", self.cream.id)], limit=1)
        with self.assertRaisesRegex(ValidationError, "retail only"):
            self.cream.randevu_use = "retail"
            line.flush_recordset()
            line._check_professional()

    def test_bought_by_the_litre_used_by_40_ml(self):
        shampoo = self.env["product.product"].create(
            {
                "name": "Pro shampoo (1 L)",
                "is_storable": True,
                "randevu_use": "professional",
                "uom_id": self.litre.id,
                "uom_po_id": self.litre.id,
            }
        )
        self.env["randevu.service.consumable"].create(
            {"service_id": self.colour.id, "product_id": shampoo.id, "quantity": 40, "uom_id": self.ml.id}
        )
        self.set_stock(shampoo, 1)
        self.set_stock(self.serum, 5, lot=self.lot_early)
        appointment = self.book(self.at, service=self.colour)
        appointment.action_done()
        move = appointment.randevu_consumption_picking_id.move_ids.filtered(lambda move: move.product_id == shampoo)
        self.assertEqual((move.product_uom, move.quantity), (self.litre, 0.04))
        self.assertAlmostEqual(self.on_hand(shampoo), 0.96, msg="40 ml of the 1 L bottle bought")
        line = appointment.consumable_ids.filtered(lambda line: line.product_id == shampoo)
        self.assertEqual((line.quantity, line.uom_id), (40, self.ml))


@tagged("post_install", "-at_install")
class TestVariantConsumables(InventoryCase):
    """A haircut in two lengths: the long one has its own consumables (100 ml of cream),
    the short one uses the service's (60 ml, 80 ml when Bruno does it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        length = cls.env["product.attribute"].create(
            {"name": "Length", "value_ids": [(0, 0, {"name": "Short"}), (0, 0, {"name": "Long"})]}
        )
        cls.env["product.template.attribute.line"].create(
            {"product_tmpl_id": cls.haircut.id, "attribute_id": length.id, "value_ids": [(6, 0, length.value_ids.ids)]}
        )
        cls.short, cls.long = (
            cls.haircut.product_variant_ids.filtered(
                lambda variant, name=name: (
                    variant.name and name in str(variant.product_template_attribute_value_ids.mapped("name"))
                )
            )
            for name in ("Short", "Long")
        )
        cls.env["randevu.service.consumable"].create(
            {
                "service_id": cls.haircut.id,
                "service_variant_id": cls.long.id,
                "product_id": cls.cream.id,
                "quantity": 100,
                "uom_id": cls.ml.id,
            }
        )

    def done(self, hour, staff=None, variant=None):
        appointment = self.book(
            self.at.replace(hour=hour), staff=staff, randevu_service_variant_id=variant.id if variant else False
        )
        appointment.action_done()
        return appointment.consumable_ids.quantity

    def test_the_variant_lines_replace_the_service_lines(self):
        self.set_stock(self.cream, 5)
        self.assertEqual(self.done(8, variant=self.long), 100)
        self.assertEqual(self.done(9, staff=self.bruno, variant=self.long), 100, "the variant's lines replace all")
        self.assertEqual(self.done(10, variant=self.short), 60, "no lines of its own: the service's")
        self.assertEqual(self.done(11, staff=self.bruno, variant=self.short), 80)
        self.assertEqual(self.done(14), 60)
        self.assertAlmostEqual(self.on_hand(self.cream), 5 - 0.4)

    def test_the_stock_warning_reads_the_variant(self):
        self.set_stock(self.cream, 0.07)
        short = self.book(self.at, randevu_service_variant_id=self.short.id)
        long = self.book(self.at.replace(hour=11), randevu_service_variant_id=self.long.id)
        self.assertFalse(short.randevu_stock_warning)
        self.assertIn(self.cream.name, long.randevu_stock_warning)

    def test_a_variant_of_another_service_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "variant of its service"):
            self.env["randevu.service.consumable"].create(
                {
                    "service_id": self.colour.id,
                    "service_variant_id": self.long.id,
                    "product_id": self.cream.id,
                    "quantity": 1,
                    "uom_id": self.ml.id,
                }
            )
