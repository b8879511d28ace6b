from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_transfers import TransferCase

CREAM, SERUM = "2000000000411", "2000000000428"


class ScanCase(TransferCase):
    """Barcodes on the cream and the serum; a supplier receipt of both in Paris."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cream.barcode = "2000000000411"
        cls.serum.barcode = "2000000000428"
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.receiver = cls.make_user("scan_lyon", "stock.group_stock_user", cls.lyon)

    def make_receipt(self):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "company_id": self.branch.id,
                "location_id": self.supplier.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": self.supplier.id,
                            "location_dest_id": self.stock.id,
                            "company_id": self.branch.id,
                        },
                    )
                    for product, quantity in ((self.cream, 5), (self.serum, 3))
                ],
            }
        )
        receipt.action_confirm()
        return receipt

    def scan(self, barcodes, user=None, company=None, **defaults):
        """Scan as the browser does: each barcode sets `_barcode_scanned`, whose onchange runs."""
        model = self.env["randevu.scan.wizard"].with_user(user or self.sender).with_company(company or self.branch)
        context = {f"default_{key}": value.id for key, value in defaults.items()}
        form = Form(model.with_context(**context))
        for barcode in barcodes:
            form._barcode_scanned = barcode
        return form.save()


@tagged("post_install", "-at_install")
class TestScanning(ScanCase):
    def test_scan_into_a_receipt_counts_products_and_selects_lots(self):
        receipt = self.make_receipt()
        wizard = self.scan(
            [CREAM, CREAM, "SER-EARLY", SERUM, SERUM, "SER-LATE", SERUM],
            picking_id=receipt,
        )
        self.assertEqual(
            sorted((line.product_id.name, line.lot_id.name or "", line.quantity) for line in wizard.line_ids),
            [("Test colour cream", "", 2), ("Test serum", "SER-EARLY", 2), ("Test serum", "SER-LATE", 1)],
        )
        self.assertEqual(wizard.lot_id, self.lot_late)
        wizard.action_apply()
        cream_move = receipt.move_ids.filtered(lambda move: move.product_id == self.cream)
        serum_move = receipt.move_ids.filtered(lambda move: move.product_id == self.serum)
        # What was scanned replaces the quantity Odoo proposed (the whole demand).
        self.assertEqual((cream_move.quantity, cream_move.picked), (2, True))
        self.assertEqual(
            sorted((ml.lot_id.name, ml.quantity) for ml in serum_move.move_line_ids),
            [("SER-EARLY", 2), ("SER-LATE", 1)],
        )
        # A second scan of the same transfer adds to what was picked.
        self.scan(["2000000000411"], picking_id=receipt).action_apply()
        self.assertEqual(cream_move.quantity, 3)
        receipt.with_context(cancel_backorder=True).with_user(self.sender)._action_done()
        self.assertEqual(receipt.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream), 5 + 3)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_early), 10 + 2)

    def test_a_product_not_in_the_transfer_is_added(self):
        receipt = self.make_receipt()
        gloves = self.env["product.product"].create({"name": "Gloves", "is_storable": True, "barcode": "2000000000435"})
        self.scan(["2000000000435"], picking_id=receipt).action_apply()
        move = receipt.move_ids.filtered(lambda move: move.product_id == gloves)
        self.assertEqual((move.product_uom_qty, move.quantity, move.state), (1, 1, "assigned"))

    def test_unknown_barcode_warns_and_adds_nothing(self):
        receipt = self.make_receipt()
        wizard = self.env["randevu.scan.wizard"].with_user(self.sender).new({"picking_id": receipt.id})
        result = wizard.on_barcode_scanned("0000000000000")
        self.assertEqual(result["warning"]["title"], "Unknown barcode")
        self.assertIn("0000000000000", result["warning"]["message"])
        self.assertFalse(wizard.line_ids)
        # A lot of another branch is unknown here too.
        other = self.env["stock.lot"].create(
            {"name": "LYON-ONLY", "product_id": self.serum.id, "company_id": self.lyon.id}
        )
        self.assertIn("warning", wizard.on_barcode_scanned(other.name))
        with self.assertRaisesRegex(UserError, "Nothing was scanned"):
            self.scan([], picking_id=receipt).action_apply()

    def test_scan_into_the_receipt_of_a_transfer_between_branches(self):
        delivery = self.send([{"product_id": self.cream.id, "quantity": 4}])
        receipt = self.receipt_of(delivery)
        self.scan(["2000000000411"] * 3, user=self.receiver, company=self.lyon, picking_id=receipt).action_apply()
        receipt.with_user(self.receiver).with_context(cancel_backorder=False)._action_done()
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.lyon_stock), 3)
        backorder = self.env["stock.picking"].search([("backorder_id", "=", receipt.id)])
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)

    def test_scan_an_inventory_count(self):
        wizard = self.scan(["2000000000411"] * 3 + ["SER-EARLY", "2000000000428"])
        self.assertEqual(wizard.location_id, self.stock)
        action = wizard.action_apply()
        quants = self.env["stock.quant"].search(action["domain"])
        self.assertEqual(
            sorted((quant.product_id.name, quant.lot_id.name or "", quant.inventory_quantity) for quant in quants),
            [("Test colour cream", "", 3), ("Test serum", "SER-EARLY", 1)],
        )
        # A second scan of the count adds to it.
        self.scan(["2000000000411"]).action_apply()
        quants.with_user(self.sender).action_apply_inventory()
        self.assertAlmostEqual(self.on_hand(self.cream), 4)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_early), 1)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_late), 10)

    def test_scan_products_and_lots_into_a_sending(self):
        form = Form(self.env["randevu.transfer.wizard"].with_user(self.sender).with_company(self.branch))
        form.dest_branch = str(self.lyon.id)
        for barcode in (CREAM, CREAM, SERUM, "SER-EARLY", SERUM):
            form._barcode_scanned = barcode
        wizard = form.save()
        self.assertEqual(
            sorted((line.product_id.name, line.lot_id.name or "", line.quantity) for line in wizard.line_ids),
            [("Test colour cream", "", 2), ("Test serum", "SER-EARLY", 2)],
        )
        self.assertIn("warning", wizard.on_barcode_scanned("0000000000000"))
        delivery = self.env["stock.picking"].browse(wizard.action_send()["res_id"])
        self.assertEqual(delivery.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream), 3)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_early), 8)
