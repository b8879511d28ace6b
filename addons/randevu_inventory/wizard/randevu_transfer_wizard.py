from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class RandevuTransferWizard(models.TransientModel):
    """Send products from this branch to another one, the way Odoo resupplies one warehouse
    from another: a delivery of the sending branch from its stock to the inter-company transit
    location, validated at once (the goods have left), and a receipt of the receiving branch
    from transit to its stock, its moves chained to the delivery's (`move_orig_ids`), waiting
    for the receiving branch to validate it (partially: Odoo's backorder)."""

    _name = "randevu.transfer.wizard"
    _inherit = "barcodes.barcode_events_mixin"
    _description = "Send to Another Branch"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", string="From Branch", required=True, default=lambda self: self.env.company, readonly=True
    )
    dest_branch = fields.Selection(selection="_selection_dest_branch", string="To Branch", required=True)
    dest_company_id = fields.Many2one("res.company", compute="_compute_dest_company_id", string="Receiving Branch")
    line_ids = fields.One2many("randevu.transfer.wizard.line", "wizard_id", string="Products")
    note = fields.Char(string="Reference")
    scan_lot_id = fields.Many2one(
        "stock.lot",
        string="Current Lot",
        check_company=True,
        help="Selected by scanning a lot's name: the next scans of its product count in this lot.",
    )

    def on_barcode_scanned(self, barcode):
        """A product's barcode adds one of it (in the lot scanned last, when it is that
        product's); a lot's name selects the lot and gives it to a line of its product
        still without one; anything else is refused with a warning."""
        barcode = (barcode or "").strip()
        company_domain = [("company_id", "in", (False, self.company_id.id))]
        product = self.env["product.product"].search(
            [("barcode", "=", barcode), ("is_storable", "=", True), *company_domain], limit=1
        )
        if product:
            lot = self.scan_lot_id if self.scan_lot_id.product_id == product else self.env["stock.lot"]
            line = self.line_ids.filtered(lambda line: line.product_id == product and line.lot_id == lot)[:1]
            if line:
                line.quantity += 1
            else:
                self.line_ids += self.env["randevu.transfer.wizard.line"].new(
                    {"product_id": product.id, "lot_id": lot.id, "quantity": 1}
                )
            return None
        lot = self.env["stock.lot"].search([("name", "=", barcode), *company_domain], limit=1)
        if lot:
            self.scan_lot_id = lot
            waiting = self.line_ids.filtered(lambda line: line.product_id == lot.product_id and not line.lot_id)[:1]
            waiting.lot_id = lot
            return None
        return {
            "warning": {
                "type": "notification",
                "title": self.env._("Unknown barcode"),
                "message": self.env._("No product and no lot of this branch has the barcode %s.", barcode),
            }
        }

    @api.model
    def _selection_dest_branch(self):
        # Superuser: a branch sends to any branch of the business, also those its users do not
        # belong to (and so cannot read); only their names are shown.
        companies = self.env["res.company"].sudo().search([])
        return [(str(company.id), company.name) for company in companies]

    @api.depends("dest_branch")
    def _compute_dest_company_id(self):
        for wizard in self:
            # Superuser: see _selection_dest_branch.
            wizard.dest_company_id = self.env["res.company"].sudo().browse(int(wizard.dest_branch or 0))

    @api.model
    def _transit_location(self):
        return self.env.ref("stock.stock_location_inter_company")

    def _check_lines(self):
        self.ensure_one()
        if self.dest_company_id == self.company_id:
            raise UserError(self.env._("Choose another branch to send the products to."))
        if not self.line_ids:
            raise UserError(self.env._("Add the products to send."))
        stock = self.company_id._randevu_warehouse().lot_stock_id
        quants = self.env["stock.quant"]
        for line in self.line_ids:
            if line.quantity <= 0:
                raise UserError(
                    self.env._("Send a positive quantity of %(product)s.", product=line.product_id.display_name)
                )
            if line.product_id.tracking != "none" and not line.lot_id:
                raise UserError(
                    self.env._("Choose the lot of %(product)s to send.", product=line.product_id.display_name)
                )
            if line.lot_id.company_id and line.lot_id.company_id != self.company_id:
                raise UserError(self.env._("Lot %(lot)s is not this branch's.", lot=line.lot_id.name))
            if line.product_id.is_storable:
                available = quants._get_available_quantity(line.product_id, stock, lot_id=line.lot_id or None)
                wanted = line.uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
                if float_compare(wanted, available, precision_rounding=line.product_id.uom_id.rounding) > 0:
                    raise UserError(
                        self.env._(
                            "%(branch)s has only %(available)s %(unit)s of %(product)s to send.",
                            branch=self.company_id.name,
                            available=available,
                            unit=line.product_id.uom_id.name,
                            product=line.product_id.display_name,
                        )
                    )

    def action_send(self):
        self.ensure_one()
        self._check_lines()
        dest = self.dest_company_id.sudo()
        source_wh = self.company_id._randevu_warehouse()
        dest_wh = self.dest_company_id._randevu_warehouse()
        if not source_wh or not dest_wh:
            raise UserError(self.env._("Both branches need a warehouse."))
        transit = self._transit_location()
        # Lots are the supplier's: a lot owned by the sending branch becomes shared (no company,
        # as Odoo makes the lots it receives) so that the receiving branch keeps the same lot.
        # Superuser: the sender need not manage lots of other branches.
        self.line_ids.lot_id.filtered("company_id").sudo().company_id = False
        group = (
            self.env["procurement.group"]
            .sudo()
            .create(
                {
                    "name": self.note
                    or self.env._("%(from)s → %(to)s", **{"from": self.company_id.name, "to": dest.name})
                }
            )
        )
        links = {"randevu_transfer_from_id": self.company_id.id, "randevu_transfer_to_id": self.dest_company_id.id}
        # Superuser: the receipt belongs to the receiving branch, where the sender may have no rights.
        receipt = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.dest_company_id)
            .create(
                {
                    **links,
                    "picking_type_id": dest_wh.in_type_id.id,
                    "location_id": transit.id,
                    "location_dest_id": dest_wh.lot_stock_id.id,
                    "company_id": self.dest_company_id.id,
                    "group_id": group.id,
                    "origin": group.name,
                    "partner_id": self.company_id.partner_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": line.product_id.display_name,
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.quantity,
                                "product_uom": line.uom_id.id,
                                "location_id": transit.id,
                                "location_dest_id": dest_wh.lot_stock_id.id,
                                "company_id": self.dest_company_id.id,
                                "group_id": group.id,
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        delivery = self.env["stock.picking"].create(
            {
                **links,
                "picking_type_id": source_wh.out_type_id.id,
                "location_id": source_wh.lot_stock_id.id,
                "location_dest_id": transit.id,
                "company_id": self.company_id.id,
                "group_id": group.id,
                "origin": group.name,
                "partner_id": dest.partner_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.quantity,
                            "product_uom": line.uom_id.id,
                            "location_id": source_wh.lot_stock_id.id,
                            "location_dest_id": transit.id,
                            "company_id": self.company_id.id,
                            "group_id": group.id,
                            "move_dest_ids": [Command.link(dest_move.id)],
                        }
                    )
                    for line, dest_move in zip(self.line_ids, receipt.move_ids, strict=True)
                ],
            }
        )
        receipt.action_confirm()
        delivery.action_confirm()
        for line, move in zip(self.line_ids, delivery.move_ids, strict=True):
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": move.product_id.id,
                                "product_uom_id": move.product_uom.id,
                                "quantity": line.quantity,
                                "lot_id": line.lot_id.id,
                                "location_id": move.location_id.id,
                                "location_dest_id": move.location_dest_id.id,
                                "picking_id": delivery.id,
                            }
                        )
                    ],
                    "picked": True,
                }
            )
        # Superuser: validating the delivery reads and reserves its chained receipt, the other
        # branch's; the delivery itself was created with the sender's rights.
        delivery.sudo()._action_done()
        # Superuser: the receipt is the receiving branch's (see above); it now reserves the lots that left.
        receipt.sudo().action_assign()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": delivery.id,
            "view_mode": "form",
            "target": "current",
        }
