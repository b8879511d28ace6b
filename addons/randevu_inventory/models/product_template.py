from odoo import fields, models


class ProductTemplate(models.Model):
    """A service's consumables: the products (and quantities) one appointment uses;
    barcodes and labels of the goods."""

    _inherit = "product.template"

    randevu_consumable_ids = fields.One2many(
        "randevu.service.consumable",
        "service_id",
        string="Consumables",
        groups="base.group_user",
        help="Products written off the branch's stock when an appointment of this service is done.",
    )

    def action_randevu_assign_barcodes(self):
        return self.product_variant_ids.action_randevu_assign_barcodes()

    def action_randevu_print_labels(self):
        return self.product_variant_ids.action_randevu_print_labels()
