from odoo import api, fields, models


class ProductCategory(models.Model):
    """Service categories as Randevu shows them (booking pages, service lists and
    forms): a translatable label, the category's name when it has none. Odoo's
    `product.category.name` is not translatable and is left as it is (no conversion of
    a core column; other apps keep reading the name)."""

    _inherit = "product.category"

    randevu_label = fields.Char(
        string="Name Shown to Clients",
        translate=True,
        help="The category's name on the booking pages and in Randevu's screens, in each language. "
        "Empty: the category's name.",
    )
    randevu_display_name = fields.Char(string="Service Category", compute="_compute_randevu_display_name")

    @api.depends("name", "randevu_label")
    @api.depends_context("lang")
    def _compute_randevu_display_name(self):
        for category in self:
            category.randevu_display_name = category.randevu_label or category.name

    @api.depends_context("randevu_category_label")
    def _compute_display_name(self):
        """Randevu's fields ask for the label (context `randevu_category_label`): "Hair"
        in its language rather than "All / Hair"."""
        if not self.env.context.get("randevu_category_label"):
            return super()._compute_display_name()
        for category in self:
            category.display_name = category.randevu_display_name
