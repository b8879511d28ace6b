from odoo import models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _randevu_open_receivable_lines(self):
        """The customer's (commercial partner's) posted receivable items still due in
        the current branch: what the till left on their account, and anything else
        Accounting holds against them there."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
        )

    def action_randevu_settle_due(self):
        """Settle Due: Odoo's Register Payment on the customer's open receivable items of
        the current branch (a visit left on their account at the till, whose POS entry
        has no invoice to pay); the payment is reconciled with them."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may settle what a customer owes."))
        lines = self._randevu_open_receivable_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "%(customer)s owes nothing at %(branch)s.", customer=self.display_name, branch=self.env.company.name
                )
            )
        action = lines.action_register_payment()
        action["name"] = self.env._("Settle Due")
        return action
