from odoo import fields, models


class RandevuCommissionLine(models.Model):
    """A staff member's commission on one paid POS line of a period: the line's
    revenue after the rule's deductions (`base`), the effective rate and the amount.
    Written by the period's computation only (randevu.commission.period._randevu_compute)."""

    _name = "randevu.commission.line"
    _description = "Commission Line"
    _order = "period_id, employee_id, date, id"

    period_id = fields.Many2one(
        "randevu.commission.period", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, index=True, readonly=True)
    rule_id = fields.Many2one(
        "randevu.commission.rule",
        ondelete="restrict",
        readonly=True,
        help="Empty: no rule applied, the staff member's own commission rate (Staff form) did.",
    )
    pos_order_line_id = fields.Many2one(
        "pos.order.line", string="Sale Line", ondelete="restrict", index="btree_not_null", readonly=True
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", ondelete="restrict", index="btree_not_null", readonly=True
    )
    appointment_id = fields.Many2one(
        "randevu.appointment",
        string="Course Session",
        ondelete="restrict",
        index="btree_not_null",
        readonly=True,
        help="A session of a course performed: its share of the course is the base.",
    )
    date = fields.Datetime(required=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    qty = fields.Float(string="Quantity", digits="Product Unit of Measure", readonly=True)
    base = fields.Monetary(readonly=True, help="The line's revenue after the rule's deductions.")
    rate = fields.Float(
        string="Rate (%)", digits=(16, 4), readonly=True, help="The effective rate (0 for a fixed amount per unit)."
    )
    amount = fields.Monetary(string="Commission", readonly=True)

    _sql_constraints = [
        (
            "one_source",
            "CHECK(num_nonnulls(pos_order_line_id, move_line_id, appointment_id) = 1)",
            "A commission line comes from a POS line, an invoice line or a course session.",
        ),
        (
            "one_per_invoice_line",
            "UNIQUE(period_id, move_line_id)",
            "An invoice line counts once in a commission period.",
        ),
        (
            "one_per_course_session",
            "UNIQUE(period_id, appointment_id)",
            "A course session counts once in a commission period.",
        ),
        (
            "one_per_sale_line",
            "UNIQUE(period_id, pos_order_line_id)",
            "A sale line counts once in a commission period.",
        ),
    ]
