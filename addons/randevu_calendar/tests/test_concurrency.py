import threading
import time
from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger

from .committed import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentBooking(CommittedCase):
    """Two real database connections book the same slot at the same moment.

    Odoo runs at REPEATABLE READ: the second transaction cannot see the first
    one's uncommitted appointment, so it passes every Python check. The EXCLUDE
    constraint must still let exactly one through, and the other request gets a
    clear message. Fixtures are committed (other connections must see them) and
    removed afterwards.
    """

    def setUp(self):
        super().setUp()
        with self.committed_env({"tracking_disable": True}) as env:
            branch, employee, service = self.make_salon(
                env, "Race", "Europe/Istanbul", service_values={"randevu_duration": 1.0}
            )
            yoga = env["product.template"].create(
                {
                    "name": f"Race yoga {self.tag}",
                    "type": "service",
                    "is_appointment_service": True,
                    "randevu_duration": 1.0,
                    "randevu_capacity": 2,
                }
            )
            customers = env["res.partner"].create([{"name": f"Race customer {n} {self.tag}"} for n in range(3)])
            session = env["randevu.appointment"].create(
                {
                    "company_id": branch.id,
                    "service_id": yoga.id,
                    "employee_id": employee.id,
                    "start": datetime(2031, 1, 7, 7, 0),
                    "partner_id": customers[0].id,  # the first attendee: one seat of two left
                }
            )
            self.ids = {
                "branch": branch.id,
                "employee": employee.id,
                "service": service.id,
                "yoga": yoga.id,
                "session": session.id,
                "customers": customers.ids,
            }
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        """What the test made of the salon (make_salon removes the salon itself)."""
        with self.committed_env() as env:
            env["randevu.appointment"].search([("company_id", "=", self.ids["branch"])]).unlink()
            env["product.template"].browse(self.ids["yoga"]).unlink()
            env["res.partner"].browse(self.ids["customers"]).unlink()

    def _request(self, name, outcomes, work, started=None, hold_seconds=0.0):
        """One request doing `work(env)` on its own connection, retried on serialization
        failures as Odoo's HTTP layer does (odoo.service.model.retrying, which cannot be
        called here: its error path looks the registry up under the lock the test runner
        holds). `started` is set once the work is done but not committed yet."""
        with self.committed_env({"tracking_disable": True}) as env:
            cr = env.cr
            for _attempt in range(3):
                try:
                    result = work(env)
                    if started:
                        started.set()
                    time.sleep(hold_seconds)  # keep the transaction open while the other one runs
                    outcomes[name] = ("ok", result)
                    return  # leaving the cursor's block commits
                except ValidationError as error:
                    outcomes[name] = ("refused", str(error))
                    cr.rollback()
                    return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    cr.rollback()
                    env.transaction.clear()
                    outcomes[f"{name}_retries"] = outcomes.get(f"{name}_retries", 0) + 1

    def _race(self, first_work, second_work, log_guard):
        """Run `first_work`, and `second_work` while the first is not committed yet, inside
        `log_guard` (entered once, in this thread: logging context managers swap the
        logger's handlers for every thread)."""
        first_done = threading.Event()
        outcomes = {}
        first = threading.Thread(target=self._request, args=("first", outcomes, first_work, first_done, 1.5))
        second = threading.Thread(target=lambda: first_done.wait(30) and self._request("second", outcomes, second_work))
        with log_guard:
            first.start()
            second.start()
            first.join(60)
            second.join(60)
        return outcomes

    def test_two_connections_one_slot(self):
        start = datetime(2031, 1, 6, 7, 0)  # Monday 10:00 in Istanbul (UTC+3, no DST)

        def book(env):
            return (
                env["randevu.appointment"]
                .create(
                    {
                        "company_id": self.ids["branch"],
                        "service_id": self.ids["service"],
                        "employee_id": self.ids["employee"],
                        "start": start,
                    }
                )
                .id
            )

        # The refusal is expected and must not be logged as a server error (see
        # ExpectedOverlapFilter): nothing reaches odoo.sql_db's handlers at ERROR level.
        outcomes = self._race(book, book, self.assertNoLogs("odoo.sql_db", level="ERROR"))
        self.assertEqual(outcomes.get("first", ("missing",))[0], "ok", outcomes)
        self.assertEqual(outcomes.get("second", ("missing",))[0], "refused", outcomes)
        # The second request passed the Python checks (its snapshot predates the first
        # commit): the exclusion constraint refused it, and the user reads why.
        self.assertIn("This time was just taken", outcomes["second"][1])
        self.assertIn("10:00-11:00", outcomes["second"][1], "the conflict is named in the branch's local time")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM randevu_appointment WHERE company_id = %s AND service_id = %s",
                [self.ids["branch"], self.ids["service"]],
            )
            self.assertEqual(cr.fetchone()[0], 1)

    def test_two_connections_last_seat(self):
        """Two customers take the last seat of a class at the same moment: one gets it,
        the other lands on the waitlist, never three attendees for two seats."""

        def join(customer_index):
            def work(env):
                session = env["randevu.appointment"].browse(self.ids["session"])
                customer = env["res.partner"].browse(self.ids["customers"][customer_index])
                return session._add_attendee(customer).state

            return work

        # Odoo logs the serialization failure of every concurrent update it retries.
        outcomes = self._race(join(1), join(2), mute_logger("odoo.sql_db"))
        self.assertEqual(outcomes.get("first"), ("ok", "booked"), outcomes)
        self.assertEqual(outcomes.get("second"), ("ok", "waitlist"), outcomes)
        self.assertGreaterEqual(outcomes.get("second_retries", 0), 1, "the second waited on the row lock, then retried")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*) FROM randevu_attendee WHERE appointment_id = %s GROUP BY state",
                [self.ids["session"]],
            )
            self.assertEqual(dict(cr.fetchall()), {"booked": 2, "waitlist": 1})
