from odoo.tests import HttpCase, tagged

from .test_transfers import TransferCase


@tagged("post_install", "-at_install")
class TestSendTour(HttpCase, TransferCase):
    """In the browser, an inventory user of Paris sends colour cream to Lyon with the wizard."""

    def test_send_to_another_branch_tour(self):
        self.start_tour(
            f"/odoo/action-randevu_inventory.randevu_transfer_wizard_action?cids={self.branch.id}",
            "randevu_inventory_send_tour",
            login=self.sender.login,
        )
        receipt = self.env["stock.picking"].search(
            [("randevu_transfer_to_id", "=", self.lyon.id), ("company_id", "=", self.lyon.id)]
        )
        self.assertEqual(receipt.state, "assigned")
        self.assertAlmostEqual(receipt.move_ids.product_uom_qty, 2)
        self.assertAlmostEqual(self.on_hand(self.cream), 3)
