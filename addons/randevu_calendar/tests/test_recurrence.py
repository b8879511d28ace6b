from datetime import date, datetime

import psycopg2.errors
import pytz

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.models.randevu_appointment_recurrence import occurrence_starts

from .common import RandevuCase

PARIS = pytz.timezone("Europe/Paris")


def local(moment):
    """Wall-clock time at the Paris branch of a naive UTC datetime."""
    return pytz.utc.localize(moment).astimezone(PARIS).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestRecurrence(RandevuCase):
    # Mondays at 10:00 in Paris: 09:00 UTC in winter, 08:00 UTC in summer.

    def preview(self, appointment, **rule):
        wizard = self.env["randevu.recurrence.wizard"].create({"appointment_id": appointment.id, **rule})
        wizard.action_preview()
        return wizard

    def series(self, appointment):
        return appointment.recurrence_id.appointment_ids.sorted("start")

    def weekly_series(self, count=4, first=None):
        first = self.book(first or datetime(2031, 1, 6, 9))
        self.preview(first, interval=1, unit="week", end_type="count", count=count).action_confirm()
        return self.series(first)

    def raised(self, exception, func, *args):
        """The message of the `exception` that func(*args) raises, caught without the
        savepoint that Odoo's assertRaises adds: what stays in the transaction is what
        the code under test left there."""
        try:
            func(*args)
        except exception as error:
            return str(error)
        self.fail(f"{exception.__name__} not raised")

    def block_anna(self, start):
        """Another customer's haircut with Anna (held 45 minutes with its buffer)."""
        other = self.env["res.partner"].create({"name": "Other customer"})
        return self.book(start, partner_id=other.id)

    # ------------------------------------------------------------------ rule and preview
    def test_weekly_count(self):
        first = self.book(datetime(2031, 1, 6, 9))
        wizard = self.preview(first, interval=2, unit="week", end_type="count", count=4)
        self.assertEqual(wizard.occurrence_count, 4, "the count includes the appointment being repeated")
        self.assertEqual(
            wizard.line_ids.mapped("start"),
            [datetime(2031, 1, 20, 9), datetime(2031, 2, 3, 9), datetime(2031, 2, 17, 9)],
        )
        self.assertEqual(set(wizard.line_ids.mapped("status")), {"free"})
        self.assertFalse(first.recurrence_id, "the preview creates nothing")
        wizard.action_confirm()
        series = self.series(first)
        self.assertEqual(len(series), 4)
        self.assertEqual(series[0], first)
        self.assertEqual(first.recurrence_id.end_date, date(2031, 2, 17))
        self.assertEqual(set(series.mapped("employee_id")), {self.anna})
        self.assertEqual(set(series.mapped("partner_id")), {self.customer})
        self.assertTrue(all(appt.segment_ids for appt in series), "each occurrence holds Anna's time")

    def test_monthly_until(self):
        # From Friday 31 January: the end of each month (28 Feb, 31 Mar, 30 Apr), counted from the
        # first date (not 28 Mar after 28 Feb), at 10:00 local across the March DST change.
        first = self.book(datetime(2031, 1, 31, 9))
        wizard = self.preview(first, interval=1, unit="month", end_type="until", until=date(2031, 4, 30))
        self.assertEqual(
            wizard.line_ids.mapped("start"),
            [datetime(2031, 2, 28, 9), datetime(2031, 3, 31, 8), datetime(2031, 4, 30, 8)],
        )
        self.assertEqual(wizard.end_date, date(2031, 4, 30), "the until date is included")
        wizard.until = date(2031, 4, 29)
        self.assertEqual(wizard.end_date, date(2031, 3, 31))
        self.assertEqual(wizard.occurrence_count, 3)
        wizard.action_preview()
        wizard.action_confirm()
        self.assertEqual(
            [local(start) for start in self.series(first).mapped("start")],
            [datetime(2031, 1, 31, 10), datetime(2031, 2, 28, 10), datetime(2031, 3, 31, 10)],
        )
        self.assertEqual(first.recurrence_id.end_date, date(2031, 3, 31))

    def test_end_date_shown_before_saving(self):
        first = self.book(datetime(2031, 1, 6, 9))
        form = Form(self.env["randevu.recurrence.wizard"].with_context(default_appointment_id=first.id))
        form.interval = 1
        form.unit = "week"
        form.count = 3
        self.assertEqual(form.end_date, date(2031, 1, 20))
        form.end_type = "until"
        form.until = date(2031, 2, 12)
        self.assertEqual(form.end_date, date(2031, 2, 10), "the last Monday on or before the 12th")
        self.assertEqual(form.occurrence_count, 6)
        form.until = date(2031, 1, 1)
        self.assertFalse(form.end_date)
        self.assertIn("must end after its first occurrence", form.rule_error)
        self.assertFalse(self.env["randevu.recurrence.wizard"].search([("appointment_id", "=", first.id)]))

    def test_dst_keeps_local_time(self):
        # Paris springs forward on Sunday 30 March 2031 and falls back on Sunday 26 October.
        spring = self.book(datetime(2031, 3, 24, 9))  # 10:00 CET
        autumn = self.book(datetime(2031, 10, 20, 8))  # 10:00 CEST
        for first in (spring, autumn):
            self.preview(first, interval=1, unit="week", end_type="count", count=3).action_confirm()
        self.assertEqual(
            self.series(spring).mapped("start"),
            [datetime(2031, 3, 24, 9), datetime(2031, 3, 31, 8), datetime(2031, 4, 7, 8)],
            "not 09:00 UTC (11:00 local) after the change",
        )
        self.assertEqual(
            self.series(autumn).mapped("start"),
            [datetime(2031, 10, 20, 8), datetime(2031, 10, 27, 9), datetime(2031, 11, 3, 9)],
        )
        for appointment in self.series(spring) | self.series(autumn):
            self.assertEqual(local(appointment.start).time(), datetime(2031, 1, 1, 10).time())

    def test_dst_repeated_and_skipped_local_times(self):
        # The reading of working hours: a time shown twice is its first time, a skipped one the change.
        new_york = pytz.timezone("America/New_York")
        self.assertEqual(
            occurrence_starts(datetime(2026, 10, 25, 5, 30), new_york, 1, "week", "count", 3),  # Sundays 01:30
            [datetime(2026, 10, 25, 5, 30), datetime(2026, 11, 1, 5, 30), datetime(2026, 11, 8, 6, 30)],
            "1 Nov: 01:30 EDT, before the clocks go back",
        )
        self.assertEqual(
            occurrence_starts(datetime(2026, 3, 1, 7, 30), new_york, 1, "week", "count", 3),  # Sundays 02:30
            [datetime(2026, 3, 1, 7, 30), datetime(2026, 3, 8, 7, 0), datetime(2026, 3, 15, 6, 30)],
            "8 Mar: 02:30 does not exist, the change (03:00 EDT)",
        )

    def test_series_move_into_repeated_and_skipped_hours(self):
        # Paris: 02:00-03:00 is shown twice on Sunday 25 Oct 2026 and skipped on Sunday 29 Mar 2026.
        Appointment = self.env["randevu.appointment"]

        def occurrence(start):
            return Appointment.new({"company_id": self.branch.id, "start": start})

        autumn = occurrence(datetime(2026, 10, 18, 8)) | occurrence(datetime(2026, 10, 25, 9))  # 10:00 local
        starts = autumn[0]._series_starts(autumn, datetime(2026, 10, 18, 0, 30))  # to 02:30 CEST
        self.assertEqual(list(starts.values()), [datetime(2026, 10, 18, 0, 30), datetime(2026, 10, 25, 0, 30)])
        starts = autumn[1]._series_starts(autumn, datetime(2026, 10, 25, 0, 30))  # to the first 02:30
        self.assertEqual(starts[autumn[1].id], datetime(2026, 10, 25, 0, 30), "where it was put")
        starts = autumn[1]._series_starts(autumn, datetime(2026, 10, 25, 1, 30))  # to the second 02:30
        self.assertEqual(list(starts.values()), [datetime(2026, 10, 18, 0, 30), datetime(2026, 10, 25, 1, 30)])
        spring = occurrence(datetime(2026, 3, 22, 9)) | occurrence(datetime(2026, 3, 29, 8))  # 10:00 local
        starts = spring[0]._series_starts(spring, datetime(2026, 3, 22, 1, 30))  # to 02:30 CET
        self.assertEqual(
            list(starts.values()), [datetime(2026, 3, 22, 1, 30), datetime(2026, 3, 29, 1, 0)], "the change"
        )

    def test_conflicts_listed_per_occurrence(self):
        first = self.book(datetime(2031, 1, 6, 9))
        self.block_anna(datetime(2031, 1, 20, 9))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "resource_id": self.anna.resource_id.id,
                "date_from": datetime(2031, 2, 3),
                "date_to": datetime(2031, 2, 4),
            }
        )
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=5)
        lines = {line.sequence: line for line in wizard.line_ids}
        self.assertEqual([lines[n].status for n in (2, 3, 4, 5)], ["free", "conflict", "free", "conflict"])
        self.assertEqual(wizard.conflict_count, 2)
        self.assertIn("(Mon 20 Jan 10:00-10:30) overlaps another appointment of Anna", lines[3].reason)
        self.assertIn("(Mon 03 Feb 10:00-10:30): Anna is on leave then", lines[5].reason)
        self.assertEqual(lines[3].local_label, "Mon 20 Jan 2031 10:00", "branch local time")
        self.assertEqual(lines[3].action, "skip", "a conflict is never booked by default")
        self.assertFalse(self.env["randevu.appointment.recurrence"].search([]), "nothing created before confirming")
        # Booking a conflicting occurrence anyway is refused with its number and date.
        lines[3].action = "book"
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            wizard.action_confirm()
        self.assertIn("Occurrence 3 (Mon 20 Jan 2031 10:00) conflicts", str(caught.exception))

    def test_skip(self):
        first = self.book(datetime(2031, 1, 6, 9))
        self.block_anna(datetime(2031, 1, 20, 9))
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=4)
        self.assertEqual(wizard.line_ids.mapped("action"), ["book", "skip", "book"])
        self.assertEqual(wizard.book_count, 2)
        wizard.action_confirm()
        self.assertEqual(
            self.series(first).mapped("start"),
            [datetime(2031, 1, 6, 9), datetime(2031, 1, 13, 9), datetime(2031, 1, 27, 9)],
        )
        self.assertEqual(first.recurrence_id.end_date, date(2031, 1, 27))

    def test_alternative(self):
        first = self.book(datetime(2031, 1, 6, 9))
        self.block_anna(datetime(2031, 1, 20, 9))  # Anna held 09:00-09:45 UTC
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=3)
        line = wizard.line_ids.filtered(lambda line: line.status == "conflict")
        self.assertEqual(line.sequence, 3)
        # The nearest free times, Anna's first (find_alternatives): 09:45 right after the other
        # customer, then 08:15 which ends with its buffer when the other one starts.
        self.assertEqual(
            line.alternative_ids[:2].mapped("start"), [datetime(2031, 1, 20, 9, 45), datetime(2031, 1, 20, 8, 15)]
        )
        self.assertEqual(set(line.alternative_ids.mapped("employee_id")), {self.anna})
        self.assertEqual(line.alternative_ids[0].name, "Mon 20 Jan 2031 10:45 - Anna")
        line.action = "alternative"
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            wizard.action_confirm()
        self.assertIn("Occurrence 3 (Mon 20 Jan 2031 10:00): choose the other time", str(caught.exception))
        line.alternative_id = line.alternative_ids[0]
        wizard.action_confirm()
        self.assertEqual(
            self.series(first).mapped("start"),
            [datetime(2031, 1, 6, 9), datetime(2031, 1, 13, 9), datetime(2031, 1, 20, 9, 45)],
        )

    def test_alternative_of_another_line_refused(self):
        first = self.book(datetime(2031, 1, 6, 9))
        self.block_anna(datetime(2031, 1, 13, 9))
        self.block_anna(datetime(2031, 1, 20, 9))
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=3)
        second, third = wizard.line_ids
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            second.alternative_id = third.alternative_ids[0]

    def test_all_or_nothing(self):
        first = self.book(datetime(2031, 1, 6, 9))
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=4)
        self.assertEqual(wizard.conflict_count, 0)
        # Someone books occurrence 3's time after the preview: creating the series fails and
        # the occurrences already inserted by the same create() are rolled back with it.
        blocker = self.block_anna(datetime(2031, 1, 20, 9))
        # Not assertRaises: it rolls back to a savepoint of its own, the wizard's must undo everything.
        error = self.raised(ValidationError, wizard.action_confirm)
        self.assertIn("Nothing was created", error)
        self.assertIn("(Mon 20 Jan 10:00-10:30) overlaps another appointment of Anna", error)
        self.assertFalse(first.recurrence_id)
        self.assertFalse(self.env["randevu.appointment.recurrence"].search([]))
        self.assertEqual(self.env["randevu.appointment"].search([("employee_id", "=", self.anna.id)]), first | blocker)

    def test_rule_validation(self):
        first = self.book(datetime(2031, 1, 6, 9))
        for rule, message in [
            ({"end_type": "count", "count": 0}, "greater than zero"),
            ({"end_type": "count", "count": 1}, "no occurrence after the first one"),
            ({"interval": 0}, "every 1 or more"),
            ({"end_type": "until", "until": date(2031, 1, 6)}, "must end after its first occurrence"),
            ({"end_type": "until", "until": False}, "Choose the date the series ends"),
            ({"end_type": "count", "count": 201}, "more than 200 occurrences"),
            ({"unit": "day", "end_type": "until", "until": date(2031, 12, 31)}, "more than 200 occurrences"),
        ]:
            with self.subTest(rule=rule), self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                self.preview(first, **rule)
            self.assertIn(message, str(caught.exception))
        # The database holds the same invariants.
        for values in ({"interval": 0}, {"count": 0}, {"end_type": "until", "until": False}):
            with (
                self.subTest(values=values),
                self.assertRaises(psycopg2.errors.CheckViolation),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env["randevu.appointment.recurrence"].create(
                    {"first_start": first.start, "company_id": self.branch.id, **values}
                )

    def test_rule_changed_after_preview(self):
        first = self.book(datetime(2031, 1, 6, 9))
        wizard = self.preview(first, interval=1, unit="week", end_type="count", count=3)
        wizard.count = 5
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            wizard.action_confirm()
        self.assertIn("click Preview again", str(caught.exception))

    # ------------------------------------------------------------------ series editing
    def test_edit_one(self):
        series = self.weekly_series()
        series[1].action_apply_to_series({"start": datetime(2031, 1, 13, 10)}, "one")
        self.assertEqual(
            series.mapped("start"),
            [datetime(2031, 1, 6, 9), datetime(2031, 1, 13, 10), datetime(2031, 1, 20, 9), datetime(2031, 1, 27, 9)],
        )
        self.assertEqual(series[1].recurrence_id, series[0].recurrence_id, "the occurrence stays in its series")

    def test_edit_following_keeps_dates_and_local_time(self):
        # Mondays 17, 24, 31 March and 7 April at 10:00 local; from the 24th on, 11:00 local,
        # including after the DST change (09:00 UTC instead of 10:00).
        series = self.weekly_series(first=datetime(2031, 3, 17, 9))
        series[1].action_apply_to_series({"start": datetime(2031, 3, 24, 10)}, "following")
        self.assertEqual(
            series.mapped("start"),
            [datetime(2031, 3, 17, 9), datetime(2031, 3, 24, 10), datetime(2031, 3, 31, 9), datetime(2031, 4, 7, 9)],
        )
        self.assertEqual([local(start).hour for start in series.mapped("start")], [10, 11, 11, 11])
        self.assertEqual(series[3].segment_ids.start, datetime(2031, 4, 7, 9), "busy times follow")
        # Moving to another day moves the following occurrences by the same number of days.
        series[2].action_apply_to_series({"start": datetime(2031, 4, 1, 9)}, "following")
        self.assertEqual(series[2:].mapped("start"), [datetime(2031, 4, 1, 9), datetime(2031, 4, 8, 9)])

    def test_edit_all_staff(self):
        series = self.weekly_series()
        series[2].action_apply_to_series({"employee_id": self.bruno.id}, "all")
        self.assertEqual(set(series.mapped("employee_id")), {self.bruno})
        self.assertEqual(series.segment_ids.employee_id, self.bruno)

    def test_cancel_following(self):
        series = self.weekly_series()
        series[0].action_done()
        series[2].action_apply_to_series({"state": "cancelled", "cancel_reason": "Moving away"}, "following")
        self.assertEqual(series.mapped("state"), ["done", "booked", "cancelled", "cancelled"])
        self.assertEqual(series[2:].mapped("cancel_reason"), ["Moving away", "Moving away"])
        self.assertFalse(series[2:].segment_ids, "cancelled occurrences free their time")
        series[1].action_apply_to_series({"state": "cancelled"}, "all")
        self.assertEqual(series.mapped("state"), ["done", "cancelled", "cancelled", "cancelled"], "done stays done")

    def test_series_edit_all_or_nothing(self):
        series = self.weekly_series()
        other = self.env["res.partner"].create({"name": "Other customer"})
        self.book(datetime(2031, 1, 27, 9), staff=self.bruno, partner_id=other.id)
        error = self.raised(ValidationError, series[0].action_apply_to_series, {"employee_id": self.bruno.id}, "all")
        self.assertIn("(Mon 27 Jan 10:00-10:30) overlaps another appointment of Bruno", error)
        self.assertEqual(set(series.mapped("employee_id")), {self.anna}, "no occurrence changed")
        series[0].action_apply_to_series({"start": datetime(2031, 1, 6, 8)}, "all")  # 09:00 local: fine
        error = self.raised(
            ValidationError, series[0].action_apply_to_series, {"start": datetime(2031, 1, 6, 7)}, "all"
        )
        self.assertIn(
            "(Mon 27 Jan 08:00-08:30): Haircut would start before opening (09:00)", error
        )  # 08:00 local: closed
        self.assertEqual(series.mapped("start"), [datetime(2031, 1, day, 8) for day in (6, 13, 20, 27)])

    def test_series_edit_validation(self):
        series = self.weekly_series()
        lone = self.book(datetime(2031, 2, 3, 9))
        for appointment, vals, scope, message in [
            (lone, {"employee_id": self.bruno.id}, "all", "is not part of a series"),
            (series[0], {"employee_id": self.bruno.id}, "everything", "Unknown scope"),
            (series[0], {"state": "done"}, "all", "can only be cancelled"),
            (series[0], {"stop": datetime(2031, 1, 6, 10)}, "following", "change the duration"),
        ]:
            with self.subTest(message), self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                appointment.action_apply_to_series(vals, scope)
            self.assertIn(message, str(caught.exception))

    def test_series_edit_wizard(self):
        series = self.weekly_series()
        action = series[1].action_open_series_edit_wizard()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual((wizard.start, wizard.employee_id), (series[1].start, self.anna))
        wizard.write({"scope": "following", "start": datetime(2031, 1, 13, 13), "employee_id": self.bruno.id})
        wizard.action_apply()
        self.assertEqual(series.mapped("employee_id"), self.anna | self.bruno)
        self.assertEqual(series[1:].mapped("employee_id"), self.bruno)
        self.assertEqual([local(start).hour for start in series.mapped("start")], [10, 14, 14, 14])
        cancel = self.env["randevu.series.edit.wizard"].create(
            {"appointment_id": series[0].id, "scope": "all", "operation": "cancel"}
        )
        cancel.action_apply()
        self.assertEqual(set(series.mapped("state")), {"cancelled"})

    def test_repeat_button(self):
        first = self.book(datetime(2031, 1, 6, 9))
        action = first.action_open_recurrence_wizard()
        self.assertEqual(action["res_model"], "randevu.recurrence.wizard")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({"count": 2})
        wizard.action_preview()
        wizard.action_confirm()
        with self.assertRaises(UserError), self.env.cr.savepoint():
            first.action_open_recurrence_wizard()
