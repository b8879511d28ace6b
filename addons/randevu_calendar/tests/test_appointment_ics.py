# ruff: noqa: RUF001 (Turkish names: the dotless i is part of what is tested)
from datetime import datetime

import pytz
import vobject
from freezegun import freeze_time

from odoo.tests import tagged

from .common import RandevuCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestAppointmentIcs(RandevuCase):
    """The .ics of appointments (mail attachment and portal download): RFC 5545 text
    escaping, folding of long lines without splitting a character, UTC times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, randevu_no_notify=True))
        cls.branch.write(
            {"street": "1, rue de Rivoli; bât. B", "zip": "75001", "city": "Paris", "phone": "+33 1 23 45 67 89"}
        )
        cls.anna.name = "Ayşe Yılmaz"
        # Long enough to be folded, with every character TEXT escapes and multi-byte ones.
        cls.haircut.name = 'Saç kesimi; yıkama, fön \\ bakım — "özel" uzun açıklamalı hizmet adı'

    def parse(self, raw):
        """The iCalendar object of `raw`, after checking its physical lines."""
        text = raw.decode()
        self.assertTrue(text.endswith("\r\n"))
        for line in text.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, f"not folded: {line!r}")
        return vobject.readOne(text)

    def unfolded(self, raw, name):
        """The content line `name` of `raw`, unfolded but not unescaped."""
        lines = raw.decode().replace("\r\n ", "").split("\r\n")
        return next(line for line in lines if line.startswith(f"{name}:"))

    def test_fields_and_escaping_round_trip(self):
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            appointment._randevu_ensure_access_tokens()
            raw = appointment._randevu_ics()
        self.assertIn(b"\r\n ", raw, "long lines are folded")
        calendar = self.parse(raw)
        self.assertEqual(calendar.version.value, "2.0")
        self.assertEqual(calendar.method.value, "PUBLISH")
        self.assertEqual(calendar.prodid.value, "-//Randevu//Appointments//EN")
        [event] = calendar.vevent_list
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")[:8]
        self.assertEqual(event.uid.value, f"randevu-{appointment.id}-{db_uuid}@randevu")
        self.assertEqual(event.dtstamp.value, pytz.utc.localize(BOOKED_AT))
        self.assertEqual(event.dtstart.value, pytz.utc.localize(MONDAY_10))
        self.assertEqual(event.dtend.value, pytz.utc.localize(datetime(2031, 1, 6, 9, 30)))
        sequence = int((appointment.start_set_date - datetime(2020, 1, 1)).total_seconds() // 60)
        self.assertEqual(event.sequence.value, str(sequence))
        summary = 'Saç kesimi; yıkama, fön \\ bakım — "özel" uzun açıklamalı hizmet adı - Salon Paris'
        self.assertEqual(event.summary.value, summary)
        self.assertEqual(event.location.value, "Salon Paris, 1, rue de Rivoli; bât. B, 75001 Paris")
        manage_url = appointment.get_base_url() + appointment.get_portal_url()
        self.assertIn("access_token=", manage_url)
        self.assertEqual(event.description.value, f"With Ayşe Yılmaz\n+33 1 23 45 67 89\n{manage_url}")
        self.assertEqual(event.status.value, "CONFIRMED")
        # RFC 5545 3.3.11: backslash, semicolon and comma escaped, newlines as \n.
        self.assertEqual(
            self.unfolded(raw, "SUMMARY"),
            'SUMMARY:Saç kesimi\\; yıkama\\, fön \\\\ bakım — "özel" uzun açıklamalı hizmet adı - Salon Paris',
        )
        self.assertEqual(
            self.unfolded(raw, "LOCATION"), "LOCATION:Salon Paris\\, 1\\, rue de Rivoli\\; bât. B\\, 75001 Paris"
        )
        self.assertEqual(
            self.unfolded(raw, "DESCRIPTION"), f"DESCRIPTION:With Ayşe Yılmaz\\n+33 1 23 45 67 89\\n{manage_url}"
        )

    def test_cancelled_and_several(self):
        with freeze_time(BOOKED_AT):
            first = self.book(MONDAY_10)
            second = self.book(datetime(2031, 1, 7, 9, 0), staff=self.bruno)
            second.action_cancel()
            calendar = self.parse((first | second)._randevu_ics())
        self.assertEqual(calendar.method.value, "PUBLISH")
        events = {event.uid.value.split("-")[1]: event for event in calendar.vevent_list}
        self.assertEqual(set(events), {str(first.id), str(second.id)})
        self.assertEqual(events[str(first.id)].status.value, "CONFIRMED")
        self.assertEqual(events[str(second.id)].status.value, "CANCELLED")
        self.assertEqual(events[str(second.id)].dtstart.value, pytz.utc.localize(datetime(2031, 1, 7, 9, 0)))
        self.assertTrue(events[str(second.id)].description.value.startswith("With Bruno\n"))
