from odoo import api, fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    randevu_is_tip = fields.Boolean(
        string="Is a Tip",
        compute="_compute_randevu_is_tip",
        store=True,
        help="A tip (the till's tip product): not revenue, paid out to its performer.",
    )

    # Not on the till's tip product: changing it later keeps past lines as they were (and
    # recomputes no order line of the till).
    @api.depends("product_id", "order_id")
    def _compute_randevu_is_tip(self):
        for line in self:
            tip_product = line.order_id.config_id.tip_product_id
            line.randevu_is_tip = bool(tip_product) and line.product_id == tip_product
