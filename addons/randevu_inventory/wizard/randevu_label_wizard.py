from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..report.label_sheet import render_label_sheet


class RandevuLabelWizard(models.TransientModel):
    """Barcode labels of products on a sheet format, so many of each, as a PDF."""

    _name = "randevu.label.wizard"
    _description = "Print Product Labels"

    sheet_format = fields.Selection(
        [
            ("a4_3x8", "A4, 3 x 8 labels of 70 x 37 mm"),
            ("a4_4x10", "A4, 4 x 10 labels of 48.5 x 25.4 mm"),
            ("roll_50x25", "Roll of 50 x 25 mm labels"),
        ],
        string="Sheet",
        required=True,
        default="a4_3x8",
    )
    show_price = fields.Boolean(string="Show the Price", default=True)
    line_ids = fields.One2many("randevu.label.wizard.line", "wizard_id", string="Products")

    def _labels(self):
        self.ensure_one()
        labels = []
        for line in self.line_ids.filtered(lambda line: line.quantity > 0):
            product = line.product_id
            price = format_amount(self.env, product.lst_price, product.currency_id) if self.show_price else ""
            labels += [(product.display_name, price, product.barcode or "")] * line.quantity
        if not labels:
            raise UserError(self.env._("Choose at least one product and a quantity of labels."))
        return labels

    def _render_pdf(self):
        return render_label_sheet(self._labels(), self.sheet_format)

    def action_print(self):
        """The PDF as an attachment of the wizard, downloaded by the browser."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Labels.pdf"),
                "raw": self._render_pdf(),
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
