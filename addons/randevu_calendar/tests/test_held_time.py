"""The time an appointment holds: one rule (tools/held_time.held_intervals) read by
the busy segments, the availability engine and the Day planner."""

from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tools.held_time import NO_MARGINS, HeldMargins, held_intervals

from .common import RandevuCase


def minutes(value):
    return timedelta(minutes=value)


def at(hour, minute=0):
    return datetime(2031, 1, 6, hour, minute)  # a Monday; Paris is UTC+1


@tagged("post_install", "-at_install")
class TestHeldTime(RandevuCase):
    def test_rule(self):
        start, stop = at(9), at(10, 30)
        self.assertEqual(held_intervals(start, stop, NO_MARGINS), ([(start, stop)], (start, stop)))
        # Buffers widen both the staff member's and the resources' time.
        margins = HeldMargins(minutes(15), minutes(10), minutes(0), minutes(0))
        self.assertEqual(held_intervals(start, stop, margins), ([(at(8, 45), at(10, 40))], (at(8, 45), at(10, 40))))
        # A gap strictly inside frees the staff member only.
        margins = HeldMargins(minutes(15), minutes(15), minutes(30), minutes(30))
        self.assertEqual(
            held_intervals(start, stop, margins),
            ([(at(8, 45), at(9, 30)), (at(10), at(10, 45))], (at(8, 45), at(10, 45))),
        )
        # A gap touching an end of the held time frees nobody.
        for gap_start in (minutes(0), minutes(60)):
            margins = HeldMargins(minutes(0), minutes(0), gap_start, minutes(30))
            self.assertEqual(held_intervals(start, stop, margins), ([(start, stop)], (start, stop)))

    def test_segments_engine_and_planner_agree(self):
        colour = self._make_service(
            "Colour",
            1.5,
            self.anna,
            randevu_buffer_before=0.25,
            randevu_buffer_after=0.25,
            randevu_processing_start=0.5,
            randevu_processing_duration=0.5,
        )
        staff_parts, held = colour._randevu_held_intervals(at(9), at(10, 30))
        self.assertEqual(staff_parts, [(at(8, 45), at(9, 30)), (at(10), at(10, 45))])
        self.assertEqual(held, (at(8, 45), at(10, 45)))
        appointment = self.book(at(9), service=colour)

        # The segments are the staff parts.
        segments = self.env["randevu.appointment.segment"].sudo().search([("appointment_id", "=", appointment.id)])
        self.assertEqual(sorted((segment.start, segment.stop) for segment in segments), staff_parts)

        # The engine sees Anna busy in the staff parts only: free in the gap.
        plan = self.env["randevu.availability"]._load(
            self.branch, self.anna, self.env["resource.resource"], at(0), at(23)
        )
        free = plan["free"][self.anna.id]
        self.assertTrue(free.contains(at(9, 30), at(10)), "free while the colour develops")
        for part in staff_parts:
            self.assertFalse(free.contains(*part))
        self.assertTrue(free.contains(at(8, 30), at(8, 45)) and free.contains(at(10, 45), at(11)))

        # The Day planner draws the same: buffers around the block, the gap inside it (local minutes).
        block = next(
            block
            for block in self.env["randevu.day.planner"].get_day(self.branch.id, "2031-01-06")["appointments"]
            if block["id"] == appointment.id
        )
        self.assertEqual(block["buffers"], [(585, 600), (690, 705)], "09:45-10:00 and 11:30-11:45 local")
        self.assertEqual(block["gaps"], [(630, 660)], "10:30-11:00 local")
