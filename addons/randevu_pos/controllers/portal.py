from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class RandevuDuePortal(CustomerPortal):
    """/my/due, "What Is Due" (portal, no website): the logged-in customer's open
    receivable items per branch, each branch with the payment link of what is due
    there; and its counter on /my."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "randevu_due_count" in counters:
            values["randevu_due_count"] = len(self._randevu_due_items())
        return values

    def _randevu_due_items(self):
        """The customer's (commercial partner's) posted receivable items still open,
        in every branch. Superuser: a portal user reads no journal items; only their
        own are searched."""
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            request.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "!=", 0),
                ],
                order="company_id, date, id",
            )
        )

    # website=True: http_routing's frontend dispatch (language, portal layout) as Odoo's
    # own /my pages; no website module needed.
    @http.route("/my/due", type="http", auth="user", website=True)
    def randevu_portal_my_due(self, **kwargs):
        partner = request.env.user.partner_id.commercial_partner_id
        items = self._randevu_due_items()
        branches = []
        for company in items.company_id:
            lines = items.filtered(lambda line, company=company: line.company_id == company)
            branches.append(
                {
                    "company": company,
                    "lines": lines,
                    "total": company.currency_id.round(sum(lines.mapped("amount_residual"))),
                    "currency": company.currency_id,
                    # Superuser: the link is signed with the payment token (no read by the user).
                    "pay_url": partner.sudo()._randevu_due_payment_link(company),
                }
            )
        values = self._prepare_portal_layout_values()
        values.update(page_name="randevu_due", branches=branches)
        return request.render("randevu_pos.portal_my_due", values)
