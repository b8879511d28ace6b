import threading
import time
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_booking.models.randevu_waitlist import RandevuWaitlist
from odoo.addons.randevu_calendar.tests.committed import CommittedCase

DAYS = 3  # units of the cron: one per branch and day
ENTRIES_PER_DAY = 2


@tagged("post_install", "-at_install")
class TestWaitlistCronConcurrency(CommittedCase):
    """The waitlist cron (`_cron_offer_freed`) on real, committed transactions: a
    worker commits each unit (branch and day) as it goes, so a second worker started
    meanwhile finds the rows of the units still to do unlocked and takes them too.
    Each waiting entry is offered once, with one held appointment, and every freed
    row ends done, whichever worker made the offers.

    Fixtures are committed (the other connection must see them) and removed
    afterwards (randevu_calendar's CommittedCase).
    """

    def setUp(self):
        super().setUp()
        tag = self.tag
        tz = pytz.timezone("Europe/Paris")
        today = datetime.now(tz).date()
        days = [
            today + timedelta(days=offset) for offset in range(3, 30) if (today + timedelta(days=offset)).weekday() < 6
        ]
        days = days[:DAYS]
        with self.committed_env({"tracking_disable": True}) as env:
            branch, staff, service = self.make_salon(
                env,
                "Waitlist",
                "Europe/Paris",
                hours=(9, 18),
                branch_values={"randevu_online_booking": True, "randevu_quiet_start": 0, "randevu_quiet_end": 0},
                service_values={"randevu_duration": 0.5, "list_price": 40, "staff_lines": True},
            )
            customers = env["res.partner"].create(
                [
                    {"name": f"Waiting {n} {tag}", "email": f"wait{n}.{tag}@example.com", "phone": f"+336123457{n:02d}"}
                    for n in range(DAYS * ENTRIES_PER_DAY)
                ]
            )
            entries = env["randevu.waitlist"].create(
                [
                    {
                        "company_id": branch.id,
                        "service_id": service.id,
                        "employee_id": staff.id,
                        "partner_id": customers[n].id,
                        "day": days[n // ENTRIES_PER_DAY],
                    }
                    for n in range(DAYS * ENTRIES_PER_DAY)
                ]
            )
            freed = env["randevu.waitlist.freed"].create(
                [
                    {
                        "company_id": branch.id,
                        "day": day,
                        "start": tz.localize(datetime.combine(day, datetime.min.time()).replace(hour=10))
                        .astimezone(pytz.utc)
                        .replace(tzinfo=None),
                        "next_try": datetime(2000, 1, 1),
                    }
                    for day in days
                ]
            )
            self.ids = {"branch": branch.id, "customers": customers.ids, "entries": entries.ids, "freed": freed.ids}
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        """What the test made of the salon (make_salon removes the salon itself)."""
        with self.committed_env({"randevu_no_notify": True}) as env:
            appointments = env["randevu.appointment"].search([("company_id", "=", self.ids["branch"])])
            domain = [("model", "=", "randevu.appointment"), ("res_id", "in", appointments.ids)]
            env["mail.mail"].search(domain).unlink()
            env["mail.message"].search(domain).unlink()
            env["randevu.waitlist.freed"].browse(self.ids["freed"]).unlink()
            env["randevu.waitlist"].browse(self.ids["entries"]).unlink()
            env["randevu.message"].search([("company_id", "=", self.ids["branch"])]).unlink()
            env.cr.execute("DELETE FROM randevu_appointment WHERE company_id = %s", [self.ids["branch"]])
            env.invalidate_all()
            env["randevu.visit"].search([("company_id", "=", self.ids["branch"])]).unlink()
            env["res.partner"].browse(self.ids["customers"]).unlink()

    def _worker(self, outcomes, name, wait=None):
        if wait:
            wait.wait(30)
        with self.committed_env() as env:
            try:
                outcomes[name] = ("ok", env["randevu.waitlist.freed"]._cron_offer_freed(auto_commit=True))
            except Exception as error:  # reported to the test
                env.cr.rollback()
                outcomes[name] = ("died", str(error))

    def _state(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT w.id, w.state, count(a.id)
                  FROM randevu_waitlist w
                  LEFT JOIN randevu_appointment a ON a.randevu_waitlist_id = w.id
                 WHERE w.id = ANY(%s)
                 GROUP BY w.id, w.state
                """,
                [self.ids["entries"]],
            )
            entries = {entry: (state, held) for entry, state, held in cr.fetchall()}
            cr.execute(
                """
                SELECT a.randevu_waitlist_id, count(*) FROM randevu_message m
                  JOIN randevu_appointment a ON a.id = m.appointment_id
                 WHERE a.company_id = %s AND m.kind = 'waitlist_offer' AND m.channel = 'email'
                 GROUP BY a.randevu_waitlist_id
                """,
                [self.ids["branch"]],
            )
            offers = dict(cr.fetchall())
            cr.execute(
                "SELECT state, count(*) FROM randevu_waitlist_freed WHERE id = ANY(%s) GROUP BY state",
                [self.ids["freed"]],
            )
            return entries, offers, dict(cr.fetchall())

    def test_second_worker_joins_mid_run(self):
        original = RandevuWaitlist._randevu_offer_freed
        started = []
        second_unit = threading.Event()

        def slow(waitlist, freed):
            started.append(threading.current_thread().name)
            if started.count("first") == 2:
                second_unit.set()  # the first unit is committed: its lock on the other rows is gone
            time.sleep(0.6)  # a unit takes a while: the second worker runs meanwhile
            return original(waitlist, freed)

        outcomes = {}
        threads = [
            threading.Thread(target=self._worker, args=(outcomes, "first"), name="first"),
            threading.Thread(target=self._worker, args=(outcomes, "second", second_unit), name="second"),
        ]
        # Serialization failures of the loser are logged by odoo.sql_db before being retried.
        with patch.object(RandevuWaitlist, "_randevu_offer_freed", slow), mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertEqual(outcomes["first"][0], "ok", outcomes)
        self.assertEqual(outcomes["second"][0], "ok", outcomes)
        self.assertIn("second", started, "the second worker took units the first had not reached")
        entries, offers, freed = self._state()
        self.assertEqual(entries, dict.fromkeys(self.ids["entries"], ("offered", 1)), "each entry offered once")
        self.assertEqual(offers, dict.fromkeys(self.ids["entries"], 1), "one offer email per entry")
        self.assertEqual(freed, {"done": DAYS}, "every freed row handled")
