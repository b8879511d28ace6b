from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RandevuAppointmentConsumable(models.Model):
    """A product used in one appointment: planned from the service's consumables,
    corrected or added by reception before the appointment is done, then written off
    (with the lots it took, for a recall)."""

    _name = "randevu.appointment.consumable"
    _description = "Appointment Consumable"
    _order = "appointment_id desc, id"
    _check_company_auto = True

    appointment_id = fields.Many2one("randevu.appointment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="appointment_id.company_id", store=True, index=True, string="Branch")
    partner_id = fields.Many2one(related="appointment_id.partner_id", store=True, string="Client")
    partner_phone = fields.Char(related="appointment_id.partner_id.phone", string="Phone")
    partner_email = fields.Char(related="appointment_id.partner_id.email", string="Email")
    employee_id = fields.Many2one(related="appointment_id.employee_id", string="Staff Member")
    start = fields.Datetime(related="appointment_id.start", store=True)
    state = fields.Selection(related="appointment_id.state", string="Appointment Status")
    product_id = fields.Many2one("product.product", required=True, check_company=True, domain=[("type", "=", "consu")])
    tracking = fields.Selection(related="product_id.tracking")
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(
        "uom.uom", string="Unit", required=True, compute="_compute_uom_id", store=True, readonly=False, precompute=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="The lot to use; empty: the first-expiring lot in stock.",
    )
    used_lot_ids = fields.Many2many(
        "stock.lot",
        "randevu_appointment_consumable_lot_rel",
        "consumable_id",
        "lot_id",
        string="Lots Used",
        readonly=True,
        copy=False,
    )
    planned = fields.Boolean(readonly=True, help="From the service's consumables (not added by hand).")
    planned_quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="What the service plans (in the line's unit): the usage report's waste is the quantity used minus this.",
    )
    short = fields.Boolean(
        string="Not in Stock",
        readonly=True,
        copy=False,
        help="The branch did not have enough of it: the write-off took its stock below zero.",
    )

    _sql_constraints = [
        ("quantity_not_negative", "CHECK(quantity >= 0)", "A used quantity cannot be negative."),
    ]

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if not line.uom_id or line.uom_id.category_id != line.product_id.uom_id.category_id:
                line.uom_id = line.product_id.uom_id

    @api.constrains("uom_id", "product_id", "lot_id")
    def _check_uom_and_lot(self):
        wrong = self.filtered(
            lambda line: (
                line.uom_id.category_id != line.product_id.uom_id.category_id
                or (line.lot_id and line.lot_id.product_id != line.product_id)
            )
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "The unit and lot of a used product must be its own: %(products)s.",
                    products=", ".join(wrong.product_id.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.appointment_id._randevu_check_consumables_open()
        return lines

    def write(self, vals):
        self.appointment_id._randevu_check_consumables_open()
        result = super().write(vals)
        if "appointment_id" in vals:
            self.appointment_id._randevu_check_consumables_open()
        return result

    def unlink(self):
        self.appointment_id._randevu_check_consumables_open()
        return super().unlink()
