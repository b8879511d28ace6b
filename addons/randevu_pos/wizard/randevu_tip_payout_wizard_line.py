from odoo import fields, models
from odoo.exceptions import UserError


class RandevuTipPayoutWizardLine(models.TransientModel):
    _name = "randevu.tip.payout.wizard.line"
    _description = "Pay Out Tips: Staff Member"

    wizard_id = fields.Many2one("randevu.tip.payout.wizard", required=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, readonly=True)
    currency_id = fields.Many2one(related="wizard_id.company_id.currency_id")
    amount = fields.Monetary(string="Tips", readonly=True)

    def _randevu_post(self, tip_lines):
        """The payout's posted entry for `tip_lines` (sudo, locked and checked by the
        wizard), reconciled with the sessions' Tips Payable items, and written on them."""
        self.ensure_one()
        wizard = self.wizard_id
        account = tip_lines.order_id.config_id[:1]._randevu_tips_account()
        # sudo: an HR field; only which contact the payout is for.
        partner = self.employee_id.sudo().work_contact_id
        # sudo: a Randevu manager need not read the chart; the journal's own account.
        credit_account = wizard.journal_id.sudo().default_account_id
        if not credit_account:
            raise UserError(self.env._("%(journal)s has no account.", journal=wizard.journal_id.sudo().name))
        label = self.env._(
            "Tips %(staff)s, %(date_from)s to %(date_to)s",
            staff=partner.name,
            date_from=wizard.date_from,
            date_to=wizard.date_to,
        )
        # sudo: a Randevu manager pays tips out without being an accountant; the entry is
        # the one the payout implies (as commissions' approval does).
        move_sudo = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "company_id": wizard.company_id.id,
                    "journal_id": wizard.journal_id.id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [
                        fields.Command.create(
                            {"name": label, "account_id": account.id, "partner_id": partner.id, "debit": self.amount}
                        ),
                        fields.Command.create(
                            {
                                "name": label,
                                "account_id": credit_account.id,
                                "partner_id": partner.id,
                                "credit": self.amount,
                            }
                        ),
                    ],
                }
            )
        )
        move_sudo.action_post()
        tip_lines.randevu_tip_payout_move_id = move_sudo
        sessions_items = tip_lines.order_id.session_id.move_id.line_ids.filtered(
            lambda item: item.account_id == account and not item.reconciled and item.credit
        )
        (move_sudo.line_ids.filtered(lambda item: item.account_id == account) | sessions_items).reconcile()
        return self.env["account.move"].browse(move_sudo.id)
