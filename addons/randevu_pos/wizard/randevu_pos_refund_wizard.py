from odoo import fields, models
from odoo.exceptions import UserError

from ..models.pos_order import REFUND_REASONS


class RandevuPosRefundWizard(models.TransientModel):
    _name = "randevu.pos.refund.wizard"
    _description = "Return Products: reason and approval"

    order_ids = fields.Many2many("pos.order", string="Orders", required=True)
    reason = fields.Selection(REFUND_REASONS, string="Refund Reason", required=True)
    pin = fields.Char(
        string="Manager's PIN",
        help="A POS manager of the branch types their PIN, unless you are a POS manager yourself.",
    )
    needs_pin = fields.Boolean(string="Needs a PIN", compute="_compute_needs_pin")

    def _compute_needs_pin(self):
        manager = self.env.user.has_group("point_of_sale.group_pos_manager")
        for wizard in self:
            wizard.needs_pin = not manager

    def action_confirm(self):
        """The refund order of the orders (Odoo's Return Products), once the reason and
        the approval are checked as the till's server checks them."""
        self.ensure_one()
        configs = self.order_ids.config_id
        if len(configs.company_id) != 1:
            raise UserError(self.env._("Return the products of one branch at a time."))
        approver = self.env["pos.order"]._randevu_refund_approver(configs[0], self.reason, self.pin)
        return self.order_ids._randevu_refund_approved(self.reason, approver)
