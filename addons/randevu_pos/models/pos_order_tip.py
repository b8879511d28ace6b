from odoo import api, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    @api.model
    def _process_order(self, order, existing_order):
        order_id = super()._process_order(order, existing_order)
        self.browse(order_id)._randevu_assign_tips()
        return order_id

    def _randevu_assign_tips(self):
        """A tip chosen for nobody at the till is for the order's only performer (of its
        other lines); with several performers it stays unassigned for the manager."""
        for order in self:
            tips = order.lines.filtered(lambda line: line.randevu_is_tip and not line.randevu_employee_id)
            performers = (order.lines - order.lines.filtered("randevu_is_tip")).randevu_employee_id
            if tips and len(performers) == 1:
                tips.randevu_employee_id = performers
