from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.randevu_calendar.models.randevu_availability import RandevuAvailability

from .common import RandevuCase


class PackageCase(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Availability = cls.env["randevu.availability"]
        # Haircut (30 min, 15 min buffer after) then colour (2 h, the room).
        cls.cut_colour = cls._make_package("Cut + colour", cls.haircut, cls.colour)
        # Colour (no buffer after) then haircut: the colourist can go on with the cut.
        cls.colour_cut = cls._make_package("Colour + cut", cls.colour, cls.haircut)

    @classmethod
    def _make_package(cls, name, *services):
        return cls.env["product.template"].create(
            {
                "name": name,
                "type": "service",
                "list_price": 70,
                "is_randevu_package": True,
                "randevu_package_line_ids": [
                    (0, 0, {"service_tmpl_id": service.id, "sequence": index}) for index, service in enumerate(services)
                ],
            }
        )

    def chains(self, package, start, end=None, **kwargs):
        end = end or start + timedelta(seconds=1)
        return self.Availability.find_package_slots(package, self.branch, start, end, now=self.past, **kwargs)


@tagged("post_install", "-at_install")
class TestPackageSlots(PackageCase):
    def test_chains_are_consecutive(self):
        day = self.monday + timedelta(hours=8)  # 09:00 in Paris
        chains = self.chains(self.cut_colour, day, day + timedelta(hours=4))
        self.assertTrue(chains)
        for chain in chains:
            cut, colour = chain["steps"]
            self.assertEqual(cut["start"], chain["start"])
            self.assertEqual(cut["stop"], cut["start"] + timedelta(minutes=30))
            self.assertEqual(colour["start"], cut["stop"], "the colour starts when the cut ends")
            self.assertEqual(colour["stop"], colour["start"] + timedelta(hours=2))
            self.assertEqual(chain["stop"], colour["stop"])
            self.assertEqual(len(colour["resource_ids"]), 1)
        self.assertEqual([chain["start"] for chain in chains], sorted(chain["start"] for chain in chains))

    def test_buffer_after_sends_next_step_to_someone_else(self):
        """Anna's 15-minute buffer after her cut is still hers: the colour right at the
        end of the cut goes to Bruno."""
        chain = self.chains(self.cut_colour, self.monday + timedelta(hours=8))[0]
        self.assertEqual(chain["steps"][0]["employee_id"], self.anna.id)
        self.assertEqual(chain["steps"][1]["employee_id"], self.bruno.id)

    def test_same_staff_preferred_when_free(self):
        """Bruno colours from 09:00 to 11:00 and is free at 11:00: he does the cut too,
        although "anyone" alone would give it to Anna (first on the staff list)."""
        start = self.monday + timedelta(hours=8)
        chain = self.chains(self.colour_cut, start, staff=self.bruno)[0]
        self.assertEqual([step["employee_id"] for step in chain["steps"]], [self.bruno.id, self.bruno.id])
        self.assertEqual(chain["steps"][1]["start"], start + timedelta(hours=2))

    def test_step_goes_to_other_staff_when_first_is_busy(self):
        start = self.monday + timedelta(hours=8)
        self.book(start + timedelta(hours=2), staff=self.bruno, partner_id=False)  # Bruno cuts at 11:00
        chain = self.chains(self.colour_cut, start, staff=self.bruno)[0]
        self.assertEqual([step["employee_id"] for step in chain["steps"]], [self.bruno.id, self.anna.id])

    def test_no_chain_when_a_step_cannot_fit(self):
        start = self.monday + timedelta(hours=8)
        self.assertTrue(self.chains(self.cut_colour, start))
        # Bruno busy when the colour would start; Anna is in her buffer after the cut.
        self.book(start + timedelta(minutes=30), staff=self.bruno, partner_id=False)
        self.assertFalse(self.chains(self.cut_colour, start))
        # The colour room taken instead: no chain either.
        other = self.monday + timedelta(days=1, hours=8)
        self.assertTrue(self.chains(self.cut_colour, other))
        self.book(other + timedelta(hours=1), staff=self.anna, service=self.colour, partner_id=False)
        self.assertFalse(self.chains(self.cut_colour, other))

    def test_package_constraints(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.cut_colour.is_appointment_service = True
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.haircut.is_randevu_package = True
        shampoo = self.env["product.template"].create({"name": "Shampoo", "type": "consu"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.cut_colour.randevu_package_line_ids = [(0, 0, {"service_tmpl_id": shampoo.id})]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.haircut.is_appointment_service = False  # listed in a package

    def test_query_count_independent_of_data_size(self):
        """find_package_slots reads a fixed number of queries for 1 or 12 days and no
        appointment or a few hundred."""
        week = self.monday + timedelta(days=7)

        def count(days):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            chains = self.chains(self.cut_colour, week, week + timedelta(days=days))
            return self.env.cr.sql_log_count - before, chains

        self.chains(self.cut_colour, week, week + timedelta(days=1))  # warm-up
        small, chains = count(1)
        self.assertTrue(chains)
        vals = []
        for day in range(12):
            for hour in (8, 10, 13, 15):
                for employee in self.anna | self.bruno if hour == 8 else self.anna:
                    vals.append(
                        {
                            "company_id": self.branch.id,
                            "service_id": self.haircut.id,
                            "employee_id": employee.id,
                            "start": week + timedelta(days=day, hours=hour),
                        }
                    )
        vals = [v for v in vals if v["start"].weekday() < 6]
        self.env["randevu.appointment"].create(vals)
        count(1)  # warm-up again: registry caches as a running server has them
        large, chains = count(14)
        self.assertTrue(chains)
        self.assertEqual(large, small, "queries must not grow with days or appointments")
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            self.chains(self.cut_colour, week, week + timedelta(days=14))


@tagged("post_install", "-at_install")
class TestBookPackage(PackageCase):
    def test_book_package_in_one_visit(self):
        start = self.monday + timedelta(hours=8)
        appointments = self.Availability.book_package(self.cut_colour, self.branch, start, self.customer, now=self.past)
        self.assertEqual(appointments.service_id.ids, [self.haircut.id, self.colour.id])
        cut, colour = appointments
        self.assertEqual(colour.start, cut.stop)
        self.assertEqual((cut.employee_id, colour.employee_id), (self.anna, self.bruno))
        self.assertEqual(colour.resource_ids, self.room)
        visit = cut.visit_id
        self.assertTrue(visit)
        self.assertEqual(colour.visit_id, visit)
        self.assertEqual(visit.appointment_ids, appointments)
        self.assertEqual((visit.start, visit.stop), (start, start + timedelta(hours=2, minutes=30)))
        self.assertEqual(visit.amount, 80)
        self.assertEqual(visit.partner_id, self.customer)

    def test_book_package_all_or_nothing(self):
        start = self.monday + timedelta(hours=8)
        Appointment = self.env["randevu.appointment"]
        stale = self.chains(self.cut_colour, start)
        # Taken meanwhile: Bruno, who was to do the colour.
        self.book(start + timedelta(minutes=30), staff=self.bruno, partner_id=False)
        with patch.object(RandevuAvailability, "find_package_slots", return_value=stale):
            with self.assertRaises(ValidationError):
                self.Availability.book_package(self.cut_colour, self.branch, start, self.customer, now=self.past)
        self.assertFalse(Appointment.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.env["randevu.visit"].search([("partner_id", "=", self.customer.id)]))
        # Found busy by the engine: a clear message, nothing booked.
        with self.assertRaises(UserError):
            self.Availability.book_package(
                self.cut_colour, self.branch, start + timedelta(minutes=30), self.customer, now=self.past
            )
        self.assertFalse(Appointment.search([("partner_id", "=", self.customer.id)]))


@tagged("post_install", "-at_install")
class TestVisits(PackageCase):
    def test_consecutive_appointments_share_a_visit(self):
        start = self.monday + timedelta(hours=9)
        cut = self.book(start)
        colour = self.book(cut.stop, staff=self.bruno, service=self.colour)
        self.assertTrue(cut.visit_id)
        self.assertEqual(colour.visit_id, cut.visit_id)
        # Booked before the others, ending when the cut starts: the same visit.
        earlier = self.book(start - timedelta(minutes=30), staff=self.bruno)
        self.assertEqual(earlier.visit_id, cut.visit_id)
        self.assertEqual(cut.visit_id.appointment_ids, cut | colour | earlier)

    def test_moving_regroups_visits(self):
        start = self.monday + timedelta(hours=8)
        cut = self.book(start)
        blow_dry = self.book(cut.stop, staff=self.bruno)
        visit = cut.visit_id
        self.assertEqual(blow_dry.visit_id, visit)
        # Moved to the afternoon: a visit of its own; the cut keeps the first one.
        blow_dry.start = start + timedelta(hours=5)
        self.assertNotEqual(blow_dry.visit_id, visit)
        self.assertTrue(blow_dry.visit_id)
        self.assertEqual(visit.appointment_ids, cut)
        # Moved back next to the cut: the same visit again, and the afternoon one is gone.
        afternoon_visit = blow_dry.visit_id
        blow_dry.start = cut.stop
        self.assertEqual(blow_dry.visit_id, visit)
        self.assertFalse(afternoon_visit.exists())
        self.assertEqual((visit.start, visit.stop), (cut.start, blow_dry.stop))

    def test_moving_the_middle_splits_the_chain(self):
        start = self.monday + timedelta(hours=8)
        first = self.book(start)
        middle = self.book(first.stop, staff=self.bruno)
        last = self.book(middle.stop)
        visit = first.visit_id
        self.assertEqual(visit.appointment_ids, first | middle | last)
        middle.start = start + timedelta(hours=6)
        self.assertEqual(first.visit_id, visit)
        self.assertEqual(visit.appointment_ids, first)
        self.assertNotEqual(last.visit_id, visit)
        self.assertNotEqual(middle.visit_id, last.visit_id)
        self.assertTrue(last.visit_id and middle.visit_id)

    def test_gap_makes_a_new_visit(self):
        start = self.monday + timedelta(hours=8)
        morning = self.book(start)
        afternoon = self.book(start + timedelta(hours=5))
        self.assertTrue(afternoon.visit_id)
        self.assertNotEqual(afternoon.visit_id, morning.visit_id)
        # Another customer right after: their own visit.
        other = self.env["res.partner"].create({"name": "Other customer"})
        next_one = self.book(morning.stop, staff=self.bruno, partner_id=other.id)
        self.assertNotEqual(next_one.visit_id, morning.visit_id)
        # After a cancelled appointment: a new visit too.
        cancelled = self.book(start + timedelta(days=1))
        cancelled.action_cancel()
        after = self.book(cancelled.stop, staff=self.bruno)
        self.assertNotEqual(after.visit_id, cancelled.visit_id)

    def test_walk_ins_and_blocked_time_have_no_visit(self):
        start = self.monday + timedelta(hours=8)
        walk_in = self.book(start, partner_id=False)
        blocked = self.book(start + timedelta(hours=2), service=self.env["product.template"], partner_id=False)
        self.assertFalse(walk_in.visit_id)
        self.assertFalse(blocked.visit_id)

    def test_batch_create_groups_in_one_search(self):
        start = self.monday + timedelta(hours=8)
        vals = [
            {
                "company_id": self.branch.id,
                "service_id": self.haircut.id,
                "employee_id": employee.id,
                "start": start + timedelta(minutes=30 * index),
                "partner_id": self.customer.id,
            }
            for index, employee in enumerate([self.anna, self.bruno])
        ]
        vals.append(dict(vals[0], start=start + timedelta(hours=5)))
        first, second, third = self.env["randevu.appointment"].create(vals)
        self.assertEqual(first.visit_id, second.visit_id)
        self.assertNotEqual(third.visit_id, first.visit_id)
        self.assertEqual(self.env["randevu.visit"].search_count([("partner_id", "=", self.customer.id)]), 2)

    def test_visit_totals_and_state(self):
        start = self.monday + timedelta(hours=8)
        cut = self.book(start)
        colour = self.book(cut.stop, staff=self.bruno, service=self.colour, price=90)
        visit = cut.visit_id
        self.assertEqual(visit.amount, 130)
        self.assertEqual(visit.appointment_count, 2)
        self.assertEqual((visit.start, visit.stop), (cut.start, colour.stop))
        self.assertEqual(visit.state, "booked")
        cut.action_arrive()
        self.assertEqual(visit.state, "in_progress")
        cut.action_done()
        colour.action_done()
        self.assertEqual(visit.state, "done")
        other_visit = self.book(start + timedelta(days=1)).visit_id
        other_visit.appointment_ids.action_cancel()
        self.assertEqual(other_visit.state, "cancelled")
        self.assertEqual(other_visit.amount, 0)


@tagged("post_install", "-at_install")
class TestVisitAccess(PackageCase):
    def test_staff_booking_builds_visits_and_branches_are_isolated(self):
        """A staff member (read-only on visits) books the cut right after a colleague's
        colour: it joins that visit. A receptionist of another branch sees no visit."""
        anna_user = self.make_user("rv_pkg_anna", "base.group_user,randevu_calendar.group_randevu_staff", self.branch)
        self.anna.user_id = anna_user
        other_branch = self._make_branch("Lyon", "Europe/Paris")
        outsider = self.make_user(
            "rv_pkg_outsider", "base.group_user,randevu_calendar.group_randevu_user", other_branch
        )
        start = self.monday + timedelta(hours=8)
        colour = self.book(start, staff=self.bruno, service=self.colour)
        cut = (
            self.env["randevu.appointment"]
            .with_user(anna_user)
            .create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": colour.stop,
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertEqual(cut.visit_id, colour.visit_id)
        self.assertEqual(cut.with_user(anna_user).visit_id.amount, 80)
        self.assertFalse(self.env["randevu.visit"].with_user(outsider).search([]))
