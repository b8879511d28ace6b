import threading
import time
from datetime import date, datetime

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestCourseConcurrency(CommittedCase):
    """Two real connections book the last session of a customer's course at the same
    moment (committed transactions, REPEATABLE READ as Odoo runs): one booking uses
    it, the other is booked at the service's price; never more sessions than sold."""

    def setUp(self):
        super().setUp()
        with self.committed_env({"tracking_disable": True}) as env:
            branch, staff, service = self.make_salon(
                env, "Course", "Europe/Istanbul", service_values={"randevu_duration": 1.0, "list_price": 50}
            )
            customer = env["res.partner"].create({"name": f"Course customer {self.tag}"})
            course = env["randevu.course"].create(
                {
                    "partner_id": customer.id,
                    "company_id": branch.id,
                    "product_id": service.id,
                    "service_id": service.id,
                    "sale_date": date(2031, 1, 1),
                    "expiry_date": date(2031, 12, 31),
                    "sessions_total": 1,
                    "amount_total": 40,
                }
            )
            self.ids = {
                "branch": branch.id,
                "employee": staff.id,
                "service": service.id,
                "customer": customer.id,
                "course": course.id,
            }
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            env["randevu.appointment"].search([("company_id", "=", self.ids["branch"])]).unlink()
            env["randevu.course"].browse(self.ids["course"]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()

    def _request(self, name, outcomes, work, started=None, hold_seconds=0.0):
        """`work(env)` on a connection of its own, retried on serialization failures as
        Odoo's request loop does; `started` is set once done but not committed yet."""
        with self.committed_env({"tracking_disable": True}) as env:
            for _attempt in range(3):
                try:
                    result = work(env)
                    if started:
                        started.set()
                    time.sleep(hold_seconds)  # the other request runs into the lock meanwhile
                    outcomes[name] = ("ok", result)
                    return  # leaving the block commits
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    env.cr.rollback()
                    env.transaction.clear()
                    outcomes[f"{name}_retries"] = outcomes.get(f"{name}_retries", 0) + 1
                except Exception as error:  # reported by the assertions, not lost in the thread
                    outcomes[name] = ("error", repr(error))
                    return

    def book(self, start):
        def work(env):
            appointment = env["randevu.appointment"].create(
                {
                    "company_id": self.ids["branch"],
                    "service_id": self.ids["service"],
                    "employee_id": self.ids["employee"],
                    "partner_id": self.ids["customer"],
                    "start": start,
                    "hours_override": True,
                }
            )
            return appointment.id

        return work

    def test_two_connections_last_session(self):
        first_done = threading.Event()
        outcomes = {}
        first = threading.Thread(
            target=self._request, args=("first", outcomes, self.book(datetime(2031, 1, 6, 7)), first_done, 1.5)
        )
        second = threading.Thread(
            target=lambda: first_done.wait(30) and self._request("second", outcomes, self.book(datetime(2031, 1, 6, 9)))
        )
        with mute_logger("odoo.sql_db"):
            first.start()
            second.start()
            first.join(60)
            second.join(60)
        self.assertEqual(outcomes.get("first", ("missing",))[0], "ok", outcomes)
        self.assertEqual(outcomes.get("second", ("missing",))[0], "ok", outcomes)
        self.assertTrue(outcomes.get("second_retries"), "the second waited for the course's lock, then ran again")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, randevu_course_id, price FROM randevu_appointment WHERE company_id = %s ORDER BY id",
                [self.ids["branch"]],
            )
            rows = cr.fetchall()
            cr.execute("SELECT sessions_used, sessions_left FROM randevu_course WHERE id = %s", [self.ids["course"]])
            course_row = cr.fetchone()
        self.assertEqual(len(rows), 2)
        self.assertEqual([row[1] for row in rows], [self.ids["course"], None], "one session, used once")
        self.assertEqual([float(row[2]) for row in rows], [0.0, 50.0])
        self.assertEqual(course_row, (1, 0))
