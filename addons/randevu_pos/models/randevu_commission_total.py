from odoo import fields, models


class RandevuCommissionTotal(models.Model):
    """A staff member's total commission of a period (the sum of their lines),
    written with the lines; the journal entry is made from these."""

    _name = "randevu.commission.total"
    _description = "Commission Total per Staff Member"
    _order = "period_id, employee_id"

    period_id = fields.Many2one(
        "randevu.commission.period", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    base = fields.Monetary(string="Revenue", readonly=True)
    amount = fields.Monetary(string="Commission", readonly=True)

    _sql_constraints = [
        ("one_per_staff", "UNIQUE(period_id, employee_id)", "A staff member has one total per period."),
    ]
