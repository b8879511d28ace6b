from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round


class RandevuCommissionRule(models.Model):
    """What a staff member earns on a sale line they performed.

    A rule is for one staff member, a staff category or everyone; for services
    (products of type service) or retail (any other product), optionally of one
    product category and its subcategories. The most specific rule wins
    (`_randevu_precedence`): staff member over staff category over everyone, then
    the deepest product category (none counts as the root), then the lowest sequence.
    """

    _name = "randevu.commission.rule"
    _description = "Commission Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="Breaks ties between rules equally specific: the lowest wins.")
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    employee_id = fields.Many2one(
        "hr.employee", string="Staff Member", check_company=True, help="Empty: every staff member (or the category)."
    )
    employee_category_id = fields.Many2one(
        "hr.employee.category", string="Staff Category", help="Staff members tagged with this category."
    )
    applies_to = fields.Selection(
        [("service", "Services"), ("retail", "Retail")],
        required=True,
        default="service",
        help="Services are products of type service; retail is every other product.",
    )
    product_category_id = fields.Many2one("product.category", help="This category and its subcategories; empty: all.")
    amount_type = fields.Selection(
        [("percent", "Percentage"), ("fixed", "Fixed per Unit")], required=True, default="percent"
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4))
    fixed_amount = fields.Monetary(string="Amount per Unit")
    tier_mode = fields.Selection(
        [("none", "No Tiers"), ("progressive", "Progressive"), ("retroactive", "Retroactive")],
        string="Tiers",
        required=True,
        default="none",
        help="Bands by the staff member's revenue under this rule in the period. Progressive: each band's "
        "revenue at its own rate. Retroactive: the rate of the band reached applies to the whole revenue.",
    )
    tier_ids = fields.One2many("randevu.commission.tier", "rule_id", string="Bands", copy=True)
    deduct_discount = fields.Boolean(string="Deduct Discounts", default=True)
    deduct_tax = fields.Boolean(string="Deduct Taxes", default=True)
    deduct_cost = fields.Boolean(string="Deduct Product Cost", help="The product's cost times the quantity.")

    _sql_constraints = [
        (
            "one_staff_target",
            "CHECK(employee_id IS NULL OR employee_category_id IS NULL)",
            "A commission rule is for a staff member or a staff category, not both.",
        ),
        ("rate_positive", "CHECK(rate >= 0 AND fixed_amount >= 0)", "A commission cannot be negative."),
        (
            "tiers_on_percent",
            "CHECK(amount_type = 'percent' OR tier_mode = 'none')",
            "Only a percentage can have tiers.",
        ),
    ]

    @api.constrains("tier_mode", "tier_ids")
    def _check_tiers(self):
        wrong = self.filtered(
            lambda rule: (
                rule.tier_mode != "none" and (not rule.tier_ids or min(rule.tier_ids.mapped("from_amount")) != 0)
            )
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "A tiered rule needs bands, the first starting at 0: %(rules)s",
                    rules=", ".join(wrong.mapped("name")),
                )
            )

    def _randevu_matches(self, employee, product):
        """Whether this rule applies to a line of `product` performed by `employee`
        (records already in cache: no query)."""
        self.ensure_one()
        if self.applies_to != ("service" if product.type == "service" else "retail"):
            return False
        if self.employee_id and self.employee_id != employee:
            return False
        if self.employee_category_id and self.employee_category_id not in employee.category_ids:
            return False
        category = self.product_category_id
        return not category or (product.categ_id.parent_path or "").startswith(category.parent_path)

    def _randevu_precedence(self):
        """Sort key, highest first: staff member (2) over staff category (1) over
        everyone (0), then the deeper product category, then the lower sequence and id."""
        self.ensure_one()
        staff = 2 if self.employee_id else 1 if self.employee_category_id else 0
        depth = self.product_category_id.parent_path.count("/") if self.product_category_id else 0
        return (staff, depth, -self.sequence, -self.id)

    def _randevu_commission_to(self, revenue, total=None):
        """Commission earned on a cumulative `revenue` of the period (not rounded).
        `total` is the period's whole revenue under the rule, which picks the band of a
        retroactive rule. A negative revenue (refunds) earns at the first band's rate."""
        self.ensure_one()
        if self.tier_mode == "none":
            return revenue * self.rate / 100
        bands = self.tier_ids.sorted("from_amount")
        if self.tier_mode == "retroactive":
            reached = bands.filtered(lambda band: band.from_amount <= max(total or 0, 0))[-1:] or bands[:1]
            return revenue * reached.rate / 100
        if revenue <= 0:
            return revenue * bands[:1].rate / 100
        earned = 0.0
        starts = bands.mapped("from_amount")
        for band, stop in zip(bands, [*starts[1:], None], strict=True):
            top = revenue if stop is None else min(revenue, stop)
            if top > band.from_amount:
                earned += (top - band.from_amount) * band.rate / 100
        return earned

    def _randevu_base(self, line, cost):
        """The line's revenue after the rule's deductions, in the line's currency
        (not rounded): the amount with or without taxes, before or after the discount,
        less `cost` (the product's unit cost) times the quantity when asked."""
        self.ensure_one()
        amount = line.price_subtotal if self.deduct_tax else line.price_subtotal_incl
        if not self.deduct_discount and line.discount:
            if line.discount < 100:
                amount = amount * 100 / (100 - line.discount)
            else:
                amount = line.qty * line.price_unit
        if self.deduct_cost:
            amount -= line.qty * cost
        return amount

    @api.model
    def _randevu_round(self, amount, currency):
        return float_round(amount, precision_rounding=currency.rounding)
