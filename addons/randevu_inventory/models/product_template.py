from odoo import fields, models


class ProductTemplate(models.Model):
    """A service's consumables: the products (and quantities) one appointment uses."""

    _inherit = "product.template"

    randevu_consumable_ids = fields.One2many(
        "randevu.service.consumable",
        "service_id",
        string="Consumables",
        groups="base.group_user",
        help="Products written off the branch's stock when an appointment of this service is done.",
    )
