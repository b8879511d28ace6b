from odoo import api, models
from odoo.fields import Command

# Code the "Deferred revenue (courses)" liability account is created near (a free one).
COURSE_ACCOUNT_CODE = "2195"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _randevu_demo_pos_tills(self, branch_ids):
        """Demo data only: a till in each of the branches `branch_ids` that has a chart of
        accounts (randevu_account's demo loads Odoo's generic one), in the branch's currency,
        taking cash, card (the branch's bank journal), the customer's account (pay later)
        and the deposits paid online (`randevu_deposit`). Odoo's own helper creates the
        first three as it does for a new shop. Idempotent.

        :return: the branches' demo tills
        """
        configs = self.env["pos.config"]
        for branch in self.browse(branch_ids).exists().filtered("chart_template"):
            Config = self.env["pos.config"].with_company(branch)
            name = self.env._("%(branch)s Front Desk", branch=branch.name)
            config = Config.search([("company_id", "=", branch.id), ("name", "=", name)], limit=1)
            if not config:
                journal, method_ids = Config._create_journal_and_payment_methods(
                    cash_journal_vals={"name": self.env._("Cash %(branch)s", branch=branch.name)}
                )
                Method = self.env["pos.payment.method"].with_company(branch)
                deposit = Method.search([("company_id", "=", branch.id), ("randevu_deposit", "=", True)], limit=1)
                if not deposit:
                    deposit = Method.create(
                        {
                            "name": self.env._("Deposit"),
                            "company_id": branch.id,
                            "split_transactions": True,
                            "randevu_deposit": True,
                            "sequence": 3,
                        }
                    )
                config = Config.create(
                    {
                        "name": name,
                        "company_id": branch.id,
                        "journal_id": journal.id,
                        "payment_method_ids": [Command.set([*method_ids, deposit.id])],
                    }
                )
            configs |= config
        configs._randevu_demo_salon_catalogue()
        return configs

    @api.model
    def _randevu_demo_pos_deposits(self, branch_ids):
        """Demo data only: the deposits that randevu_calendar's demo marks paid on today's
        appointments of the branches `branch_ids` are paid for real with the branch's demo
        provider (payment_demo), so that the till deducts them: a done transaction, its
        customer payment posted. Does nothing without payment_demo; idempotent (only
        appointments without a done transaction).

        :return: the transactions made
        """
        transactions = self.env["payment.transaction"]
        method = self.env.ref("payment_demo.payment_method_demo", raise_if_not_found=False)
        for branch in self.browse(branch_ids).exists():
            provider = self.env["payment.provider"].search(
                [("code", "=", "demo"), ("company_id", "=", branch.id), ("state", "=", "test")], limit=1
            )
            if not (provider and method):
                continue
            day_start, day_stop = branch._randevu_day_bounds(branch._randevu_local_today())
            appointments = self.env["randevu.appointment"].search(
                [
                    ("company_id", "=", branch.id),
                    ("start", ">=", day_start),
                    ("start", "<", day_stop),
                    ("payment_state", "=", "deposit"),
                    ("partner_id", "!=", False),
                ]
            )
            for appointment in appointments.filtered(
                lambda appt: not appt.randevu_transaction_ids.filtered(lambda tx: tx.state == "done")
            ):
                # Marked by the demo without a payment: paid now, as the customer would have.
                appointment.payment_state = "not_paid"
                transaction = transactions.create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": method.id,
                        "reference": transactions._compute_reference(provider.code, prefix=f"DEMO-{appointment.id}"),
                        "amount": appointment.randevu_deposit_amount,
                        "currency_id": appointment.currency_id.id,
                        "partner_id": appointment.partner_id.id,
                        "randevu_appointment_ids": [Command.set(appointment.ids)],
                    }
                )
                transaction._set_done()
                transaction._post_process()
                transactions |= transaction
        return transactions

    def _randevu_course_account(self):
        """The "Deferred revenue (courses)" liability account of this company's chart
        (the root company's: branches share it), created the first time; an empty
        recordset without a chart."""
        self.ensure_one()
        root = self.root_id
        if not root.chart_template:
            return self.env["account.account"]
        # sudo: the chart is the accountant's; this is the one account courses sold are
        # booked on, created once per chart.
        accounts_sudo = self.env["account.account"].sudo().with_company(root)
        account_sudo = accounts_sudo.search(
            [*accounts_sudo._check_company_domain(root), ("randevu_course_deferred", "=", True)], limit=1
        )
        if not account_sudo:
            account_sudo = accounts_sudo.create(
                {
                    "name": self.env._("Deferred revenue (courses)"),
                    "code": accounts_sudo._search_new_account_code(COURSE_ACCOUNT_CODE),
                    "account_type": "liability_current",
                    "company_ids": root.ids,
                    "randevu_course_deferred": True,
                }
            )
        return self.env["account.account"].browse(account_sudo.id)

    def _randevu_course_journal(self):
        """The miscellaneous journal recognising this branch's course sessions (its own
        or its parent's: branches share their parent's journals)."""
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()  # sudo: read by the booking's user, who is no accountant
        return Journal.search([*Journal._check_company_domain(self), ("type", "=", "general")], order="id", limit=1)
