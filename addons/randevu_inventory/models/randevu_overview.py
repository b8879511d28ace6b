from odoo import api, models


class RandevuOverview(models.AbstractModel):
    """The owner's overview shows how many products of the branch are below their minimum
    (the *Low Stock* list, opened from there by inventory users)."""

    _inherit = "randevu.overview"

    @api.model
    def get_overview(self, branch_id=False):
        result = super().get_overview(branch_id)
        branch_id = result["branch"]["id"]
        # Superuser: the owner (a Randevu manager) is not necessarily an inventory user;
        # only the count of the branch's rules below their minimum leaves.
        count = (
            self.env["stock.warehouse.orderpoint"]
            .sudo()
            .search_count([("company_id", "=", branch_id), ("randevu_low_stock", "=", True)])
        )
        result["low_stock"] = {
            "count": count,
            "can_open": self.env.user.has_group("stock.group_stock_user"),
        }
        return result
