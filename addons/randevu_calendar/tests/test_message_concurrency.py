import threading
import time
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.models.randevu_message import RandevuMessage

from .committed import CommittedCase

# Tuesday 7 January 2031, local hours in Istanbul (UTC+3, no DST): 08:00-11:00 and 13:00.
STARTS = [datetime(2031, 1, 7, hour, 0) for hour in (5, 6, 7, 8, 10)]
NOW = datetime(2031, 1, 6, 12, 0)  # every 24 h email reminder is due, no 2 h SMS yet


@tagged("post_install", "-at_install")
class TestReminderCronConcurrency(CommittedCase):
    """The reminder cron on real, committed transactions: two workers at once, and a
    worker killed mid-run then started again. Each (appointment, rule) is sent once.

    Fixtures are committed (other connections must see them) and removed afterwards
    (CommittedCase).
    """

    def setUp(self):
        super().setUp()
        tag = self.tag
        with self.committed_env({"tracking_disable": True, "randevu_no_notify": True}) as env:
            branch, staff, service = self.make_salon(
                env,
                "Cron",
                "Europe/Istanbul",
                staff_count=4,
                branch_values={"email": "kadikoy@salon.example"},
                service_values={"randevu_duration": 0.5},
            )
            customers = env["res.partner"].create(
                [{"name": f"Cron customer {n} {tag}", "email": f"cron{n}.{tag}@example.com"} for n in range(20)]
            )
            appointments = env["randevu.appointment"].create(
                [
                    {
                        "company_id": branch.id,
                        "service_id": service.id,
                        "employee_id": staff[n % 4].id,
                        "start": STARTS[n // 4],
                        "partner_id": customers[n].id,
                        "start_set_date": datetime(2031, 1, 1),
                    }
                    for n in range(20)
                ]
            )
            self.ids = {"branch": branch.id, "customers": customers.ids, "appointments": appointments.ids}
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        """What the test made of the salon (make_salon removes the salon itself)."""
        with self.committed_env() as env:
            domain = [("model", "=", "randevu.appointment"), ("res_id", "in", self.ids["appointments"])]
            env["mail.mail"].sudo().search(domain).unlink()
            env["mail.message"].sudo().search(domain).unlink()
            env["randevu.appointment"].browse(self.ids["appointments"]).unlink()
            env["res.partner"].browse(self.ids["customers"]).unlink()

    def _worker(self, outcomes, name, start=None, cron="_cron_send_reminders", **kwargs):
        """One cron worker on its own connection, committing per batch like ir.cron does."""
        if start:
            start.wait(10)
        with self.committed_env() as env:
            try:
                outcomes[name] = (
                    "ok",
                    getattr(env["randevu.message"], cron)(now=NOW, auto_commit=True, **kwargs),
                )
            except Exception as error:  # reported to the test
                env.cr.rollback()
                outcomes[name] = ("died", str(error))

    def _slow_batches(self):
        """Each batch is kept open a while before it is marked sent: the other worker
        runs meanwhile."""
        original = RandevuMessage._randevu_mark_sent

        def slow(messages, logged, now):
            time.sleep(0.2)
            return original(messages, logged, now)

        return patch.object(RandevuMessage, "_randevu_mark_sent", slow)

    def _killed_at_batch(self, batch):
        """The worker dies ("worker killed") as it marks its `batch`-th batch sent."""
        original = RandevuMessage._randevu_mark_sent
        calls = []

        def dying(messages, logged, now):
            calls.append(len(messages))
            if len(calls) == batch:
                raise RuntimeError("worker killed")
            return original(messages, logged, now)

        return patch.object(RandevuMessage, "_randevu_mark_sent", dying)

    def _run(self, *workers):
        outcomes = {}
        start = threading.Event()
        threads = [
            threading.Thread(target=self._worker, args=(outcomes, name), kwargs=dict(kwargs, start=start))
            for name, kwargs in workers
        ]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join(120)
        return outcomes

    def _sent(self):
        """(reminder rows, queued reminder emails) per appointment, from the database."""
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT appointment_id, count(*) FROM randevu_message
                 WHERE appointment_id = ANY(%s) AND kind = 'reminder' AND state = 'sent'
                 GROUP BY appointment_id
                """,
                [self.ids["appointments"]],
            )
            rows = dict(cr.fetchall())
            cr.execute(
                """
                SELECT m.res_id, count(*) FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
                 WHERE m.model = 'randevu.appointment' AND m.res_id = ANY(%s) AND m.subject ILIKE '%%reminder%%'
                 GROUP BY m.res_id
                """,
                [self.ids["appointments"]],
            )
            return rows, dict(cr.fetchall())

    def test_two_workers_at_once(self):
        # Serialization failures of the loser are logged by odoo.sql_db before being retried.
        with self._slow_batches(), mute_logger("odoo.sql_db"):
            outcomes = self._run(("first", {"batch_size": 3}), ("second", {"batch_size": 3}))
        self.assertEqual(outcomes["first"][0], "ok", outcomes)
        self.assertEqual(outcomes["second"][0], "ok", outcomes)
        # Both worked; their counts may add up to more than 20: a message one worker wrote
        # and could not hand over at once (a lost race) is queued again and may be sent by
        # the other, which counts it too. What must hold is below: one row and one email each.
        self.assertTrue(outcomes["first"][1] and outcomes["second"][1], f"the reminders were shared out: {outcomes}")
        self.assertGreaterEqual(outcomes["first"][1] + outcomes["second"][1], 20, outcomes)
        rows, mails = self._sent()
        expected = dict.fromkeys(self.ids["appointments"], 1)
        self.assertEqual(rows, expected, "one reminder row per appointment")
        self.assertEqual(mails, expected, "one reminder email per appointment")

    def test_worker_killed_mid_run_then_run_again(self):
        with self._killed_at_batch(3):
            outcomes = self._run(("killed", {"batch_size": 4}))
        self.assertEqual(outcomes["killed"], ("died", "worker killed"))
        rows, mails = self._sent()
        self.assertEqual(sum(rows.values()), 8, "two batches committed, the third rolled back")
        self.assertEqual(sum(mails.values()), 8)

        outcomes = self._run(("again", {"batch_size": 4}))
        self.assertEqual(outcomes["again"], ("ok", 12), "only what the killed run left")
        rows, mails = self._sent()
        expected = dict.fromkeys(self.ids["appointments"], 1)
        self.assertEqual(rows, expected)
        self.assertEqual(mails, expected)


@tagged("post_install", "-at_install")
class TestOutboxWorkerConcurrency(TestReminderCronConcurrency):
    """The outbox worker (`_cron_send_queued`) on real, committed transactions: two
    workers at once (a booking's trigger and the reminder cron's own pass, or two
    cron threads) send each queued confirmation once."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            env["randevu.appointment"].browse(self.ids["appointments"])._randevu_send_confirmations()

    def _confirmations(self):
        """{appointment: (sent confirmation rows, emails)} from the database."""
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT m.appointment_id, count(DISTINCT m.id), count(DISTINCT mm.id)
                  FROM randevu_message m
                  LEFT JOIN mail_mail mm ON mm.mail_message_id = m.mail_message_id
                 WHERE m.appointment_id = ANY(%s) AND m.kind = 'confirmation' AND m.state = 'sent'
                 GROUP BY m.appointment_id
                """,
                [self.ids["appointments"]],
            )
            return {appointment: (rows, mails) for appointment, rows, mails in cr.fetchall()}

    def test_two_workers_at_once(self):
        with self._slow_batches(), mute_logger("odoo.sql_db"):
            outcomes = self._run(
                ("first", {"cron": "_cron_send_queued", "batch_size": 3}),
                ("second", {"cron": "_cron_send_queued", "batch_size": 3}),
            )
        self.assertEqual(outcomes["first"][0], "ok", outcomes)
        self.assertEqual(outcomes["second"][0], "ok", outcomes)
        self.assertEqual(outcomes["first"][1] + outcomes["second"][1], 20, "the confirmations were shared out")
        self.assertTrue(outcomes["first"][1] and outcomes["second"][1], f"both workers sent some: {outcomes}")
        self.assertEqual(self._confirmations(), dict.fromkeys(self.ids["appointments"], (1, 1)))

    def test_worker_killed_mid_run_then_run_again(self):
        with self._killed_at_batch(2):
            outcomes = self._run(("killed", {"cron": "_cron_send_queued", "batch_size": 8}))
        self.assertEqual(outcomes["killed"], ("died", "worker killed"))
        self.assertEqual(sum(rows for rows, _mails in self._confirmations().values()), 8, "one batch committed")
        outcomes = self._run(("again", {"cron": "_cron_send_queued", "batch_size": 8}))
        self.assertEqual(outcomes["again"], ("ok", 12), "only what the killed run left")
        self.assertEqual(self._confirmations(), dict.fromkeys(self.ids["appointments"], (1, 1)))
