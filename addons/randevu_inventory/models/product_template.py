from odoo import api, fields, models


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

    randevu_use = fields.Selection(
        [
            ("both", "Retail and Professional"),
            ("retail", "Retail"),
            ("professional", "Professional"),
        ],
        string="Use",
        default="both",
        required=True,
        help="Retail: sold at the till, not used in services. Professional: used in services (consumables), "
        "not sold (it leaves Sales and the point of sale). Retail and Professional: both.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("randevu_use") == "professional":
                vals["sale_ok"] = False
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("randevu_use") == "professional":
            vals = dict(vals, sale_ok=False)
        return super().write(vals)

    @api.onchange("randevu_use")
    def _onchange_randevu_use(self):
        if self.randevu_use == "professional":
            self.sale_ok = False
        elif self.randevu_use == "retail":
            self.sale_ok = True

    def action_randevu_assign_barcodes(self):
        return self.product_variant_ids.action_randevu_assign_barcodes()

    def action_randevu_print_labels(self):
        return self.product_variant_ids.action_randevu_print_labels()
