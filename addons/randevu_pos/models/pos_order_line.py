from odoo import api, fields, models
from odoo.exceptions import AccessError


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    randevu_employee_id = fields.Many2one(
        "hr.employee",
        string="Performed By",
        index="btree_not_null",
        help="The staff member who performed the service or sold the product (pos_hr's cashier is on the order).",
    )
    randevu_appointment_id = fields.Many2one(
        "randevu.appointment",
        string="Appointment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="randevu_calendar.group_randevu_staff",
        help="The appointment this line checks out: paying the order marks it paid.",
    )
    randevu_attendee_id = fields.Many2one(
        "randevu.attendee",
        string="Class Seat",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="randevu_calendar.group_randevu_staff",
        help="The seat in a group class this line checks out: paying the order marks the seat paid.",
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        result = super()._load_pos_data_fields(config_id)
        result.append("randevu_employee_id")
        # Only a Randevu user picks appointments; another cashier may not read the field.
        if self.env.user.has_group("randevu_calendar.group_randevu_staff"):
            result += ["randevu_appointment_id", "randevu_attendee_id"]
        return result

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

    randevu_tip_payout_move_id = fields.Many2one(
        "account.move",
        string="Tip Paid Out By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The journal entry that paid this tip out to its staff member (Pay Out Tips).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("randevu_tip_payout_move_id") for vals in vals_list) and not self.env.su:
            raise AccessError(self.env._("A tip's payout is recorded by Pay Out Tips, not set by hand."))
        return super().create(vals_list)

    def write(self, vals):
        # Only the payout (randevu.tip.payout.wizard) records it: a tip is never paid twice.
        if "randevu_tip_payout_move_id" in vals and not self.env.su:
            raise AccessError(self.env._("A tip's payout is recorded by Pay Out Tips, not set by hand."))
        return super().write(vals)
