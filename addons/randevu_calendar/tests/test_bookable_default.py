from datetime import datetime

from .common import RandevuCase


class TestBookableDefault(RandevuCase):
    """Only staff who take appointments are bookable: installing Randevu into a company
    with many employees does not put them all in the planner or the booking engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 50 employees of the branch created as HR would (nothing about Randevu), with the
        # branch's hours: they work, they just do not take appointments.
        cls.office = cls.env["hr.employee"].create(
            [
                {
                    "name": f"Office employee {n:02d}",
                    "company_id": cls.branch.id,
                    "resource_calendar_id": cls.stylist_hours.id,
                }
                for n in range(50)
            ]
        )
        # A service "anyone at the branch" may do (no staff lines).
        cls.anyone = cls._make_service("Blow-dry", 0.5, cls.env["hr.employee"])

    def test_employees_are_not_bookable_by_default(self):
        self.assertFalse(any(self.office.mapped("randevu_bookable")))
        self.assertTrue(self.anna.randevu_bookable and self.bruno.randevu_bookable, "set explicitly")

    def test_planner_shows_none_of_them(self):
        day = self.env["randevu.day.planner"].get_day(self.branch.id, "2031-01-06")
        self.assertEqual([staff["name"] for staff in day["staff"]], ["Anna", "Bruno"])

    def test_engine_offers_none_of_them(self):
        start, stop = self.branch._randevu_day_bounds(datetime(2031, 1, 6).date())
        slots = self.env["randevu.availability"].find_slots(self.anyone, self.branch, start, stop, now=self.past)
        self.assertTrue(slots)
        offered = {slot["employee_id"] for slot in slots}.union(*(slot["employee_ids"] for slot in slots))
        self.assertEqual(offered, {self.anna.id, self.bruno.id})
