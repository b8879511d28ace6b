from odoo import api, fields, models


class RandevuTransferWizardLine(models.TransientModel):
    _name = "randevu.transfer.wizard.line"
    _description = "Product to Send"
    _check_company_auto = True

    wizard_id = fields.Many2one("randevu.transfer.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id")
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, domain=[("is_storable", "=", True)]
    )
    tracking = fields.Selection(related="product_id.tracking")
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(
        "uom.uom", string="Unit", required=True, compute="_compute_uom_id", store=True, readonly=False, precompute=True
    )
    lot_id = fields.Many2one("stock.lot", check_company=True, domain="[('product_id', '=', product_id)]")

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if not line.uom_id or line.uom_id.category_id != line.product_id.uom_id.category_id:
                line.uom_id = line.product_id.uom_id
