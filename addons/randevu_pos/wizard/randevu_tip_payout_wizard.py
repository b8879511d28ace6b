from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

PAYOUT_GROUPS = ("randevu_calendar.group_randevu_manager", "account.group_account_invoice")


class RandevuTipPayoutWizard(models.TransientModel):
    """Pay out the tips of a branch's staff for a period: per staff member, their tips
    (the tip lines of the branch's paid orders whose session is closed, so that the
    tips are on "Tips Payable") not paid out yet; one journal entry each, debiting
    Tips Payable and crediting the chosen cash or bank journal, reconciled with the
    sessions' Tips Payable items; each tip line keeps its payout (never paid twice)."""

    _name = "randevu.tip.payout.wizard"
    _description = "Pay Out Tips"

    company_id = fields.Many2one("res.company", string="Branch", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid From",
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', 'parent_of', company_id)]",
        help="The cash or bank journal the tips are paid from.",
    )
    line_ids = fields.One2many(
        "randevu.tip.payout.wizard.line",
        "wizard_id",
        string="Tips to Pay Out",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.model
    def _check_payout_rights(self):
        if not any(self.env.user.has_group(group) for group in PAYOUT_GROUPS):
            raise AccessError(self.env._("Only Randevu managers and accountants pay tips out."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_payout_rights()
        return super().create(vals_list)

    def _unpaid_tip_lines(self):
        """The tip lines of the branch, in the period (its local days), with a staff
        member, whose order is paid and session closed, not paid out yet."""
        self.ensure_one()
        start, stop = self.company_id._randevu_day_bounds(self.date_from, self.date_to)
        # sudo: an accountant may not read POS orders; only the branch's tip lines are read.
        return (
            self.env["pos.order.line"]
            .sudo()
            .search(
                [
                    ("randevu_is_tip", "=", True),
                    ("randevu_employee_id", "!=", False),
                    ("randevu_tip_payout_move_id", "=", False),
                    ("order_id.company_id", "=", self.company_id.id),
                    ("order_id.state", "in", ("paid", "done", "invoiced")),
                    ("order_id.session_id.state", "=", "closed"),
                    ("order_id.date_order", ">=", start),
                    ("order_id.date_order", "<", stop),
                ]
            )
        )

    def _unpaid_tips_per_staff(self):
        """{staff member: their unpaid tip lines (sudo)}."""
        per_staff = defaultdict(lambda: self.env["pos.order.line"].sudo())
        for line in self._unpaid_tip_lines():
            per_staff[line.randevu_employee_id.with_env(self.env)] |= line
        return per_staff

    @api.depends("company_id", "date_from", "date_to")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [fields.Command.clear()]
            if wizard.company_id and wizard.date_from and wizard.date_to and wizard.date_from <= wizard.date_to:
                commands += [
                    fields.Command.create(
                        {"employee_id": employee.id, "amount": sum(lines.mapped("price_subtotal_incl"))}
                    )
                    for employee, lines in sorted(
                        wizard._unpaid_tips_per_staff().items(), key=lambda item: item[0].sudo().name
                    )
                ]
            wizard.line_ids = commands

    def action_pay_out(self):
        """One posted entry per staff member listed: Tips Payable debited, the journal's
        account credited, reconciled with the sessions' Tips Payable items. Refused,
        with nothing written, if the tips changed since the payout was opened (paid out
        meanwhile, or new ones)."""
        self.ensure_one()
        self._check_payout_rights()
        if not self.journal_id:
            raise UserError(self.env._("Choose the cash or bank journal the tips are paid from."))
        payouts = self.line_ids.filtered(lambda line: line.amount > 0)
        if not payouts:
            raise UserError(self.env._("There are no tips to pay out for this branch and period."))
        tip_lines = self._unpaid_tip_lines()
        if tip_lines:
            # Two payouts at once: the second waits here, then (its snapshot refused and
            # the request retried) finds the tips paid.
            self.env.cr.execute("SELECT id FROM pos_order_line WHERE id IN %s FOR UPDATE", [tuple(tip_lines.ids)])
            tip_lines.invalidate_recordset(["randevu_tip_payout_move_id"])
        per_staff = self._unpaid_tips_per_staff()
        currency = self.company_id.currency_id
        for payout in payouts:
            lines = per_staff.get(payout.employee_id)
            if not lines or currency.compare_amounts(sum(lines.mapped("price_subtotal_incl")), payout.amount):
                raise UserError(
                    self.env._(
                        "The tips of %(staff)s were paid out or changed meanwhile: open the payout again.",
                        staff=payout.employee_id.sudo().name,  # sudo: HR fields of a public profile
                    )
                )
        moves = self.env["account.move"]
        for payout in payouts:
            moves |= payout._randevu_post(per_staff[payout.employee_id])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tips Paid Out"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }
