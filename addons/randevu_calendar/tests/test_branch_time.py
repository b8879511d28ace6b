"""The branch time helpers on res.company against a brute-force reading of the clock.

The oracle knows nothing of the helpers: it reads every real minute around each
change of offset with `zoneinfo` and takes

- a moment's local time and day as `zoneinfo` shows them;
- a local day's start as the first real minute whose local date is that day or
  later (when midnight is shown twice, the first one; when it is skipped, the
  change), its end as the next day's start.

Zones: Paris (changes at 02:00/03:00), Istanbul while it still changed (and the
years it moved the day), Havana (midnight skipped in spring, shown twice in
autumn), Santiago and Beirut (the change at midnight, back to 23:00 of the day
before), Lord Howe (a half-hour shift).
"""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

MINUTE = timedelta(minutes=1)
QUARTER = timedelta(minutes=15)

ZONES = {
    "Europe/Paris": range(2023, 2027),
    "Europe/Istanbul": range(2010, 2017),
    "America/Havana": range(2021, 2026),
    "America/Santiago": range(2021, 2026),
    "Asia/Beirut": range(2021, 2026),
    "Australia/Lord_Howe": range(2022, 2026),
}


def to_local(zone, moment):
    """zoneinfo's naive local wall time of the naive UTC `moment`."""
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def changes(zone, years):
    """Naive UTC moments (to the hour before) at which the offset of `zone` changes in `years`."""
    found = []
    moment = datetime(years[0], 1, 1)
    previous = to_local(zone, moment) - moment
    while moment.year <= years[-1]:
        moment += timedelta(hours=1)
        offset = to_local(zone, moment) - moment
        if offset != previous:
            found.append(moment)
        previous = offset
    return found


@tagged("post_install", "-at_install")
class TestBranchTime(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.company"].create({"name": "Clock branch", "randevu_tz": "Europe/Paris"})

    def test_oracle_on_change_nights(self):
        checked_days = 0
        for tz, years in ZONES.items():
            zone = ZoneInfo(tz)
            self.branch.randevu_tz = tz
            found = changes(zone, years)
            self.assertGreaterEqual(len(found), len(years), f"{tz} changes its offset every year")
            for change in found:
                # Every real minute of the four days around the change, with its local time.
                first, last = change - timedelta(days=2), change + timedelta(days=2)
                minutes = []
                moment = first
                while moment < last:
                    minutes.append((moment, to_local(zone, moment)))
                    moment += MINUTE
                for moment, local in minutes[::15]:
                    self.assertEqual(self.branch._randevu_to_local(moment), local, f"{tz} {moment}")
                    self.assertEqual(self.branch._randevu_local_day(moment), local.date(), f"{tz} {moment}")
                # Start of each local day: the first real minute showing it.
                starts = {}
                for (_before, shown_before), (moment, shown) in pairwise(minutes):
                    if shown.date() > shown_before.date():
                        starts[shown.date()] = moment
                days = sorted(day for day in starts if day + timedelta(days=1) in starts)
                self.assertGreaterEqual(len(days), 2, f"{tz} {change}: days around the change")
                for day in days:
                    self.assertEqual(
                        self.branch._randevu_day_bounds(day),
                        (starts[day], starts[day + timedelta(days=1)]),
                        f"{tz} {day}",
                    )
                    checked_days += 1
                self.assertEqual(
                    self.branch._randevu_day_bounds(days[0], days[-1]),
                    (starts[days[0]], starts[days[-1] + timedelta(days=1)]),
                    f"{tz} {days[0]} .. {days[-1]}",
                )
        self.assertGreater(checked_days, 100)

    def test_midnight_shown_twice_or_skipped(self):
        """Havana: on 2 Nov 2025 the clock goes back from 01:00 to 00:00 (midnight is
        shown twice, the day starts at the first); on 9 Mar 2025 it jumps from 00:00
        to 01:00 (the day starts at the change)."""
        self.branch.randevu_tz = "America/Havana"
        self.assertEqual(
            self.branch._randevu_day_bounds(date(2025, 11, 2)), (datetime(2025, 11, 2, 4), datetime(2025, 11, 3, 5))
        )
        self.assertEqual(
            self.branch._randevu_day_bounds(date(2025, 3, 9)), (datetime(2025, 3, 9, 5), datetime(2025, 3, 10, 4))
        )
        self.assertEqual(self.branch._randevu_local_day(datetime(2025, 11, 2, 4, 30)), date(2025, 11, 2))
        self.assertEqual(self.branch._randevu_local_day(datetime(2025, 11, 2, 5, 30)), date(2025, 11, 2))

    def test_local_today(self):
        self.branch.randevu_tz = "Pacific/Auckland"
        with freeze_time("2026-06-30 13:00:00"):  # 01:00 on 1 July in Auckland
            self.assertEqual(self.branch._randevu_local_today(), date(2026, 7, 1))
        self.branch.randevu_tz = "America/Los_Angeles"
        with freeze_time("2026-07-01 06:00:00"):  # 23:00 on 30 June in Los Angeles
            self.assertEqual(self.branch._randevu_local_today(), date(2026, 6, 30))

    def test_online_window(self):
        self.branch.write({"randevu_min_notice": 2.5, "randevu_horizon_days": 30})
        now = datetime(2026, 3, 28, 22, 0)
        self.assertEqual(
            self.branch._randevu_online_window(now), (datetime(2026, 3, 29, 0, 30), datetime(2026, 4, 27, 22, 0))
        )
        with freeze_time("2026-03-28 22:00:00"):
            self.assertEqual(self.branch._randevu_online_window(), self.branch._randevu_online_window(now))

    def test_change_deadline(self):
        self.branch.randevu_cancel_cutoff = 24
        self.assertEqual(self.branch._randevu_change_deadline(datetime(2026, 3, 29, 9)), datetime(2026, 3, 28, 9))
        self.branch.randevu_cancel_cutoff = 0
        self.assertEqual(self.branch._randevu_change_deadline(datetime(2026, 3, 29, 9)), datetime(2026, 3, 29, 9))
