from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.randevu_marketing.models.randevu_segment import CRITERIA

POS_CRITERIA = ("spend_min", "credit_min", "course_sessions_min")


class RandevuSegment(models.Model):
    """Segment criteria from the till (randevu_pos): what the customer spent, her account
    credit (eWallet) and the sessions left on her courses. Each is a subquery added to
    the segment's domain (`_randevu_segment_domain`), grouped with HAVING: still one
    query for the count, whatever the number of customers."""

    _inherit = "randevu.segment"

    spend_min = fields.Float(
        "Spent at least",
        digits="Product Price",
        help="Total of the customer's paid till orders (refunds deducted), at the branches you work in. 0: not used.",
    )
    credit_min = fields.Float(
        "Account credit at least",
        digits="Product Price",
        help="Balance of the customer's account credit (eWallet). 0: not used.",
    )
    course_sessions_min = fields.Integer(
        "Course sessions left at least",
        help="Sessions left on the customer's active courses, at the branches you work in. 0: not used.",
    )

    _sql_constraints = [
        (
            "pos_criteria_not_negative",
            "CHECK(spend_min >= 0 AND credit_min >= 0 AND course_sessions_min >= 0)",
            "Amounts spent, credit and sessions cannot be negative.",
        ),
    ]

    @api.depends(*CRITERIA, *POS_CRITERIA)
    def _compute_partner_count(self):
        return super()._compute_partner_count()

    def _randevu_grouped_partners(self, model, domain, column, threshold):
        """SQL subquery: the customers whose records of `model` matching `domain` sum
        `column` to at least `threshold`. sudo: a receptionist without Point of Sale
        rights may still count and list a segment; only customers leave the query, and
        it is limited to the branches of the user's session (`domain`), as record rules
        would (none for the superuser, e.g. the mailing queue: as for appointments)."""
        query = self.env[model].sudo()._search([("partner_id", "!=", False), *domain])
        partner = SQL.identifier(query.table, "partner_id")
        query.groupby = partner
        query.having = SQL("SUM(%s) >= %s", SQL.identifier(query.table, column), threshold)
        return SQL("(%s)", query.select(partner))

    def _randevu_segment_domain(self):
        domains = super()._randevu_segment_domain()
        # The branches record rules would allow (the superuser sees them all).
        in_branches = [] if self.env.su else [("company_id", "in", self.env.companies.ids)]
        if self.spend_min:
            paid = [("state", "in", ("paid", "done", "invoiced")), *in_branches]
            spenders = self._randevu_grouped_partners("pos.order", paid, "amount_total", self.spend_min)
            domains.append([("id", "in", spenders)])
        if self.credit_min:
            shared = [("company_id", "in", [*self.env.companies.ids, False])] if in_branches else []
            wallets = [("program_id.program_type", "=", "ewallet"), *shared]
            credited = self._randevu_grouped_partners("loyalty.card", wallets, "points", self.credit_min)
            domains.append([("id", "in", credited)])
        if self.course_sessions_min:
            courses = [("state", "=", "active"), *in_branches]
            followers = self._randevu_grouped_partners(
                "randevu.course", courses, "sessions_left", self.course_sessions_min
            )
            domains.append([("id", "in", followers)])
        return domains
