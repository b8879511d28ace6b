from datetime import timedelta

from odoo import fields

from odoo.addons.randevu_calendar.tests.common import RandevuCase


class InventoryCase(RandevuCase):
    """RandevuCase with stock: a colour cream bought by the litre and used by the
    millilitre (60 ml a haircut, 80 ml when Bruno does it), a lot-tracked serum with
    expiry dates removed first-expiring-first-out. Never relies on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.branch._randevu_warehouse()
        cls.stock = cls.warehouse.lot_stock_id
        cls.consumption = cls.branch.randevu_consumption_location_id
        cls.litre = cls.env.ref("uom.product_uom_litre")
        cls.ml = cls.env["uom.uom"].create(
            {
                "name": "test ml",
                "category_id": cls.litre.category_id.id,
                "factor": 1000,
                "uom_type": "smaller",
                "rounding": 1,
            }
        )
        cls.fefo = cls.env["product.category"].create(
            {"name": "Professional (FEFO)", "removal_strategy_id": cls.env.ref("product_expiry.removal_fefo").id}
        )
        cls.cream = cls.env["product.product"].create(
            {
                "name": "Test colour cream",
                "is_storable": True,
                "uom_id": cls.litre.id,
                "uom_po_id": cls.litre.id,
                "standard_price": 30,
                "categ_id": cls.fefo.id,
            }
        )
        cls.serum = cls.env["product.product"].create(
            {
                "name": "Test serum",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "standard_price": 8,
                "categ_id": cls.fefo.id,
            }
        )
        now = fields.Datetime.now()
        cls.lot_late, cls.lot_early = cls.env["stock.lot"].create(
            [
                {
                    "name": "SER-LATE",
                    "product_id": cls.serum.id,
                    "company_id": cls.branch.id,
                    "expiration_date": now + timedelta(days=300),
                },
                {
                    "name": "SER-EARLY",
                    "product_id": cls.serum.id,
                    "company_id": cls.branch.id,
                    "expiration_date": now + timedelta(days=30),
                },
            ]
        )
        cls.env["randevu.service.consumable"].create(
            [
                {"service_id": cls.haircut.id, "product_id": cls.cream.id, "quantity": 60, "uom_id": cls.ml.id},
                {
                    "service_id": cls.haircut.id,
                    "product_id": cls.cream.id,
                    "quantity": 80,
                    "uom_id": cls.ml.id,
                    "employee_id": cls.bruno.id,
                },
                {"service_id": cls.colour.id, "product_id": cls.serum.id, "quantity": 2},
            ]
        )
        cls.at = cls.monday.replace(hour=9)

    def set_stock(self, product, quantity, lot=None, location=None):
        self.env["stock.quant"]._update_available_quantity(product, location or self.stock, quantity, lot_id=lot)

    def on_hand(self, product, lot=None, location=None):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", (location or self.stock).id)]
        )
        if lot is not None:
            quants = quants.filtered(lambda quant: quant.lot_id == lot)
        return sum(quants.mapped("quantity"))
