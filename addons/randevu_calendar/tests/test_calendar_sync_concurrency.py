import threading
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.models.randevu_appointment import RandevuAppointment

from .committed import CommittedCase

# Monday 6 January 2031 in Istanbul (UTC+3): 10:00 then 11:00 local.
FIRST_START = datetime(2031, 1, 6, 7)
MOVED_START = datetime(2031, 1, 6, 8)


@tagged("post_install", "-at_install")
class TestCalendarSyncRace(CommittedCase):
    """The calendar cron and a receptionist's move on real, committed transactions: a
    move committed while the cron is writing the staff member's event is never lost
    (the cron's batch fails on the changed row and is written again from the new
    snapshot)."""

    def setUp(self):
        super().setUp()
        with self.committed_env({"tracking_disable": True, "randevu_no_notify": True}) as env:
            branch, staff, service = self.make_salon(
                env, "Sync", "Europe/Istanbul", hours=(9, 18), service_values={"randevu_duration": 0.5}
            )
            user = env["res.users"].create({"name": f"Sync stylist {self.tag}", "login": f"sync_{self.tag}"})
            staff.user_id = user
            customer = env["res.partner"].create({"name": f"Sync customer {self.tag}"})
            appointment = env["randevu.appointment"].create(
                {
                    "company_id": branch.id,
                    "service_id": service.id,
                    "employee_id": staff.id,
                    "start": FIRST_START,
                    "partner_id": customer.id,
                }
            )
            self.ids = {"appointment": appointment.id, "customer": customer.id, "user": user.id}
            # Other appointments waiting for the cron (the demo's) wait until the test ends:
            # the cron's runs here handle this test's appointment only.
            others = env["randevu.appointment"].search(
                [("calendar_sync_pending", "=", True), ("id", "!=", appointment.id)]
            )
            others.write({"calendar_sync_pending": False})
            self.ids["others"] = others.ids
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            appointment = env["randevu.appointment"].browse(self.ids["appointment"])
            appointment.calendar_event_id.unlink()
            appointment.unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()
            env["res.users"].browse(self.ids["user"]).active = False
            env["randevu.appointment"].browse(self.ids["others"]).write({"calendar_sync_pending": True})

    def sync(self, outcomes):
        with self.committed_env() as env:
            try:
                outcomes["handled"] = env["randevu.appointment"]._cron_sync_calendar_events(auto_commit=True)
            except Exception as error:  # reported to the test
                env.cr.rollback()
                outcomes["error"] = str(error)

    def test_a_move_during_the_sync_is_written_too(self):
        first_sync = {}
        self.sync(first_sync)  # the event exists: the next sync writes it, not the appointment
        self.assertEqual(first_sync, {"handled": 1})
        with self.committed_env() as env:
            env["randevu.appointment"].browse(self.ids["appointment"]).write({"start": FIRST_START.replace(hour=6)})

        written, moved = threading.Event(), threading.Event()
        starts = []
        original = RandevuAppointment._sync_calendar_events

        def write_then_wait(appointments):
            original(appointments)
            starts.append(appointments.calendar_event_id.start)
            if len(starts) == 1:
                written.set()
                moved.wait(20)

        outcomes = {}
        # The cron's first try fails on the changed row (logged by the cursor): expected.
        with patch.object(RandevuAppointment, "_sync_calendar_events", write_then_wait), mute_logger("odoo.sql_db"):
            cron = threading.Thread(target=self.sync, args=(outcomes,))
            cron.start()
            self.assertTrue(written.wait(20), "the cron wrote the event")
            with self.committed_env() as env:  # the receptionist's move, committed meanwhile
                env["randevu.appointment"].browse(self.ids["appointment"]).write({"start": MOVED_START})
            moved.set()
            cron.join(60)
        self.assertEqual(outcomes, {"handled": 1})
        self.assertEqual(starts, [datetime(2031, 1, 6, 6), MOVED_START], "written again from the new snapshot")
        with self.committed_env() as env:
            appointment = env["randevu.appointment"].browse(self.ids["appointment"])
            self.assertEqual(appointment.calendar_event_id.start, MOVED_START)
            self.assertFalse(appointment.calendar_sync_pending)
