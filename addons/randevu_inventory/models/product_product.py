from odoo import Command, api, models
from odoo.exceptions import UserError

from .ean13 import ean13


class ProductProduct(models.Model):
    """EAN-13 barcodes from the business's prefix for the goods that have none."""

    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        todo = products.filtered(
            lambda product: (
                not product.barcode
                and product.type == "consu"
                and product._randevu_barcode_company().randevu_barcode_on_create
            )
        )
        if todo:
            todo._randevu_assign_barcodes()
        return products

    def _randevu_barcode_company(self):
        """The company whose prefix numbers this product: its own (or its branch's parent
        when the branch sets none), else the current company's."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return company if company.randevu_barcode_prefix or not company.parent_id else company.parent_id

    def action_randevu_assign_barcodes(self):
        """Give the goods among these products that have no barcode an EAN-13."""
        self.check_access("write")
        todo = self.filtered(lambda product: not product.barcode and product.type == "consu")
        todo._randevu_assign_barcodes()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if todo else "info",
                "message": self.env._("%(count)s barcodes assigned.", count=len(todo)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _randevu_assign_barcodes(self):
        existing = self.env["product.product"].with_context(active_test=False).sudo()
        for product in self:
            company = product._randevu_barcode_company()
            prefix = company.randevu_barcode_prefix
            if not prefix:
                raise UserError(
                    self.env._(
                        "Set a barcode prefix on %(company)s (Randevu settings of the branch) first.",
                        company=company.name,
                    )
                )
            # A PostgreSQL sequence per company: two users assigning at once get different
            # numbers; numbers already taken by hand are skipped.
            sequence = company._randevu_barcode_sequence()
            while True:
                number = sequence.next_by_id()
                try:
                    code = ean13(prefix, int(number))
                except ValueError as error:
                    raise UserError(
                        self.env._("The barcode prefix %(prefix)s has no number left.", prefix=prefix)
                    ) from error
                if not existing.search_count([("barcode", "=", code)], limit=1):
                    break
            product.barcode = code

    def action_randevu_print_labels(self):
        """The label wizard for these goods, one line per product: its on-hand quantity (at
        least 1) labels."""
        goods = self.filtered(lambda product: product.type == "consu")
        wizard = self.env["randevu.label.wizard"].create(
            {
                "line_ids": [
                    Command.create({"product_id": product.id, "quantity": max(1, int(product.qty_available))})
                    for product in goods
                ]
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print Labels"),
            "res_model": "randevu.label.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
