import threading

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

CALLS = 30
LIMITS = {"randevu_booking.attempts_per_ip": 10, "randevu_booking.attempts_per_phone": 5}


@tagged("post_install", "-at_install")
class TestBookingAttemptsConcurrent(CommittedCase):
    """Thirty booking attempts sent at the same moment, each on its own database
    connection (as thirty HTTP workers would): the per-IP and per-phone limits let
    exactly as many through as allowed. Without the lock, each transaction counts
    the attempts committed before its snapshot and misses the others in flight.

    The limits and the attempts are committed (other connections must see them) and
    removed afterwards."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            params = env["ir.config_parameter"]
            saved = {key: params.get_param(key) for key in LIMITS}
            for key, value in LIMITS.items():
                params.set_param(key, value)
        self.addCleanup(self._restore, saved)

    def _restore(self, saved):
        with self.committed_env() as env:
            for key, value in saved.items():
                env["ir.config_parameter"].set_param(key, value)
            env["randevu.booking.attempt"].search(
                ["|", ("ip_address", "like", f"test-{self.tag}-"), ("phone", "=", f"+{self.tag}")]
            ).unlink()

    def _at_once(self, calls):
        """The answers of _register_attempt(ip, phone) for each of `calls`, each on its
        own connection and thread, all released at the same moment."""
        barrier = threading.Barrier(len(calls))
        answers = [None] * len(calls)
        with self.committed_env() as env:
            # Only read for its registry, user and context: each call opens its own cursor.
            attempts = env["randevu.booking.attempt"]

            def attempt(index, ip_address, phone):
                barrier.wait(timeout=60)
                answers[index] = attempts._register_attempt(ip_address, phone)

            threads = [threading.Thread(target=attempt, args=(index, *call)) for index, call in enumerate(calls)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertNotIn(None, answers, "every attempt was answered")
        return answers

    def test_thirty_attempts_from_one_address(self):
        answers = self._at_once([(f"test-{self.tag}-ip", False)] * CALLS)
        self.assertEqual(answers.count(0), 10, f"the limit is 10 per address: {answers}")
        self.assertEqual(answers.count(60), CALLS - 10, "the others are told the window")
        with self.committed_env() as env:
            recorded = env["randevu.booking.attempt"].search_count([("ip_address", "=", f"test-{self.tag}-ip")])
        self.assertEqual(recorded, CALLS, "refused attempts count too")

    def test_thirty_attempts_with_one_phone(self):
        phone = f"+{self.tag}"
        answers = self._at_once([(f"test-{self.tag}-{index}", phone) for index in range(CALLS)])
        self.assertEqual(answers.count(0), 5, f"the limit is 5 per phone: {answers}")
