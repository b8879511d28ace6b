from odoo import api, models


class ResCompany(models.Model):
    """The demo's vendor of professional products: the demo goods are bought (Buy route,
    the vendor's price in every branch), so the developer below its minimum in Kadikoy
    has a proposed RFQ."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_inventory_purchase_demo(self):
        buy = self.env.ref("purchase_stock.route_warehouse0_buy")
        vendor = self.env.ref("randevu_inventory_purchase.partner_professional_vendor")
        products = (
            self.env.ref("randevu_inventory.product_colour_cream")
            | self.env.ref("randevu_inventory.product_developer")
            | self.env.ref("randevu_inventory.product_serum_ampoule")
        )
        for product in products:
            product.route_ids |= buy
            if not product.seller_ids.filtered(lambda seller: seller.partner_id == vendor):
                self.env["product.supplierinfo"].create(
                    {
                        "partner_id": vendor.id,
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "company_id": False,  # the business's vendor, for every branch
                        "price": product.standard_price,
                        "delay": 2,
                    }
                )
        orderpoints = self.env["stock.warehouse.orderpoint"].search([("product_id", "in", products.ids)])
        orderpoints._randevu_update_stock_alerts()
        return True
