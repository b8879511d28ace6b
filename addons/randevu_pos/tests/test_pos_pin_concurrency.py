import threading

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

from ..models.randevu_pos_pin_attempt import PIN_FAILURES_ALLOWED


@tagged("post_install", "-at_install")
class TestConcurrentPinAttempts(CommittedCase):
    """Eight wrong PINs typed for refunds by one cashier at the same moment, each
    request on its own connection, committing for real: at most five are checked, the
    others refused as too many, and five failures are recorded."""

    THREADS = 8

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": f"PIN cashier {self.tag}",
                        "login": f"pin_cashier_{self.tag}",
                        "groups_id": [(6, 0, [env.ref("point_of_sale.group_pos_user").id])],
                    }
                )
            )
            self.user_id = user.id
        self.addCleanup(self._remove)

    def _remove(self):
        with self.committed_env() as env:
            env.cr.execute("DELETE FROM randevu_pos_pin_attempt WHERE user_ref = %s", [self.user_id])
            env["res.users"].browse(self.user_id).active = False

    def _check(self, index, barrier, outcomes):
        try:
            with self.committed_env() as env:
                env = env(user=self.user_id)
                barrier.wait(30)
                # No till: the PIN is nobody's anyway (the attempt is what is counted).
                env["pos.order"]._randevu_refund_approver(env["pos.config"], "other", f"{index:04d}9")
        except UserError as error:
            outcomes[index] = str(error)
        except Exception as error:  # reported by the assertion, not lost in the thread
            outcomes[index] = repr(error)
        else:
            outcomes[index] = "approved"

    def test_at_most_five_wrong_pins(self):
        barrier = threading.Barrier(self.THREADS)
        outcomes = {}
        threads = [
            threading.Thread(target=self._check, args=(index, barrier, outcomes)) for index in range(self.THREADS)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(90)
        self.assertEqual(len(outcomes), self.THREADS, outcomes)
        checked = [message for message in outcomes.values() if "not a POS manager" in message]
        refused = [message for message in outcomes.values() if "Too many wrong PINs" in message]
        self.assertEqual(
            (len(checked), len(refused)), (PIN_FAILURES_ALLOWED, self.THREADS - PIN_FAILURES_ALLOWED), outcomes
        )
        with self.committed_env() as env:
            env.cr.execute("SELECT count(*) FROM randevu_pos_pin_attempt WHERE user_ref = %s", [self.user_id])
            self.assertEqual(env.cr.fetchone()[0], PIN_FAILURES_ALLOWED)
