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
                provider._randevu_ensure_branch_method_line()
        return result

    def _randevu_ensure_branch_method_line(self):
        """account_payment's `_ensure_payment_method_line` for a branch's provider on its
        parent's journal, where the parent's own provider of the same kind may already
        have a line of that name (Odoo refuses two incoming lines of one name on a
        journal): the branch's line is then named after the branch too."""
        self.ensure_one()
        method = self._get_provider_payment_method(self._get_code())
        if not method:
            return
        Line = self.env["account.payment.method.line"]
        line = Line.search([("payment_provider_id", "=", self.id), ("journal_id", "!=", False)], limit=1)
        others = self.journal_id.inbound_payment_method_line_ids - line
        name = self.name
        if name in others.mapped("name"):
            name = f"{self.name} ({self.company_id.name})"
        if line:
            if (line.journal_id, line.name) != (self.journal_id, name):
                line.write({"journal_id": self.journal_id.id, "name": name})
        else:
            Line.create(
                {
                    "name": name,
                    "payment_method_id": method.id,
                    "journal_id": self.journal_id.id,
                    "payment_provider_id": self.id,
                }
            )
