from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestAvailability(RandevuCase):
    def slots(self, day, service=None, staff=None, now=None, **kw):
        return self.env["randevu.availability"].find_slots(
            service or self.haircut, self.branch, day, day + timedelta(days=1), staff=staff, now=now or self.past, **kw
        )

    def test_slots_follow_hours_breaks_buffers_and_step(self):
        starts = [slot["start"] for slot in self.slots(self.monday, staff=self.anna)]
        # Paris is UTC+1: 09:00-13:00 and 14:00-18:00 local are 08:00-12:00 and 13:00-17:00 UTC;
        # a 30 min haircut + 15 min buffer on a 15 min grid fits 08:00..11:15 and 13:00..16:15.
        self.assertEqual(starts[0], datetime(2031, 1, 6, 8, 0))
        self.assertIn(datetime(2031, 1, 6, 11, 15), starts)
        self.assertNotIn(datetime(2031, 1, 6, 11, 30), starts, "the buffer would run into the lunch break")
        self.assertIn(datetime(2031, 1, 6, 13, 0), starts)
        self.assertEqual(starts[-1], datetime(2031, 1, 6, 16, 15))
        self.assertEqual(len(starts), 14 + 14)
        self.assertTrue(all(start.minute % 15 == 0 for start in starts))

    def test_busy_time_and_buffers_removed(self):
        self.book(datetime(2031, 1, 6, 9, 0))  # held 09:00-09:45 UTC with its buffer
        starts = [slot["start"] for slot in self.slots(self.monday, staff=self.anna)]
        self.assertIn(datetime(2031, 1, 6, 8, 15), starts)  # ends 08:45 + buffer = 09:00
        self.assertNotIn(datetime(2031, 1, 6, 8, 30), starts)
        self.assertNotIn(datetime(2031, 1, 6, 9, 30), starts)
        self.assertIn(datetime(2031, 1, 6, 9, 45), starts)

    def test_minimum_notice_and_horizon(self):
        now = datetime(2031, 1, 6, 9, 5)
        starts = [slot["start"] for slot in self.slots(self.monday, staff=self.anna, now=now)]
        self.assertEqual(starts[0], datetime(2031, 1, 6, 11, 15), "2 h notice from 09:05, on the 15 min grid")
        self.branch.randevu_horizon_days = 1
        far = self.monday + timedelta(days=3)
        self.assertFalse(self.slots(far, now=datetime(2031, 1, 6, 8)))

    def test_leave_and_closure(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.anna.resource_id.id,
                "date_from": datetime(2031, 1, 6, 8),
                "date_to": datetime(2031, 1, 6, 10),
            }
        )
        starts = [slot["start"] for slot in self.slots(self.monday, staff=self.anna)]
        self.assertEqual(starts[0], datetime(2031, 1, 6, 10, 0))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closed",
                "calendar_id": self.branch.resource_calendar_id.id,
                "date_from": self.monday,
                "date_to": self.monday + timedelta(days=1),
            }
        )
        self.assertFalse(self.slots(self.monday))

    def test_anyone_rule(self):
        # Anna is first on the service's list; with equal loads she gets the slot.
        first = self.slots(self.monday)[0]
        self.assertEqual(first["employee_id"], self.anna.id)
        self.assertEqual(set(first["employee_ids"]), {self.anna.id, self.bruno.id})
        # One booking for Anna that day: Bruno now has fewer and gets the free slots.
        self.book(datetime(2031, 1, 6, 15, 0))
        first = self.slots(self.monday)[0]
        self.assertEqual(first["employee_id"], self.bruno.id)

    def test_processing_gap_and_resources(self):
        colour = self.book(datetime(2031, 1, 6, 8, 0), service=self.colour)  # Anna busy 08:00-08:30 and 09:30-10:00
        anna_cuts = [slot["start"] for slot in self.slots(self.monday, staff=self.anna)]
        self.assertIn(datetime(2031, 1, 6, 8, 30), anna_cuts, "a haircut fits in the processing time")
        self.assertNotIn(datetime(2031, 1, 6, 9, 0), anna_cuts, "its buffer would run into the second work part")
        bruno_colours = [slot["start"] for slot in self.slots(self.monday, service=self.colour, staff=self.bruno)]
        self.assertNotIn(datetime(2031, 1, 6, 9, 0), bruno_colours, "the colour room is taken until 10:00")
        self.assertIn(datetime(2031, 1, 6, 10, 0), bruno_colours)
        self.assertEqual(
            self.slots(self.monday, service=self.colour, staff=self.bruno)[0]["resource_ids"], self.room.ids
        )
        colour.action_cancel()
        self.assertIn(
            datetime(2031, 1, 6, 9, 0),
            [s["start"] for s in self.slots(self.monday, service=self.colour, staff=self.bruno)],
        )

    def test_processing_gap_at_the_end_holds_the_staff_member(self):
        """A processing gap that ends with the service (no buffer after) frees no one: the
        busy segments hold the staff member for it all, so the engine offers no slot that
        only the gap would make free (the time an appointment holds has one rule)."""
        toner = self._make_service(
            "Toner", 1.0, self.anna, randevu_processing_start=0.5, randevu_processing_duration=0.5
        )
        self.book(datetime(2031, 1, 6, 8, 30), service=False, partner_id=False, duration=0.5)  # Anna 08:30-09:00
        starts = [slot["start"] for slot in self.slots(self.monday, service=toner, staff=self.anna)]
        self.assertNotIn(datetime(2031, 1, 6, 8, 0), starts, "Anna is busy in the last half hour")
        self.assertIn(datetime(2031, 1, 6, 9, 0), starts)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.book(datetime(2031, 1, 6, 8, 0), service=toner)
        staff_parts, held = toner._randevu_held_intervals(datetime(2031, 1, 6, 8, 0), datetime(2031, 1, 6, 9, 0))
        self.assertEqual(staff_parts, [(datetime(2031, 1, 6, 8, 0), datetime(2031, 1, 6, 9, 0))])
        self.assertEqual(held, (datetime(2031, 1, 6, 8, 0), datetime(2031, 1, 6, 9, 0)))

    def test_dst_change_days(self):
        # Paris springs forward on Sunday 2031-03-30 and falls back on 2031-10-26. A branch open
        # every day 09:00-18:00 must open at 09:00 local on both sides of each change.
        for tz, day, expected_utc_hour in [
            ("Europe/Paris", datetime(2031, 3, 29), 8),  # Saturday, UTC+1
            ("Europe/Paris", datetime(2031, 3, 30), 7),  # DST day, UTC+2
            ("Europe/Paris", datetime(2031, 10, 26), 8),  # back to UTC+1
            ("Europe/Istanbul", datetime(2031, 3, 30), 6),  # UTC+3 all year
            ("Europe/Istanbul", datetime(2031, 10, 26), 6),
        ]:
            with self.subTest(tz=tz, day=day):
                branch = self._make_branch(f"DST {tz} {day:%m%d}", tz)
                branch.resource_calendar_id.attendance_ids = [
                    (0, 0, {"name": "Sunday", "dayofweek": "6", "hour_from": 9, "hour_to": 18, "day_period": "morning"})
                ]
                stylist = self._make_staff("DST stylist", branch, branch.resource_calendar_id)
                service = self._make_service("DST cut", 1.0, stylist)
                slots = self.env["randevu.availability"].find_slots(
                    service,
                    branch,
                    day,
                    day + timedelta(days=1),
                    now=day - timedelta(days=1),  # inside the horizon
                )
                self.assertEqual(slots[0]["start"], day + timedelta(hours=expected_utc_hour))
                self.assertEqual(
                    slots[-1]["stop"], day + timedelta(hours=expected_utc_hour + 9), "last slot ends at 18:00 local"
                )
                self.assertEqual(len(slots), 9 * 4 - 3, "every 15 minutes from 09:00 to 17:00 local")

    def test_alternatives(self):
        # Anna is held 09:00-11:15 UTC by three back-to-back haircuts (30 min + 15 min buffer).
        for start in (datetime(2031, 1, 6, 9, 0), datetime(2031, 1, 6, 9, 45), datetime(2031, 1, 6, 10, 30)):
            self.book(start)
        wanted = datetime(2031, 1, 6, 10, 0)
        Availability = self.env["randevu.availability"]
        result = Availability.find_alternatives(self.haircut, self.branch, wanted, staff=self.anna, now=self.past)
        self.assertTrue(result["same_staff"])
        self.assertEqual(result["before"][0]["start"], datetime(2031, 1, 6, 8, 15), "nearest start that ends by 09:00")
        self.assertEqual(result["after"][0]["start"], datetime(2031, 1, 6, 11, 15), "first start after the bookings")
        self.assertEqual(
            [s["start"] for s in result["before"]], sorted((s["start"] for s in result["before"]), reverse=True)
        )
        # Anna on leave all week: the alternatives come from anyone.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": self.anna.resource_id.id,
                "date_from": self.monday - timedelta(days=8),
                "date_to": self.monday + timedelta(days=8),
            }
        )
        result = Availability.find_alternatives(self.haircut, self.branch, wanted, staff=self.anna, now=self.past)
        self.assertFalse(result["same_staff"])
        self.assertEqual(result["after"][0]["employee_id"], self.bruno.id)

    def test_query_count_independent_of_data_size(self):
        """find_slots reads a fixed number of queries for 10 or 1,000 appointments,
        2 or 12 staff, 1 or 14 days."""
        Availability = self.env["randevu.availability"]
        week = self.monday + timedelta(days=7)

        def count(service, days):
            # Cold record cache; warm registry caches (groups, rules), as in a running server.
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            slots = Availability.find_slots(service, self.branch, week, week + timedelta(days=days), now=self.past)
            return self.env.cr.sql_log_count - before, slots

        Availability.find_slots(self.haircut, self.branch, week, week + timedelta(days=1), now=self.past)  # warm-up
        small, _slots = count(self.haircut, 1)
        # Ten more staff and a thousand appointments spread over the fortnight.
        staff = self.anna | self.bruno
        for index in range(10):
            staff |= self._make_staff(f"Stylist {index}", self.branch, self.stylist_hours)
        big_service = self._make_service("Blow-dry", 0.25, staff)
        vals = []
        for day in range(14):
            for employee in staff:
                for slot in range(8):
                    start = week + timedelta(days=day, hours=8 + slot * 0.5)
                    if (week + timedelta(days=day)).weekday() < 6:
                        vals.append(
                            {
                                "company_id": self.branch.id,
                                "service_id": big_service.id,
                                "employee_id": employee.id,
                                "start": start,
                            }
                        )
        self.env["randevu.appointment"].create(vals[:1000])
        self.assertGreaterEqual(
            self.env["randevu.appointment"].search_count([("service_id", "=", big_service.id)]), 1000
        )
        count(big_service, 1)  # warm-up again: registry caches as a running server has them
        large, slots = count(big_service, 14)
        self.assertTrue(slots)
        self.assertEqual(large, small, "queries must not grow with staff, days or appointments")
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            Availability.find_slots(big_service, self.branch, week, week + timedelta(days=14), now=self.past)


@tagged("post_install", "-at_install")
class TestAvailabilityPlan(RandevuCase):
    def test_plan_stops_at_the_loaded_window(self):
        """Leave is read for the loaded window only (the request padded by a day): hours past
        it must not appear as working time. A request ending Monday 23:30 UTC loads up to
        Tuesday 23:30 UTC, which is already Wednesday 00:30 in Paris: Wednesday's attendance
        is built, but a leave from Tuesday 23:45 UTC is not read."""
        wednesday = self.monday + timedelta(days=2)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Off",
                "resource_id": self.anna.resource_id.id,
                "date_from": self.monday + timedelta(days=1, hours=23, minutes=45),
                "date_to": wednesday + timedelta(days=1),
            }
        )
        start, end = self.monday + timedelta(hours=8), self.monday + timedelta(hours=23, minutes=30)
        plan = self.env["randevu.availability"]._load(self.branch, self.anna, self.env["resource.resource"], start, end)
        intervals = plan["work"][self.anna.id].intervals
        self.assertIn((self.monday + timedelta(hours=8), self.monday + timedelta(hours=12)), intervals)
        self.assertFalse([i for i in intervals if i[0] >= wednesday], "Anna is on leave on Wednesday")
