from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


class RandevuAppointment(models.Model):
    """The products an appointment uses, written off the branch's stock in one transfer
    when it is done, and put back (a return) when it is reopened."""

    _inherit = "randevu.appointment"

    consumable_ids = fields.One2many(
        "randevu.appointment.consumable", "appointment_id", string="Products Used", groups="base.group_user"
    )
    randevu_consumables_planned = fields.Boolean(
        string="Consumables Planned",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The service's consumables were put on the appointment (and may have been corrected since).",
    )
    randevu_stock_short = fields.Boolean(
        string="Used Without Stock",
        compute="_compute_randevu_stock_short",
        store=True,
        groups="base.group_user",
        help="A product used was not in the branch's stock: its stock went below zero.",
    )
    randevu_consumables_locked = fields.Boolean(
        string="Products Written Off",
        compute="_compute_randevu_consumables_locked",
        groups="base.group_user",
        help="The products used left the stock (the appointment is done, and paid where the branch writes off "
        "at checkout): reopen it to change them.",
    )
    randevu_consumption_picking_id = fields.Many2one(
        "stock.picking",
        string="Consumption Transfer",
        readonly=True,
        copy=False,
        groups="stock.group_stock_user",
    )

    randevu_service_variant_id = fields.Many2one(
        "product.product",
        string="Service Variant",
        domain="[('product_tmpl_id', '=', service_id)]",
        groups="base.group_user",
        help="For a service with variants: the variant done, whose own consumables (if it has any) replace the "
        "service's.",
    )
    randevu_service_variant_count = fields.Integer(related="service_id.product_variant_count", groups="base.group_user")

    randevu_stock_warning = fields.Char(
        string="Stock Warning",
        compute="_compute_randevu_stock_warning",
        groups="base.group_user",
        help="The products this appointment needs that the branch's stock does not cover.",
    )

    @api.depends(
        "state", "service_id", "employee_id", "company_id", "consumable_ids.quantity", "randevu_service_variant_id"
    )
    def _compute_randevu_stock_warning(self):
        warnings = self._randevu_stock_warnings()
        for appointment in self:
            appointment.randevu_stock_warning = warnings.get(appointment.id, False)

    def _randevu_stock_warnings(self):
        """{appointment id: "Not enough in stock at <branch>: <products>"} for those of these
        appointments, not done nor cancelled, whose products the branch's stock does not
        cover. The on-hand quantities are read once per branch (the day planner asks for a
        whole day)."""
        open_ones = self.filtered(lambda a: a.state not in ("done", "cancelled") and a.company_id)
        needs = {appointment: appointment._randevu_needs() for appointment in open_ones}
        by_branch = defaultdict(lambda: self.env["randevu.appointment"])
        for appointment in open_ones:
            if needs[appointment]:
                by_branch[appointment.company_id] |= appointment
        warnings = {}
        for branch, appointments in by_branch.items():
            warehouse = branch._randevu_warehouse()
            if not warehouse:
                continue
            products = self.env["product.product"].sudo().concat(*{p for a in appointments for p in needs[a]})
            # The stock moves under a cached on-hand quantity (quants are not its dependencies).
            products.invalidate_recordset(["qty_available"])
            on_hand = {
                product: product.qty_available
                for product in products.with_context(location=warehouse.lot_stock_id.id).with_company(branch)
            }
            for appointment in appointments:
                missing = [
                    product.display_name
                    for product, quantity in needs[appointment].items()
                    if float_compare(on_hand[product], quantity, precision_rounding=product.uom_id.rounding) < 0
                ]
                if missing:
                    warnings[appointment.id] = self.env._(
                        "Not enough in stock at %(branch)s: %(products)s",
                        branch=branch.name,
                        products=", ".join(missing),
                    )
        return warnings

    def _randevu_needs(self):
        """{product: quantity in the product's unit} this appointment needs: its lines when
        planned, else its service's (the staff member's own where set)."""
        self.ensure_one()
        # Superuser: staff and reception see the warning without reading stock or services.
        if self.randevu_consumables_planned:
            lines = self.sudo().consumable_ids
        else:
            lines = self.service_id.sudo().randevu_consumable_ids._for_staff(
                self.employee_id, self.sudo().randevu_service_variant_id
            )
        needs = {}
        for line in lines:
            product = line.product_id
            if not product.is_storable:
                continue
            quantity = line.uom_id._compute_quantity(line.quantity, product.uom_id, rounding_method="HALF-UP")
            needs[product] = needs.get(product, 0.0) + quantity
        return needs

    @api.depends("consumable_ids.short")
    def _compute_randevu_stock_short(self):
        for appointment in self:
            appointment.randevu_stock_short = any(appointment.consumable_ids.mapped("short"))

    @api.depends("state", "payment_state", "company_id.randevu_consumables_moment")
    def _compute_randevu_consumables_locked(self):
        due = self._randevu_consumables_due()
        for appointment in self:
            appointment.randevu_consumables_locked = appointment in due

    @api.model_create_multi
    def create(self, vals_list):
        appointments = super().create(vals_list)
        if any(vals.get("state") == "done" for vals in vals_list):
            appointments._randevu_consumables_due()._randevu_write_off_consumables()
        return appointments

    def write(self, vals):
        watched = "state" in vals or "payment_state" in vals
        was_done = self.filtered(lambda appt: appt.state == "done") if watched else self.browse()
        was_due = was_done._randevu_consumables_due()
        result = super().write(vals)
        if watched:
            now_done = self.filtered(lambda appt: appt.state == "done")
            # Only reopening gives the products back: a refund does not un-use them.
            (was_done - now_done)._randevu_return_consumables()
            (now_done._randevu_consumables_due() - was_due)._randevu_write_off_consumables()
        return result

    # ------------------------------------------------------------------ actions
    def action_randevu_plan_consumables(self):
        """Put the service's consumables on the appointment, to be corrected before it is done."""
        self._randevu_check_consumables_open()
        self._randevu_plan_consumables()
        return True

    def action_randevu_reopen(self):
        """Back from done to in progress (reception and managers): the products written off
        return to the stock."""
        if not self.env.user.has_group("randevu_calendar.group_randevu_user"):
            raise AccessError(self.env._("Only reception and managers reopen a done appointment."))
        return self._set_state("in_progress", ("done",))

    # ------------------------------------------------------------------ business methods
    def _randevu_consumables_due(self):
        """The appointments whose products leave the stock now: done, and also paid where
        the branch writes off at checkout."""
        return self.filtered(
            lambda appt: (
                appt.state == "done"
                and (appt.company_id.randevu_consumables_moment != "paid" or appt.payment_state == "paid")
            )
        )

    def _randevu_check_consumables_open(self):
        if self.env.context.get("randevu_consumption_write_off"):
            return
        if self._randevu_consumables_due():
            raise UserError(self.env._("The products of a done appointment are written off: reopen it to change them."))

    def _randevu_plan_consumables(self):
        """Lines for the service's consumables (the staff member's own where set) on the
        appointments not planned yet, for the products they do not have a line of yet."""
        todo = self.filtered(lambda appt: not appt.randevu_consumables_planned)
        vals_list = []
        for appointment in todo:
            # Superuser: reception and staff read the service's consumables to plan them.
            service_lines_sudo = appointment.service_id.sudo().randevu_consumable_ids
            present = appointment.sudo().consumable_ids.product_id
            for line in service_lines_sudo._for_staff(
                appointment.employee_id, appointment.sudo().randevu_service_variant_id
            ):
                if line.product_id not in present:
                    vals_list.append(
                        {
                            "appointment_id": appointment.id,
                            "product_id": line.product_id.id,
                            "quantity": line.quantity,
                            "planned_quantity": line.quantity,
                            "uom_id": line.uom_id.id,
                            "planned": True,
                        }
                    )
        # Superuser: staff may mark their appointment done; the lines follow from the service.
        self.env["randevu.appointment.consumable"].sudo().with_context(randevu_consumption_write_off=True).create(
            vals_list
        )
        todo.sudo().randevu_consumables_planned = True

    def _randevu_write_off_consumables(self):
        """One done transfer per appointment, from the branch's stock to its consumption
        location: the lot chosen on a line, else Odoo's removal strategy (first expiring
        first out with product_expiry's FEFO); what the stock lacks is taken all the
        same (the stock goes below zero, the line is flagged)."""
        self._randevu_plan_consumables()
        # Superuser: whoever closes the appointment (staff, reception) need not be an inventory user.
        for appointment in self.sudo().with_context(randevu_consumption_write_off=True):
            lines = appointment.consumable_ids.filtered(lambda line: line.quantity > 0)
            if not lines or appointment.randevu_consumption_picking_id:
                continue
            env = appointment.env
            branch = appointment.company_id
            warehouse = branch._randevu_warehouse()
            if not warehouse:
                branch._randevu_ensure_warehouses()
                warehouse = branch._randevu_warehouse()
            source = warehouse.lot_stock_id
            destination = branch.randevu_consumption_location_id
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": appointment.partner_id.id,
                    "origin": appointment.name,
                    "company_id": branch.id,
                }
            )
            moves = env["stock.move"].create(
                [
                    {
                        "name": appointment.name or line.product_id.display_name,
                        "picking_id": picking.id,
                        "product_id": line.product_id.id,
                        # In the product's unit: Odoo's quant update skips a quantity that
                        # rounds to zero in a finer unit of use (60 ml of a litre product).
                        "product_uom_qty": line.uom_id._compute_quantity(
                            line.quantity, line.product_id.uom_id, rounding_method="HALF-UP"
                        ),
                        "product_uom": line.product_id.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "company_id": branch.id,
                    }
                    for line in lines
                ]
            )
            moves._action_confirm(merge=False)
            unchosen = env["stock.move"].browse(
                [move.id for line, move in zip(lines, moves, strict=True) if not line.lot_id]
            )
            unchosen._action_assign()
            for line, move in zip(lines, moves, strict=True):
                if line.lot_id:
                    move.move_line_ids.unlink()
                    appointment._randevu_add_move_line(move, move.product_uom_qty, line.lot_id)
                    short = appointment._randevu_lacks(move, line.lot_id)
                else:
                    missing = move.product_uom_qty - move.quantity
                    short = float_compare(missing, 0, precision_rounding=move.product_uom.rounding) > 0
                    if short:
                        lot = move.move_line_ids[-1:].lot_id or appointment._randevu_fallback_lot(move)
                        appointment._randevu_add_move_line(move, missing, lot)
                line.short = short
            moves.picked = True
            picking._action_done()
            for line, move in zip(lines, moves, strict=True):
                line.used_lot_ids = [Command.set(move.move_line_ids.lot_id.ids)]
            appointment.randevu_consumption_picking_id = picking
        self.env["stock.warehouse.orderpoint"]._randevu_trigger_stock_alerts()

    def _randevu_add_move_line(self, move, quantity, lot):
        return self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "quantity": quantity,
                "lot_id": lot.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "company_id": move.company_id.id,
            }
        )

    def _randevu_lacks(self, move, lot):
        """Whether the stock of `lot` at the move's source cannot cover the move."""
        available = self.env["stock.quant"]._get_available_quantity(
            move.product_id, move.location_id, lot_id=lot, strict=False
        )
        needed = move.product_uom._compute_quantity(move.product_uom_qty, move.product_id.uom_id)
        return float_compare(needed, available, precision_rounding=move.product_id.uom_id.rounding) > 0

    def _randevu_fallback_lot(self, move):
        """A lot for a tracked product the branch lacks: its first-expiring lot known to
        the branch, else a new lot named after the appointment. None when untracked."""
        if move.product_id.tracking == "none":
            return self.env["stock.lot"]
        lot = self.env["stock.lot"].search(
            [("product_id", "=", move.product_id.id), ("company_id", "in", (False, move.company_id.id))],
            order="expiration_date asc, id",
            limit=1,
        )
        return lot or self.env["stock.lot"].create(
            {
                "name": self.env._("%(appointment)s (no stock)", appointment=self.name),
                "product_id": move.product_id.id,
                "company_id": move.company_id.id,
            }
        )

    def _randevu_return_consumables(self):
        """The reopened appointments' products back to the branch's stock, same lots, same
        quantities, as a return of the consumption transfer (valued at its cost)."""
        # Superuser: whoever reopens the appointment need not be an inventory user.
        for appointment in self.sudo().with_context(randevu_consumption_write_off=True):
            picking = appointment.randevu_consumption_picking_id
            if not picking:
                continue
            env = appointment.env
            moves = picking.move_ids.filtered(lambda move: move.state == "done")
            back = env["stock.picking"].create(
                {
                    "picking_type_id": picking.picking_type_id.id,
                    "location_id": picking.location_dest_id.id,
                    "location_dest_id": picking.location_id.id,
                    "partner_id": picking.partner_id.id,
                    "origin": self.env._("Return of %(transfer)s", transfer=picking.name),
                    "company_id": picking.company_id.id,
                    "return_id": picking.id,
                }
            )
            returns = env["stock.move"].create(
                [
                    {
                        "name": move.name,
                        "picking_id": back.id,
                        "product_id": move.product_id.id,
                        "product_uom_qty": move.quantity,
                        "product_uom": move.product_uom.id,
                        "location_id": move.location_dest_id.id,
                        "location_dest_id": move.location_id.id,
                        "company_id": move.company_id.id,
                        "origin_returned_move_id": move.id,
                    }
                    for move in moves
                ]
            )
            returns._action_confirm(merge=False)
            returns.move_line_ids.unlink()
            env["stock.move.line"].create(
                [
                    {
                        "move_id": back_move.id,
                        "picking_id": back.id,
                        "product_id": move_line.product_id.id,
                        "product_uom_id": move_line.product_uom_id.id,
                        "quantity": move_line.quantity,
                        "lot_id": move_line.lot_id.id,
                        "location_id": back_move.location_id.id,
                        "location_dest_id": back_move.location_dest_id.id,
                        "company_id": back_move.company_id.id,
                    }
                    for move, back_move in zip(moves, returns, strict=True)
                    for move_line in move.move_line_ids
                ]
            )
            returns.picked = True
            back._action_done()
            appointment.consumable_ids.write({"used_lot_ids": [Command.clear()], "short": False})
            appointment.randevu_consumption_picking_id = False
