import threading
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

TEXT = "I agree to receive offers and news from the salon. I can withdraw at any time."


@tagged("post_install", "-at_install")
class TestAutomationConcurrency(CommittedCase):
    """Two automation crons running at once (two workers, a run triggered at the end of
    the quiet hours while the daily one runs): each lapsed client gets one message."""

    def test_two_crons_at_once_message_each_client_once(self):
        with self.committed_env() as env:
            branch, staff, service = self.make_salon(
                env,
                "Winback",
                "Europe/Istanbul",
                hours=(9, 18),
                branch_values={"randevu_quiet_start": 0, "randevu_quiet_end": 0},
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Lapsed {index} {self.tag}", "email": f"lapsed{index}.{self.tag}@example.com"}
                    for index in range(3)
                ]
            )
            partners.randevu_client = True
            today = fields.Date.today()
            # A Monday ten weeks ago, 10:00 in Istanbul (UTC+3).
            start = datetime.combine(today - timedelta(weeks=10, days=today.weekday()), time(7, 0))
            appointments = env["randevu.appointment"].create(
                [
                    {
                        "company_id": branch.id,
                        "service_id": service.id,
                        "employee_id": staff.id,
                        "partner_id": partner.id,
                        "start": start + timedelta(hours=index),
                    }
                    for index, partner in enumerate(partners)
                ]
            )
            env.flush_all()
            # Visits of ten weeks ago, completed (fixture: the state as it was written then).
            env.cr.execute("UPDATE randevu_appointment SET state = 'done' WHERE id = ANY(%s)", [appointments.ids])
            for partner in partners:
                env["randevu.consent"]._randevu_record(partner, "email", "granted", "till", TEXT)
            automation = env["randevu.marketing.automation"].create(
                {"name": f"Win-back {self.tag}", "company_id": branch.id, "kind": "win_back", "weeks": 8}
            )
            partner_ids, automation_id, mailing_id = partners.ids, automation.id, automation.mailing_id.id
            appointment_ids = appointments.ids
        self.addCleanup(self._remove, partner_ids, appointment_ids, automation_id, mailing_id)

        def snapshot(env, index):
            # Both look first: neither sees a send of the other yet.
            env["randevu.marketing.automation.send"].search_count([("automation_id", "=", automation_id)])

        def act(env, index):
            # The cron as a worker runs it, but committed by run_at_once (and the mass
            # mailing composer told it runs in a test: it would commit otherwise).
            threading.current_thread().testing = True
            env["randevu.marketing.automation"].browse(automation_id)._randevu_run(auto_commit=False)

        outcomes = self.run_at_once(snapshot, act)
        self.assertEqual({outcome[0] for outcome in outcomes.values()}, {"ok"}, outcomes)
        self.assertEqual(sorted(outcome[1] for outcome in outcomes.values()), [0, 1], "the second was retried")
        with self.committed_env() as env:
            sends = env["randevu.marketing.automation.send"].search([("automation_id", "=", automation_id)])
            self.assertEqual(sorted(sends.partner_id.ids), sorted(partner_ids), "one send each")
            self.assertEqual(set(sends.mapped("state")), {"sent"})
            traces = env["mailing.trace"].search([("mass_mailing_id", "=", mailing_id)])
            self.assertEqual(sorted(traces.mapped("res_id")), sorted(partner_ids), "one message each")

    def _remove(self, partner_ids, appointment_ids, automation_id, mailing_id):
        with self.committed_env() as env:
            env["mail.mail"].search([("mailing_id", "=", mailing_id)]).unlink()
            env["mailing.trace"].search([("mass_mailing_id", "=", mailing_id)]).unlink()
            env["randevu.marketing.automation"].browse(automation_id).unlink()
            env["mailing.mailing"].browse(mailing_id).unlink()
            env["randevu.appointment"].browse(appointment_ids).unlink()
            # Their consent history is append-only (a trigger refuses DELETE): the customers
            # are archived, out of every client list and segment.
            env["res.partner"].browse(partner_ids).write({"active": False})
