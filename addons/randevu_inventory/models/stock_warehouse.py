from odoo import models


class StockWarehouse(models.Model):
    """A branch's warehouse is not archived while goods sent to the branch are in transit."""

    _inherit = "stock.warehouse"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self.company_id._randevu_check_nothing_in_transit(warehouses=self)
        return super().write(vals)
