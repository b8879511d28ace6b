from odoo.tests import HttpCase, tagged

from .test_scanning import ScanCase


@tagged("post_install", "-at_install")
class TestScanTour(HttpCase, ScanCase):
    """In the browser, an inventory user of Paris scans a receipt: a barcode scanner types
    the digits and Enter into the page (Odoo's barcode service), an unknown one is refused."""

    def test_scan_receipt_tour(self):
        receipt = self.make_receipt()
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{receipt.id}?cids={self.branch.id}",
            "randevu_inventory_scan_tour",
            login=self.sender.login,
        )
        cream_move = receipt.move_ids.filtered(lambda move: move.product_id == self.cream)
        self.assertEqual((cream_move.quantity, cream_move.picked), (2, True))
