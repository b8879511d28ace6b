from datetime import timedelta

import psycopg2.errors

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuCase


def at(day, hour, minute=0):
    return day + timedelta(hours=hour, minutes=minute)


@tagged("post_install", "-at_install")
class TestBookingRules(RandevuCase):
    # Paris is UTC+1 in January: 08:00 UTC is 09:00 at the salon.

    def test_overlap_refused_with_clear_message(self):
        first = self.book(at(self.monday, 9))
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.book(at(self.monday, 9, 15))
        self.assertIn("overlaps another appointment of Anna", str(caught.exception))
        self.assertEqual(first.segment_ids.mapped("employee_id"), self.anna)

    def test_back_to_back_and_buffer(self):
        # Haircut 30 min + 15 min buffer after: held 09:00-09:45 (UTC 08:00-08:45).
        self.book(at(self.monday, 8))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.book(at(self.monday, 8, 30))  # starts inside the buffer
        second = self.book(at(self.monday, 8, 45))
        self.assertEqual(second.state, "booked")

    def test_other_staff_same_time_allowed(self):
        self.book(at(self.monday, 9))
        other = self.book(at(self.monday, 9), staff=self.bruno)
        self.assertEqual(other.employee_id, self.bruno)

    def test_processing_gap_frees_staff_not_room(self):
        colour = self.book(at(self.monday, 8), service=self.colour)  # 09:00-11:00, processing 09:30-10:30
        self.assertEqual(len(colour.segment_ids.filtered("employee_id")), 2)
        haircut = self.book(at(self.monday, 8, 30))  # Anna cuts during the processing time
        self.assertTrue(haircut.id)
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.book(at(self.monday, 9), staff=self.bruno, service=self.colour)  # the colour room is taken
        self.assertIn("Colour room", str(caught.exception))

    def test_cancel_frees_the_slot(self):
        first = self.book(at(self.monday, 9))
        first.action_cancel()
        self.assertFalse(first.segment_ids)
        self.assertTrue(self.book(at(self.monday, 9)))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            first.action_reset()  # the slot is gone now

    def test_database_refuses_overlap_without_python_checks(self):
        first = self.book(at(self.monday, 9))
        with self.assertRaises(psycopg2.errors.ExclusionViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO randevu_appointment_segment (appointment_id, employee_id, start, stop)"
                " VALUES (%s, %s, %s, %s)",
                [first.id, self.anna.id, at(self.monday, 9, 10), at(self.monday, 9, 20)],
            )

    def test_outside_hours_break_leave_closure(self):
        """Each refusal names its real reason (times are Paris local, UTC+1)."""
        carla = self._make_staff(
            "Carla", self.branch, self._make_calendar("Weekdays", self.branch, [(9, 18)], days=range(5))
        )
        self.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": carla.id})]
        for start, staff, reason in [
            (at(self.monday, 7), self.anna, "Haircut would start before opening (09:00)"),
            (at(self.monday, 12), self.anna, "Haircut would run into Anna's break (13:00-14:00)"),
            (
                at(self.monday, 11, 30),
                self.anna,
                "the 15-min buffer after Haircut would run into Anna's break (13:00-14:00)",
            ),
            (at(self.monday, 16, 30), self.anna, "the 15-min buffer after Haircut would end after closing (18:00)"),
            (at(self.monday, 16, 45), self.anna, "Haircut would end after closing (18:00)"),
            (at(self.monday + timedelta(days=6), 9), self.anna, "Salon Paris is closed that day"),  # Sunday
            (at(self.monday + timedelta(days=5), 9), carla, "Carla does not work that day"),  # Saturday
        ]:
            with self.subTest(reason), self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                self.book(start, staff=staff)
            self.assertIn(f"): {reason}.", str(caught.exception))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Anna's day off",
                "resource_id": self.anna.resource_id.id,
                "date_from": self.monday,
                "date_to": self.monday + timedelta(days=1),
            }
        )
        with self.assertRaisesRegex(ValidationError, "Anna is on leave then"), self.env.cr.savepoint():
            self.book(at(self.monday, 9))
        tuesday = self.monday + timedelta(days=1)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.branch.resource_calendar_id.id,
                "date_from": tuesday,
                "date_to": tuesday + timedelta(days=1),
            }
        )
        with (
            self.assertRaisesRegex(ValidationError, r"Salon Paris is closed then \(Public holiday\)"),
            self.env.cr.savepoint(),
        ):
            self.book(at(tuesday, 9), staff=self.bruno)

    def test_refusal_reasons_are_translated(self):
        for lang, closing in (("fr_FR", "fermeture"), ("tr_TR", "kapan")):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], [lang], overwrite=True)
                self.customer.lang = lang
                with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                    self.env["randevu.appointment"].with_context(lang=lang).create(
                        {
                            "company_id": self.branch.id,
                            "service_id": self.haircut.id,
                            "employee_id": self.anna.id,
                            "start": at(self.monday, 16, 30),
                            "partner_id": self.customer.id,
                        }
                    )
                self.assertIn(closing, str(caught.exception))

    def test_eligibility(self):
        carla = self._make_staff("Carla", self.branch, self.stylist_hours)
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.book(at(self.monday, 9), staff=carla)
        self.assertIn("Carla does not perform Haircut", str(caught.exception))
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.book(at(self.monday, 9), service=self.colour, resource_ids=[(5, 0, 0)])
        self.assertIn("needs one of: Colour room", str(caught.exception))

    def test_manager_override_hours_not_overlaps(self):
        manager = self.make_user("rv_manager", "base.group_user,randevu_calendar.group_randevu_manager", self.branch)
        receptionist = self.make_user(
            "rv_reception", "base.group_user,randevu_calendar.group_randevu_user", self.branch
        )
        evening = at(self.monday, 18)  # 19:00 local, after closing
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["randevu.appointment"].with_user(receptionist).create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": evening + timedelta(hours=1),
                    "hours_override": True,
                }
            )
        appointment = (
            self.env["randevu.appointment"]
            .with_user(manager)
            .create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": evening,
                    "hours_override": True,
                }
            )
        )
        self.assertIn("overridden by", appointment.message_ids[0].body)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["randevu.appointment"].with_user(manager).create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": evening,
                    "hours_override": True,
                }
            )

    def test_move_and_resize(self):
        appointment = self.book(at(self.monday, 9))
        appointment.write({"start": at(self.monday, 10), "stop": at(self.monday, 11)})
        self.assertAlmostEqual(appointment.duration, 1.0)
        self.assertEqual(appointment.segment_ids.filtered("employee_id").start, at(self.monday, 10))
        appointment.write({"stop": at(self.monday, 10, 30)})
        self.assertAlmostEqual(appointment.duration, 0.5)
        self.assertTrue(self.book(at(self.monday, 9)), "the old time is free again")

    def test_changes_are_tracked(self):
        appointment = self.book(at(self.monday, 9)).with_context(tracking_disable=False)
        appointment.write({"start": at(self.monday, 10), "employee_id": self.bruno.id})
        appointment.action_confirm()
        tracked = appointment.message_ids.tracking_value_ids.field_id.mapped("name")
        for field in ("start", "employee_id", "state"):
            self.assertIn(field, tracked)

    def test_customer_note_carried_and_calendar_event(self):
        self.customer.randevu_customer_note = "Allergic to ammonia"
        user = self.make_user("rv_anna", "base.group_user,randevu_calendar.group_randevu_staff", self.branch)
        self.anna.user_id = user
        appointment = self.book(at(self.monday, 9))
        self.assertEqual(appointment.customer_note, "Allergic to ammonia")
        self.assertFalse(appointment.calendar_event_id, "the booking does not write the staff calendar itself")
        self.assertTrue(appointment.calendar_sync_pending)
        self.run_calendar_sync()
        event = appointment.calendar_event_id
        self.assertEqual((event.start, event.stop, event.user_id), (appointment.start, appointment.stop, user))
        self.assertFalse(appointment.calendar_sync_pending)
        appointment.write({"start": at(self.monday, 10)})
        self.assertEqual(self.run_calendar_sync(), 1, "only the moved appointment is written again")
        self.assertEqual(event.start, at(self.monday, 10))
        appointment.action_cancel()
        self.run_calendar_sync()
        self.assertFalse(event.exists(), "a cancelled appointment leaves the staff calendar")

    def test_calendar_sync_triggered_after_the_change(self):
        """A booking, a move and a cancellation each wake the calendar cron for right
        after their commit (ir.cron._trigger) instead of writing the event themselves."""
        cron = self.env.ref("randevu_calendar.ir_cron_randevu_calendar_sync")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        without_user = self.book(at(self.monday, 9))
        self.assertFalse(without_user.calendar_sync_pending, "a staff member without a user has no calendar")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        without_user.action_cancel()
        self.anna.user_id = self.make_user(
            "rv_anna", "base.group_user,randevu_calendar.group_randevu_staff", self.branch
        )
        appointment = self.book(at(self.monday, 9))
        self.assertTrue(appointment.calendar_sync_pending)
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        self.run_calendar_sync()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        appointment.write({"internal_note": "Prefers the window seat"})
        self.assertFalse(appointment.calendar_sync_pending, "a change the calendar does not show asks for nothing")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)

    def test_calendar_check_of_a_move_is_one_batch(self):
        """Whether a change touches a staff calendar is read for all the moved
        appointments at once: as many queries for two staff members as for eight."""
        self.anna.user_id = self.make_user(
            "rv_anna", "base.group_user,randevu_calendar.group_randevu_staff", self.branch
        )
        few = self.book(at(self.monday, 9)) | self.book(at(self.monday, 10), staff=self.bruno)
        many = self.env["randevu.appointment"]
        for index in range(8):
            staff = self._make_staff(f"Stylist {index}", self.branch, self.stylist_hours)
            self.haircut.randevu_staff_line_ids = [Command.create({"employee_id": staff.id})]
            many |= self.book(at(self.monday, 9), staff=staff)

        def queries(appointments, expected):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(appointments._randevu_calendar_touched({"start": at(self.monday, 16)}), expected)
            return self.cr.sql_log_count - before

        self.assertEqual(queries(few, True), queries(many, False), "none of the eight has a user")

    def test_quick_customer_by_phone(self):
        Partner = self.env["res.partner"]
        france = self.env.ref("base.fr")
        same = Partner._randevu_find_or_create("Chloe M.", "06 45 01 92 83", country=france)
        self.assertEqual(same, self.customer, "the same phone in national format finds the existing customer")
        new = Partner._randevu_find_or_create("Léa", "+33 6 45 01 92 84", email="Lea@Example.com")
        self.assertEqual(new.phone, "+33645019284")
        self.assertEqual(Partner._randevu_find_or_create("Lea", email="lea@example.com"), new)
        with self.assertRaises(ValidationError):
            Partner._randevu_find_or_create("Bad", "12", country=france)

    def test_status_flow(self):
        appointment = self.book(at(self.monday, 9))
        appointment.action_confirm()
        appointment.action_arrive()
        appointment.action_start()
        appointment.action_done()
        self.assertEqual(appointment.state, "done")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            appointment.action_confirm()
