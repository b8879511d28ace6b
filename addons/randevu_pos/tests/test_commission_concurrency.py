from datetime import date

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentCommissionApproval(CommittedCase):
    """Two managers approving the same computed commission period at the same moment,
    each on their own connection, committing for real: the period's row lock makes
    them run one after the other, so one entry is posted and the second manager is
    told the period is not computed any more."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            branch, staff, _service = self.make_salon(env, "Commission race", "Europe/Paris")
            code = self.tag[:6].upper()
            accounts = (
                env["account.account"]
                .with_company(branch)
                .create(
                    [
                        {
                            "name": f"Commissions {self.tag}",
                            "code": f"E{code}",
                            "account_type": "expense",
                            "company_ids": branch.ids,
                        },
                        {
                            "name": f"Owed to staff {self.tag}",
                            "code": f"P{code}",
                            "account_type": "liability_payable",
                            "reconcile": True,
                            "company_ids": branch.ids,
                        },
                    ]
                )
            )
            journal = env["account.journal"].create(
                {"name": f"Commissions {self.tag}", "code": f"C{code[:4]}", "type": "general", "company_id": branch.id}
            )
            period = env["randevu.commission.period"].create(
                {
                    "company_id": branch.id,
                    "period_type": "month",
                    "date_from": date(2031, 1, 1),
                    "journal_id": journal.id,
                    "expense_account_id": accounts[0].id,
                    "payable_account_id": accounts[1].id,
                }
            )
            # As a computation leaves it: one staff member's total.
            env["randevu.commission.total"].create(
                {"period_id": period.id, "company_id": branch.id, "employee_id": staff.id, "amount": 100, "base": 1000}
            )
            period.state = "computed"
            managers = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    [
                        {
                            "name": f"Commission manager {index} {self.tag}",
                            "login": f"commission_manager_{index}_{self.tag}",
                            "company_id": branch.id,
                            "company_ids": [(6, 0, branch.ids)],
                            "groups_id": [(6, 0, [env.ref("randevu_calendar.group_randevu_manager").id])],
                        }
                        for index in range(2)
                    ]
                )
            )
            self.ids = {"period": period.id, "journal": journal.id, "accounts": accounts.ids, "managers": managers.ids}
        self.addCleanup(self._remove)

    def _remove(self):
        with self.committed_env() as env:
            moves = env["account.move"].search([("journal_id", "=", self.ids["journal"])])
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env.cr.execute("DELETE FROM randevu_commission_period WHERE id = %s", [self.ids["period"]])
            env["account.journal"].browse(self.ids["journal"]).unlink()
            env["account.account"].browse(self.ids["accounts"]).unlink()
            env["res.users"].browse(self.ids["managers"]).active = False

    def test_two_managers_approve_at_once(self):
        def snapshot(env, index):
            period = env["randevu.commission.period"].with_user(self.ids["managers"][index])
            period = period.browse(self.ids["period"])
            period.state  # noqa: B018 (the snapshot is taken here: both see it computed)
            return period.env

        def approve(env, index):
            env["randevu.commission.period"].browse(self.ids["period"]).action_approve()

        outcomes = self.run_at_once(snapshot, approve, done="approved")
        self.assertEqual(sorted(outcome[0] for outcome in outcomes.values()), ["approved", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertIn("is not computed", refused[1])
        with self.committed_env() as env:
            period = env["randevu.commission.period"].browse(self.ids["period"])
            moves = env["account.move"].search([("journal_id", "=", self.ids["journal"])])
            self.assertEqual((period.state, len(moves), period.move_id), ("approved", 1, moves))
            self.assertEqual(moves.state, "posted")
            self.assertEqual(sum(moves.line_ids.mapped("debit")), 100, "one entry of the 100 owed")
