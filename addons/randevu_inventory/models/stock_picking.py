from odoo import fields, models


class StockPicking(models.Model):
    """The two transfers of a sending between branches (the delivery to transit and the
    receipt from it) carry both branches."""

    _inherit = "stock.picking"

    randevu_transfer_from_id = fields.Many2one(
        "res.company", string="Sent From Branch", readonly=True, index="btree_not_null"
    )
    randevu_transfer_to_id = fields.Many2one("res.company", string="Sent To Branch", readonly=True)

    def action_randevu_scan(self):
        """Open the scanning form on this transfer (Community has no Barcode app)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scan Products"),
            "res_model": "randevu.scan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id, "default_company_id": self.company_id.id},
        }
