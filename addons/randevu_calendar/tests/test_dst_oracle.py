"""The engine against a brute-force reading of daylight-saving nights.

The oracle knows nothing of the engine: it converts every local minute of the
nights around a change with `zoneinfo` (both folds, keeping those that exist),
which gives every real minute in order with its wall-clock time, and applies the
rules as stated in the README:

- a working-hours boundary is the first real minute whose wall time is at or after
  it (the first time the clock shows it; for a skipped time, the change);
- a slot starts on a real minute whose wall time is a multiple of the step after
  local midnight, when every minute it holds (buffer included) is working time and
  not busy.

Europe/Istanbul has had no DST since 2016: on Paris's change days it must agree too.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from odoo.tests import tagged

from .common import RandevuCase

MINUTE = timedelta(minutes=1)
NIGHT = [(0, 24)]  # working through the night
EDGES = [(0, 1.5), (2.5, 6), (7, 24)]  # boundaries inside the repeated or skipped hour


def real_minutes(zone, first_day, last_day):
    """[(naive UTC, naive wall time)] of every real minute whose wall time falls on the
    local days [first_day, last_day], in real-time order."""
    minutes = {}
    wall, last = first_day, last_day + timedelta(days=1)
    while wall < last:
        for fold in (0, 1):
            moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
            if moment.astimezone(zone).replace(tzinfo=None) == wall:  # the clock shows it
                minutes[moment.replace(tzinfo=None)] = wall
        wall += MINUTE
    return sorted(minutes.items())


class Oracle:
    def __init__(self, tz, day):
        self.day = day
        self.minutes = real_minutes(ZoneInfo(tz), day - timedelta(days=1), day + timedelta(days=1))
        moments = [moment for moment, _wall in self.minutes]
        offsets = [wall - moment for moment, wall in self.minutes]
        changes = [moments[i] for i in range(1, len(moments)) if offsets[i] != offsets[i - 1]]
        # Istanbul keeps its offset: its "change" is 02:00 local, as in Paris.
        self.change = changes[0] if changes else self.boundary(day + timedelta(hours=2))

    def boundary(self, wall):
        return next(moment for moment, shown in self.minutes if shown >= wall)

    def starts(self, periods, busy, step, held_before, held_after):
        """Every slot start of the middle day and its neighbours' edges, in real time."""
        working = [
            (self.boundary(day + timedelta(hours=start)), self.boundary(day + timedelta(hours=stop)))
            for day in (self.day - timedelta(days=1), self.day)
            for start, stop in periods
        ]
        free = {
            moment
            for moment, _wall in self.minutes
            if any(a <= moment < b for a, b in working) and not any(a <= moment < b for a, b in busy)
        }
        return [
            moment
            for moment, wall in self.minutes
            if (wall.hour * 60 + wall.minute) % step == 0
            and all(moment + k * MINUTE in free for k in range(-held_before, held_after))
        ]


@tagged("post_install", "-at_install")
class TestDstOracle(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zones = {}
        for tz in ("America/New_York", "Europe/Paris", "Europe/Istanbul"):
            branch = cls._make_branch(f"Night {tz}", tz)
            every_day = range(7)
            branch.resource_calendar_id.attendance_ids = [(5, 0, 0)] + [
                (
                    0,
                    0,
                    {"name": str(day), "dayofweek": str(day), "hour_from": 0, "hour_to": 24, "day_period": "morning"},
                )
                for day in every_day
            ]
            night = cls._make_staff("Night", branch, cls._make_calendar(f"Night {tz}", branch, NIGHT, every_day))
            edges = cls._make_staff("Edges", branch, cls._make_calendar(f"Edges {tz}", branch, EDGES, every_day))
            service = cls._make_service("Night cut", 0.5, night | edges, randevu_buffer_after=0.25)
            cls.zones[tz] = (branch, night, edges, service)

    def engine_starts(self, tz, staff, start, end, now):
        branch, *_staff, service = self.zones[tz]
        slots = self.env["randevu.availability"].find_slots(service, branch, start, end, staff=staff, now=now)
        return [slot["start"] for slot in slots]

    def check_change_day(self, tz, day):
        branch, night, edges, _service = self.zones[tz]
        oracle = Oracle(tz, day)
        change = oracle.change
        now = day - timedelta(days=2)  # notice and horizon leave the whole night open
        busy_cases = [
            [],
            [(change - timedelta(minutes=45), change - timedelta(minutes=10))],  # 01:15-01:50 EDT in New York
            [
                (change - timedelta(minutes=20), change + timedelta(minutes=7)),
                (change + timedelta(minutes=50), change + timedelta(minutes=83)),
            ],
        ]
        for step in (15, 45):
            branch.randevu_slot_step = step
            for busy in busy_cases:
                blocks = self.env["randevu.appointment"].create(
                    [
                        {
                            "company_id": branch.id,
                            "employee_id": night.id,
                            "start": start,
                            "duration": (stop - start).total_seconds() / 3600,
                        }
                        for start, stop in busy
                    ]
                )
                self.assertEqual([(block.start, block.stop) for block in blocks], busy)
                expected = oracle.starts(NIGHT, busy, step, 0, 45)
                for minutes in range(-90, 95, 5):
                    window_start = change + timedelta(minutes=minutes)
                    window_end = window_start + timedelta(hours=3)
                    with self.subTest(step=step, busy=busy, window_start=window_start):
                        self.assertEqual(
                            self.engine_starts(tz, night, window_start, window_end, now),
                            [moment for moment in expected if window_start <= moment < window_end],
                        )
                blocks.unlink()
            # Working periods whose boundaries fall in the repeated or the skipped hour.
            window_start, window_end = day - timedelta(hours=6), day + timedelta(hours=18)
            with self.subTest(step=step, staff="edges"):
                self.assertEqual(
                    self.engine_starts(tz, edges, window_start, window_end, now),
                    [moment for moment in oracle.starts(EDGES, [], step, 0, 45) if window_start <= moment < window_end],
                )

    def test_new_york_spring_forward(self):
        self.check_change_day("America/New_York", datetime(2026, 3, 8))

    def test_new_york_fall_back(self):
        self.check_change_day("America/New_York", datetime(2026, 11, 1))

    def test_paris_spring_forward(self):
        self.check_change_day("Europe/Paris", datetime(2026, 3, 29))

    def test_paris_fall_back(self):
        self.check_change_day("Europe/Paris", datetime(2026, 10, 25))

    def test_istanbul_on_paris_change_days(self):
        self.check_change_day("Europe/Istanbul", datetime(2026, 3, 29))
        self.check_change_day("Europe/Istanbul", datetime(2026, 10, 25))

    def test_repeated_hour_offers_both_times(self):
        """The issue's case, spelled out: after an appointment 01:15-01:50 EDT on
        2026-11-01, the repeated hour 01:00-01:45 EST is offered, and a search from
        01:50 EDT starts at 01:00 EST."""
        _branch, night, _edges, _service = self.zones["America/New_York"]
        self.env["randevu.appointment"].create(
            {
                "company_id": self.zones["America/New_York"][0].id,
                "employee_id": night.id,
                "start": datetime(2026, 11, 1, 5, 15),  # 01:15 EDT
                "duration": 35 / 60,
            }
        )
        now = datetime(2026, 10, 30)
        starts = self.engine_starts("America/New_York", night, datetime(2026, 11, 1, 4), datetime(2026, 11, 1, 8), now)
        edt_hour = [datetime(2026, 11, 1, 4, minute) for minute in (0, 15, 30)]  # 00:00-00:30 EDT, then busy
        est_hour = [datetime(2026, 11, 1, 6, minute) for minute in (0, 15, 30, 45)]  # 01:00-01:45 EST
        self.assertEqual(starts[:3], edt_hour, "the held time (cut + buffer) must end by 01:15 EDT")
        self.assertEqual(starts[3:7], est_hour)
        from_0150 = self.engine_starts(
            "America/New_York", night, datetime(2026, 11, 1, 5, 50), datetime(2026, 11, 1, 8), now
        )
        self.assertEqual(from_0150[0], datetime(2026, 11, 1, 6, 0), "01:00 EST")

    def test_labels_in_the_repeated_hour(self):
        """Messages and error texts say which 01:30 they mean on a fall-back night."""
        branch, night, _edges, _service = self.zones["America/New_York"]
        first, second = self.env["randevu.appointment"].create(
            [
                {"company_id": branch.id, "employee_id": night.id, "start": start, "duration": 0.25}
                for start in (datetime(2026, 11, 1, 5, 30), datetime(2026, 11, 1, 6, 30))  # 01:30 EDT, 01:30 EST
            ]
        )
        en = first.with_context(lang="en_US")
        self.assertEqual(en._randevu_local_label(first.start), "Sunday, November 1, 2026 at 1:30 AM (UTC-4)")
        self.assertEqual(en._randevu_local_label(second.start), "Sunday, November 1, 2026 at 1:30 AM (UTC-5)")
        self.assertEqual(en._randevu_local_label(datetime(2026, 11, 1, 8)), "Sunday, November 1, 2026 at 3:00 AM")
        self.assertEqual(
            (first | second)._local_labels(),
            [
                "Blocked time (Sun 01 Nov 01:30 (UTC-4)-01:45 (UTC-4))",
                "Blocked time (Sun 01 Nov 01:30 (UTC-5)-01:45 (UTC-5))",
            ],
        )
