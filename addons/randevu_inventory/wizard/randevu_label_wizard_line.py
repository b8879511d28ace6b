from odoo import fields, models


class RandevuLabelWizardLine(models.TransientModel):
    """So many labels of one product."""

    _name = "randevu.label.wizard.line"
    _description = "Product Labels to Print"

    wizard_id = fields.Many2one("randevu.label.wizard", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True, domain=[("type", "=", "consu")])
    barcode = fields.Char(related="product_id.barcode")
    quantity = fields.Integer(string="Labels", default=1)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity >= 0)", "The number of labels cannot be negative."),
    ]
