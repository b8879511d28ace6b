import random
import threading
import time
import uuid

from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger

from .committed import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentCustomers(CommittedCase):
    """Simultaneous first bookings by one phone, each request on its own database
    connection, committing for real (see test_concurrency.TestConcurrentBooking).

    Every request takes its REPEATABLE READ snapshot before any of them looks the
    customer up (as a booking request does: session, rate limit, form checks come
    first), so none of them can see a customer another one commits meanwhile; a lock
    taken before the search only makes them wait. One person must still end up as
    one customer, and two people sharing the phone as two.
    """

    THREADS = 10

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().int
        # A French mobile no other run uses: +33 6 12... is always a valid number (not every
        # +33 6 range is allocated: a random one was sometimes refused).
        self.phone = f"+33612{tag % 10**6:06d}"
        self.email = f"race.{tag % 10**12}@example.com"
        self.addCleanup(self._remove_customers)

    def _remove_customers(self):
        with self.committed_env() as env:
            env["res.partner"].with_context(active_test=False).search(
                ["|", ("phone_sanitized", "=", self.phone), ("email_normalized", "=", self.email)]
            ).unlink()
            Key = env["randevu.customer.key"]
            hashes = [Key._hash(f"phone:{self.phone}"), Key._hash(f"email:{self.email}")]
            env.cr.execute("DELETE FROM randevu_customer_key WHERE key = ANY(%s)", [hashes])

    def _request(self, index, barrier, outcomes, work):
        """One request on its own connection: it reads first (its snapshot), waits for
        the others, then does `work(env)` and commits a moment later (leaving the
        cursor's block); retried on serialization failures as Odoo's request loop
        (odoo.service.model.retrying) does, on a new transaction and snapshot."""
        for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
            try:
                with self.committed_env({"tracking_disable": True}) as env:
                    env["res.partner"].search_count([])  # the snapshot is taken here
                    if not attempt:
                        barrier.wait(30)
                    partner_id = work(env).id
                    env.flush_all()
                    time.sleep(0.3)  # the others run into it before it commits
                outcomes[index] = ("ok", partner_id, attempt)
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                time.sleep(random.uniform(0.0, 0.3))
            except Exception as error:  # reported by _race's assertion, not lost in the thread
                outcomes[index] = ("error", repr(error), attempt)
                return
        outcomes[index] = ("gave up", None, MAX_TRIES_ON_CONCURRENCY_FAILURE)

    def _race(self, works):
        barrier = threading.Barrier(len(works))
        outcomes = {}
        threads = [
            threading.Thread(target=self._request, args=(index, barrier, outcomes, work))
            for index, work in enumerate(works)
        ]
        # Each retried serialization failure is logged by odoo.sql_db (entered here, once:
        # logging context managers swap the handlers for every thread).
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(90)
        self.assertEqual(sorted(outcomes), list(range(len(works))), outcomes)
        self.assertEqual({outcome[0] for outcome in outcomes.values()}, {"ok"}, outcomes)
        return outcomes

    def _customers(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT name FROM res_partner WHERE phone_sanitized = %s OR email_normalized = %s ORDER BY name",
                [self.phone, self.email],
            )
            return [row[0] for row in cr.fetchall()]

    def find_or_create(self, name, email=None):
        def work(env):
            return env["res.partner"]._randevu_find_or_create(name, self.phone, email)

        return work

    def test_one_person_many_first_bookings(self):
        outcomes = self._race([self.find_or_create("Deniz Yılmaz", self.email)] * self.THREADS)  # noqa: RUF001
        self.assertEqual(len({partner_id for _ok, partner_id, _tries in outcomes.values()}), 1, outcomes)
        self.assertEqual(self._customers(), ["Deniz Yılmaz"])  # noqa: RUF001
        retried = [index for index, (_ok, _id, attempt) in outcomes.items() if attempt]
        self.assertTrue(retried, "the requests that could not see the new customer ran again")

    def test_two_people_sharing_a_phone(self):
        works = [self.find_or_create("Zeynep Kaya"), self.find_or_create("Aylin Kaya")] * (self.THREADS // 2)
        outcomes = self._race(works)
        self.assertEqual(self._customers(), ["Aylin Kaya", "Zeynep Kaya"])
        by_name = {}
        for index, (_ok, partner_id, _attempt) in outcomes.items():
            by_name.setdefault(index % 2, set()).add(partner_id)
        self.assertEqual([len(ids) for ids in by_name.values()], [1, 1], outcomes)
        self.assertNotEqual(by_name[0], by_name[1])
