import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.api import Transaction
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

CALLS = 30
LIMITS = {"randevu_booking.attempts_per_ip": 10, "randevu_booking.attempts_per_phone": 5}


@tagged("post_install", "-at_install")
class TestBookingAttemptsConcurrent(BaseCase):
    """Thirty booking attempts sent at the same moment, each on its own database
    connection (as thirty HTTP workers would): the per-IP and per-phone limits let
    exactly as many through as allowed. Without the lock, each transaction counts
    the attempts committed before its snapshot and misses the others in flight.

    The limits and the attempts are committed (other connections must see them) and
    removed afterwards."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.tag = uuid.uuid4().hex[:8]  # this run's addresses and phone: nothing collides
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"]
            saved = {key: params.get_param(key) for key in LIMITS}
            for key, value in LIMITS.items():
                params.set_param(key, value)
        self.addCleanup(self._restore, saved)

    def _cursor(self):
        cr = self.registry.cursor()
        # The test runner holds the registry lock that Environment() would wait for
        # when looking the registry up by name: hand it over.
        cr.transaction = Transaction(self.registry)
        return cr

    def _restore(self, saved):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
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
        with self._cursor() as cr:
            # Only read for its registry, user and context: each call opens its own cursor.
            attempts = api.Environment(cr, SUPERUSER_ID, {})["randevu.booking.attempt"]

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
        with self._cursor() as cr:
            recorded = api.Environment(cr, SUPERUSER_ID, {})["randevu.booking.attempt"].search_count(
                [("ip_address", "=", f"test-{self.tag}-ip")]
            )
        self.assertEqual(recorded, CALLS, "refused attempts count too")

    def test_thirty_attempts_with_one_phone(self):
        phone = f"+{self.tag}"
        answers = self._at_once([(f"test-{self.tag}-{index}", phone) for index in range(CALLS)])
        self.assertEqual(answers.count(0), 5, f"the limit is 5 per phone: {answers}")
