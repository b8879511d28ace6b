from odoo import models
from odoo.exceptions import UserError


class PosMakePayment(models.TransientModel):
    _inherit = "pos.make.payment"

    def check(self):
        # Paying back a refund from its form (the backend's Return Products): only a
        # refund made with a reason and a manager's approval; then, as at the till, its
        # lines keep the performer and the appointment is not paid any more.
        order = self.env["pos.order"].browse(self.env.context.get("active_id"))
        refund = order.state == "draft" and bool(order.lines.refunded_orderline_id)
        if refund and not (order.randevu_refund_reason and order.randevu_refund_approved_by_id):
            raise UserError(
                self.env._(
                    "%(order)s refunds without a reason and a manager's approval: "
                    "make the refund with Return Products.",
                    order=order.name,
                )
            )
        result = super().check()
        if refund and order.state in ("paid", "done", "invoiced"):
            order._randevu_refund_appointments()
            order._randevu_refund_courses()
        return result
