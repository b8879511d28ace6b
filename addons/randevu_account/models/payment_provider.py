from odoo import api, models


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.depends("code", "state", "company_id")
    def _compute_journal_id(self):
        """A branch has no journals of its own in Odoo 18: it posts in its parent
        company's. account_payment only looks in the provider's exact company, so a
        provider of a branch (where deposits are taken) would get no journal and its
        done transactions could not create their payment. Use the nearest parent's
        bank journal then."""
        result = super()._compute_journal_id()
        for provider in self.filtered(
            lambda prov: not prov.journal_id and prov.state in ("enabled", "test") and prov.company_id.parent_id
        ):
            provider.journal_id = self.env["account.journal"].search(
                [("company_id", "parent_of", provider.company_id.id), ("type", "=", "bank")],
                order="company_id desc, sequence, id",
                limit=1,
            )
            if provider.id and provider.journal_id:
                provider._ensure_payment_method_line()
        return result
