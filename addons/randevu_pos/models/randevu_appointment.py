from odoo import api, fields, models


class RandevuAppointment(models.Model):
    _name = "randevu.appointment"
    _inherit = ["randevu.appointment", "pos.load.mixin"]

    randevu_pos_line_ids = fields.One2many(
        "pos.order.line",
        "randevu_appointment_id",
        string="POS Order Lines",
        readonly=True,
        groups="point_of_sale.group_pos_user",
    )
    randevu_pos_order_id = fields.Many2one(
        "pos.order",
        string="POS Order",
        compute="_compute_randevu_pos_order_id",
        groups="point_of_sale.group_pos_user",
        help="The till's order that checked this appointment out.",
    )

    @api.depends("randevu_pos_line_ids.order_id.state")
    def _compute_randevu_pos_order_id(self):
        for appointment in self:
            orders = appointment.randevu_pos_line_ids.order_id.filtered(lambda order: order.state != "cancel")
            appointment.randevu_pos_order_id = orders.sorted("id")[-1:]

    @api.model
    def _load_pos_data_domain(self, data):
        # Nothing at start: the till reads the appointments the cashier picks (today's
        # list comes from pos.config.randevu_pos_appointments, fresh each time).
        return False

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "name", "state", "payment_state", "price"]

    def action_randevu_open_pos_order(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_pos_form")
        action.update(res_id=self.randevu_pos_order_id.id, views=[(False, "form")], view_mode="form")
        return action

    def _randevu_deposit_left(self, currency):
        """What is left to deduct, in `currency`, of the deposits paid online for these
        appointments (`_randevu_deposit_move_lines`, each journal item once)."""
        # sudo: the till deducts deposits whoever the cashier is (journal items are the
        # accountants'); only their amounts are read.
        return self._randevu_deposit_amount_left(self._randevu_deposit_move_lines().sudo(), currency)

    def _randevu_deposit_left_by_appointment(self, currency):
        """{appointment id: deposit left to deduct in `currency`} for these appointments,
        in a fixed number of queries (today's list at the till). A payment covering
        several appointments counts for each of them."""
        lines_sudo = self._randevu_deposit_move_lines().sudo()  # sudo: as _randevu_deposit_left
        result = dict.fromkeys(self.ids, 0.0)
        for transaction_sudo in self.sudo().randevu_transaction_ids:
            tx_lines = lines_sudo & transaction_sudo.payment_id.move_id.line_ids
            for appointment in transaction_sudo.randevu_appointment_ids.filtered(lambda appt: appt.id in result):
                result[appointment.id] += self._randevu_deposit_amount_left(tx_lines, currency)
        return result

    @api.model
    def _randevu_deposit_amount_left(self, lines, currency):
        left = 0.0
        for line in lines:
            if line.currency_id == currency:
                left -= line.amount_residual_currency
            else:
                left -= line.company_currency_id._convert(
                    line.amount_residual, currency, line.company_id, line.date or fields.Date.today()
                )
        return currency.round(left)
