from odoo import fields, models


class RandevuScanWizardLine(models.TransientModel):
    _name = "randevu.scan.wizard.line"
    _description = "Scanned Product"
    _check_company_auto = True

    wizard_id = fields.Many2one("randevu.scan.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id")
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    lot_id = fields.Many2one("stock.lot", check_company=True, domain="[('product_id', '=', product_id)]")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
