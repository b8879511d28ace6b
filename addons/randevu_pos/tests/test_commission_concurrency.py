import random
import threading
import time
from datetime import date

from odoo.exceptions import UserError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger

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

    def _approve(self, index, barrier, outcomes):
        """One manager's Approve on their own connection: reads the period first (their
        snapshot), waits for the other, approves and commits a moment later; retried
        on serialization failures as Odoo's request loop does."""
        for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
            try:
                with self.committed_env() as env:
                    period = env["randevu.commission.period"].with_user(self.ids["managers"][index])
                    period = period.browse(self.ids["period"])
                    period.state  # noqa: B018 (the snapshot is taken here: both see it computed)
                    if not attempt:
                        barrier.wait(30)
                    period.action_approve()
                    env.flush_all()
                    time.sleep(0.3)  # the other runs into it before it commits
                outcomes[index] = ("approved", attempt)
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                time.sleep(random.uniform(0.0, 0.3))
            except UserError as error:
                outcomes[index] = ("refused", str(error))
                return
            except Exception as error:  # reported by the assertion, not lost in the thread
                outcomes[index] = ("error", repr(error))
                return
        outcomes[index] = ("gave up", None)

    def test_two_managers_approve_at_once(self):
        barrier = threading.Barrier(2)
        outcomes = {}
        threads = [threading.Thread(target=self._approve, args=(index, barrier, outcomes)) for index in range(2)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(90)
        self.assertEqual(sorted(outcome[0] for outcome in outcomes.values()), ["approved", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertIn("is not computed", refused[1])
        with self.committed_env() as env:
            period = env["randevu.commission.period"].browse(self.ids["period"])
            moves = env["account.move"].search([("journal_id", "=", self.ids["journal"])])
            self.assertEqual((period.state, len(moves), period.move_id), ("approved", 1, moves))
            self.assertEqual(moves.state, "posted")
            self.assertEqual(sum(moves.line_ids.mapped("debit")), 100, "one entry of the 100 owed")
