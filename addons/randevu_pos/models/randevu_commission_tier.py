from odoo import fields, models


class RandevuCommissionTier(models.Model):
    """A band of a tiered commission rule: from `from_amount` of the staff member's
    revenue under the rule in the period, up to the next band's start, at `rate` %."""

    _name = "randevu.commission.tier"
    _description = "Commission Tier"
    _order = "rule_id, from_amount"

    rule_id = fields.Many2one("randevu.commission.rule", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    from_amount = fields.Monetary(
        string="From Revenue", required=True, help="The band starts at this revenue of the period (the first at 0)."
    )
    rate = fields.Float(string="Rate (%)", required=True, digits=(16, 4))

    _sql_constraints = [
        ("from_positive", "CHECK(from_amount >= 0)", "A band starts at a revenue of 0 or more."),
        ("rate_positive", "CHECK(rate >= 0)", "A band's rate cannot be negative."),
        ("from_unique", "UNIQUE(rule_id, from_amount)", "Two bands of a rule cannot start at the same revenue."),
    ]
