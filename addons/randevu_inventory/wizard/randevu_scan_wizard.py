from odoo import _, api, fields, models
from odoo.exceptions import UserError


class RandevuScanWizard(models.TransientModel):
    """Scanning into a transfer (receipt, a branch's receipt from another branch, any
    picking) or into an inventory count, on Community's `barcodes` module: the form's
    `_barcode_scanned` field (widget `barcode_handler`) receives each scan and
    `on_barcode_scanned` runs as an onchange. A product's barcode counts one more of it (in
    the lot selected last, when it is that product's), a lot's name selects the lot, any
    other barcode gives a warning. Nothing is written until *Apply*."""

    _name = "randevu.scan.wizard"
    _inherit = "barcodes.barcode_events_mixin"
    _description = "Scan Products"
    _check_company_auto = True

    picking_id = fields.Many2one("stock.picking", string="Transfer", check_company=True)
    location_id = fields.Many2one(
        "stock.location",
        string="Counted Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="The location whose stock is counted (an inventory count, without a transfer).",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Current Lot",
        check_company=True,
        help="Selected by scanning a lot's name: the next scans of its product count in this lot.",
    )
    line_ids = fields.One2many("randevu.scan.wizard.line", "wizard_id", string="Scanned")
    last_scan = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "location_id" in fields_list and not values.get("picking_id") and not values.get("location_id"):
            # An inventory count: the current branch's stock.
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            values["location_id"] = company._randevu_warehouse().lot_stock_id.id
        return values

    def _scan_company_domain(self):
        return [("company_id", "in", (False, self.company_id.id))]

    def on_barcode_scanned(self, barcode):
        barcode = (barcode or "").strip()
        product = self.env["product.product"].search([("barcode", "=", barcode), *self._scan_company_domain()], limit=1)
        if product:
            return self._scan_product(product)
        lots = self.env["stock.lot"].search([("name", "=", barcode), *self._scan_company_domain()])
        if self.picking_id and len(lots) > 1:
            # The same lot name on two products: the one of this transfer.
            lots = lots.filtered(lambda lot: lot.product_id in self.picking_id.move_ids.product_id) or lots
        if lots:
            self.lot_id = lots[:1]
            self.last_scan = _(
                "Lot %(lot)s of %(product)s", lot=self.lot_id.name, product=self.lot_id.product_id.display_name
            )
            return None
        self.last_scan = _("Unknown barcode: %s", barcode)
        return {
            "warning": {
                "type": "notification",  # not a dialog: the next scan can follow at once
                "title": _("Unknown barcode"),
                "message": _("No product and no lot of this branch has the barcode %s.", barcode),
            }
        }

    def _scan_product(self, product):
        lot = self.lot_id if self.lot_id.product_id == product else self.env["stock.lot"]
        line = self.line_ids.filtered(lambda line: line.product_id == product and line.lot_id == lot)[:1]
        if line:
            line.quantity += 1
        else:
            self.line_ids += self.env["randevu.scan.wizard.line"].new(
                {"product_id": product.id, "lot_id": lot.id, "quantity": 1}
            )
            line = self.line_ids[-1:]
        if lot:
            self.last_scan = _(
                "%(product)s (lot %(lot)s): %(quantity)s %(unit)s",
                product=product.display_name,
                lot=lot.name,
                quantity=line.quantity,
                unit=product.uom_id.name,
            )
        else:
            self.last_scan = _(
                "%(product)s: %(quantity)s %(unit)s",
                product=product.display_name,
                quantity=line.quantity,
                unit=product.uom_id.name,
            )
        return None

    def action_apply(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        if not lines:
            raise UserError(_("Nothing was scanned."))
        if self.picking_id:
            self._apply_to_picking(lines)
            return {"type": "ir.actions.act_window_close"}
        if not self.location_id:
            raise UserError(_("Choose the location you count."))
        return self._apply_to_count(lines)

    def _apply_to_picking(self, lines):
        """The scanned quantities become the transfer's picked quantities: for a product not
        picked yet, what was scanned replaces Odoo's proposal (a receipt comes with its whole
        demand proposed); for a product already picked (an earlier scan), it is added."""
        picking = self.picking_id
        if picking.state in ("done", "cancel"):
            raise UserError(_("The transfer %s is done or cancelled: nothing can be scanned into it.", picking.name))
        # A draft move makes the picking draft: its state before adding any.
        confirmed = picking.state != "draft"
        for product in lines.product_id:
            move = picking.move_ids.filtered(
                lambda move, product=product: move.product_id == product and move.state not in ("done", "cancel")
            )[:1]
            product_lines = lines.filtered(lambda line, product=product: line.product_id == product)
            if not move:
                move = self.env["stock.move"].create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": sum(product_lines.mapped("quantity")),
                        "picking_id": picking.id,
                        "location_id": picking.location_id.id,
                        "location_dest_id": picking.location_dest_id.id,
                        "company_id": picking.company_id.id,
                        "additional": True,
                    }
                )
                if confirmed:
                    move._action_confirm(merge=False)
                    move._action_assign()
            if not move.picked:
                move.move_line_ids.unlink()
            for line in product_lines:
                move_line = move.move_line_ids.filtered(lambda ml, line=line: ml.lot_id == line.lot_id)[:1]
                if move_line:
                    move_line.quantity += product.uom_id._compute_quantity(line.quantity, move_line.product_uom_id)
                else:
                    vals = move._prepare_move_line_vals(quantity=line.quantity)
                    if line.lot_id:
                        vals.update(lot_id=line.lot_id.id, lot_name=line.lot_id.name)
                    self.env["stock.move.line"].create(vals)
            move.picked = True
            move._recompute_state()

    def _apply_to_count(self, lines):
        """The scanned quantities become the counted quantities of the location's quants
        (added to a count already started), reviewed and applied in Odoo's Physical Inventory."""
        quant_model = self.env["stock.quant"].with_context(inventory_mode=True)
        quants = quant_model
        for line in lines:
            quant = quant_model.search(
                [
                    ("product_id", "=", line.product_id.id),
                    ("location_id", "=", self.location_id.id),
                    ("lot_id", "=", line.lot_id.id),
                    ("package_id", "=", False),
                    ("owner_id", "=", False),
                ],
                limit=1,
            )
            if quant:
                counted = line.quantity + (quant.inventory_quantity if quant.inventory_quantity_set else 0)
                quant.write({"inventory_quantity": counted, "inventory_quantity_set": True})
            else:
                quant = quant_model.create(
                    {
                        "product_id": line.product_id.id,
                        "location_id": self.location_id.id,
                        "lot_id": line.lot_id.id,
                        "inventory_quantity": line.quantity,
                        "inventory_quantity_set": True,
                    }
                )
            quants |= quant
        action = quants.action_view_inventory()
        action["domain"] = [("id", "in", quants.ids)]
        return action
