from datetime import timedelta

from odoo import api, fields, models


class ResCompany(models.Model):
    """The demo's stock: both demo branches stocked, the serum in two lots expiring apart,
    minimums per branch (the developer below its minimum in Kadikoy), barcodes from the
    in-store prefix 20."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_inventory_demo_stock(self):
        branches = self.env.ref("randevu_calendar.randevu_branch_kadikoy") | self.env.ref(
            "randevu_calendar.randevu_branch_paris"
        )
        branches._randevu_ensure_warehouses()
        cream = self.env.ref("randevu_inventory.product_colour_cream")
        developer = self.env.ref("randevu_inventory.product_developer")
        serum = self.env.ref("randevu_inventory.product_serum_ampoule")
        today = fields.Datetime.now()
        vals_list = []
        for branch in branches:
            location = branch._randevu_warehouse().lot_stock_id
            lots = self.env["stock.lot"].create(
                [
                    {
                        "name": f"SER-{branch.id}-{suffix}",
                        "product_id": serum.id,
                        "company_id": branch.id,
                        "expiration_date": today + timedelta(days=days),
                    }
                    for suffix, days in (("A", 60), ("B", 240))
                ]
            )
            stock = ((cream, 5, False), (developer, 5, False), (serum, 10, lots[0].id), (serum, 20, lots[1].id))
            vals_list += [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "lot_id": lot_id,
                    "inventory_quantity": quantity,
                }
                for product, quantity, lot_id in stock
            ]
        self.env["stock.quant"].with_context(inventory_mode=True).create(vals_list).action_apply_inventory()
        kadikoy, paris = branches
        # Manual rules (the Replenishment report proposes, nothing is procured alone), by the
        # administrator: Odoo drops the superuser's manual rules with nothing to order.
        admin = self.env.ref("base.user_admin")
        rules = self.env["stock.warehouse.orderpoint"].with_user(admin).sudo()
        orderpoints = rules.create(
            [
                {
                    "warehouse_id": branch._randevu_warehouse().id,
                    "location_id": branch._randevu_warehouse().lot_stock_id.id,
                    "product_id": product.id,
                    "product_min_qty": minimum,
                    "product_max_qty": maximum,
                    "company_id": branch.id,
                    "trigger": "manual",
                }
                for branch, product, minimum, maximum in (
                    (kadikoy, developer, 8, 20),  # 5 L on hand: below its minimum
                    (kadikoy, cream, 2, 10),
                    (paris, developer, 2, 10),
                    (paris, cream, 2, 10),
                )
                # The demo file is loaded again on each update: one rule each.
                if not rules.search_count([("product_id", "=", product.id), ("company_id", "=", branch.id)], limit=1)
            ]
        )
        orderpoints._randevu_update_stock_alerts()
        main = self.env.ref("base.main_company")
        if not main.randevu_barcode_prefix:
            main.randevu_barcode_prefix = "20"
        (cream | developer | serum).action_randevu_assign_barcodes()
        return True
