from datetime import date, datetime, time, timedelta

import pytz

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.randevu_calendar.tests.common import RandevuCase

PARIS = pytz.timezone("Europe/Paris")


class SegmentMixin:
    """Customers of the Paris branch with appointments at given days in the past (the
    stylists' working slots of that day, 45 minutes apart, Monday to Saturday)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Segment = cls.env["randevu.segment"]
        cls.Partner = cls.env["res.partner"]
        cls.slots_used = {}

    @classmethod
    def slot(cls, days_ago, team):
        day = date.today() - timedelta(days=days_ago)
        while day.weekday() == 6:  # closed on Sundays
            day -= timedelta(days=1)
        while cls.slots_used.get((team, day), 0) >= 8 * len(team):
            day -= timedelta(days=1 if day.weekday() else 2)
        index = cls.slots_used.get((team, day), 0)
        cls.slots_used[team, day] = index + 1
        staff = team[index % len(team)]
        rank = index // len(team)
        start = datetime.combine(day, time(9 if rank < 4 else 14)) + timedelta(minutes=45 * (rank % 4))
        return PARIS.localize(start).astimezone(pytz.utc).replace(tzinfo=None), staff

    @classmethod
    def client(cls, name, **values):
        return cls.Partner.create({"name": name, "randevu_client": True, **values})

    @classmethod
    def visits(cls, partner, *days_ago, state="done", service=None, branch=None):
        """Appointments of `partner` `days_ago` days ago each, in `state`."""
        vals_list = []
        service = service or cls.haircut
        team = tuple(service.randevu_staff_line_ids.employee_id)
        for days in days_ago:
            start, staff = cls.slot(days, team)
            vals_list.append(
                {
                    "company_id": (branch or cls.branch).id,
                    "service_id": service.id,
                    "employee_id": staff.id,
                    "start": start,
                    "partner_id": partner.id,
                }
            )
        appointments = cls.env["randevu.appointment"].with_context(randevu_no_notify=True).create(vals_list)
        appointments.write({"state": state})
        return appointments

    @classmethod
    def grant(cls, partner, channel="email"):
        return cls.env["randevu.consent"]._randevu_record(partner, channel, "granted", "till", "Text shown at the till")

    def members(self, **criteria):
        segment = self.Segment.create({"name": "Test", "company_id": self.branch.id, **criteria})
        partners = segment._randevu_partners()
        self.assertEqual(segment.partner_count, len(partners))
        self.assertEqual(segment.partner_count, self.Partner.search_count(segment._randevu_domain()))
        return partners & self.people


@tagged("post_install", "-at_install")
class TestSegment(SegmentMixin, RandevuCase):
    """Each criterion on customers made by hand: exactly the expected ones are in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.other_branch = cls._make_branch("Lyon", "Europe/Paris")
        cls.lyon_hours = cls._make_calendar("Lyon hours", cls.other_branch, [(9, 13), (14, 18)])
        cls.carla = cls._make_staff("Carla", cls.other_branch, cls.lyon_hours)
        cls.lyon_cut = cls._make_service("Lyon cut", 0.5, cls.carla)
        cls.manicure = cls._make_service("Manicure", 0.5, cls.anna | cls.bruno)
        # Ada: 3 haircuts, the last 10 days ago, VIP, email consent, born in March.
        cls.ada = cls.client(
            "Ada", email="ada@example.com", category_id=[(6, 0, cls.vip.ids)], randevu_birthday=date(1990, 3, 14)
        )
        cls.visits(cls.ada, 10, 40, 100)
        cls.grant(cls.ada, "email")
        # Bea: one manicure 90 days ago, two no-shows, SMS consent, born in July.
        cls.bea = cls.client("Bea", mobile="+33645000001", randevu_birthday=date(1985, 7, 2))
        cls.visits(cls.bea, 90, service=cls.manicure)
        cls.visits(cls.bea, 20, 30, state="no_show")
        cls.grant(cls.bea, "sms")
        # Cem: 5 visits, the last 70 days ago; email consent given for an old address.
        cls.cem = cls.client("Cem", email="cem.old@example.com")
        cls.visits(cls.cem, 70, 80, 95, 110, 120)
        cls.grant(cls.cem, "email")
        cls.cem.email = "cem@example.com"
        # Dora: never came (marked as a client), VIP, WhatsApp consent.
        cls.dora = cls.client("Dora", mobile="+33645000002", category_id=[(6, 0, cls.vip.ids)])
        cls.grant(cls.dora, "whatsapp")
        # Eva: one visit at Lyon 5 days ago, one cancelled at Paris.
        cls.eva = cls.client("Eva")
        cls.visits(cls.eva, 5, branch=cls.other_branch, service=cls.lyon_cut)
        cls.visits(cls.eva, 3, state="cancelled")
        cls.people = cls.ada | cls.bea | cls.cem | cls.dora | cls.eva

    def test_no_criterion_is_every_client(self):
        self.assertEqual(self.members(), self.people)

    def test_partner_tags(self):
        self.assertEqual(self.members(tag_ids=[(6, 0, self.vip.ids)]), self.ada | self.dora)

    def test_visit_counts(self):
        self.assertEqual(self.members(visits_min=3), self.ada | self.cem)
        self.assertEqual(self.members(visits_min=4), self.cem)
        self.assertEqual(
            self.members(visits_max=1), self.bea | self.dora | self.eva, "no-shows and cancelled are no visits"
        )
        self.assertEqual(self.members(visits_min=1, visits_max=3), self.ada | self.bea | self.eva)

    def test_last_visit(self):
        today = date.today()
        self.assertEqual(self.members(last_visit_after=today - timedelta(days=15)), self.ada | self.eva)
        self.assertEqual(self.members(last_visit_before=today - timedelta(days=60)), self.bea | self.cem)
        self.assertEqual(
            self.members(last_visit_after=today - timedelta(days=75), last_visit_before=today - timedelta(days=60)),
            self.cem,
        )

    def test_no_visit_for_weeks(self):
        self.assertEqual(self.members(no_visit_weeks=8), self.bea | self.cem, "came before, not for 8 weeks")
        self.assertEqual(self.members(no_visit_weeks=9), self.bea | self.cem)
        self.assertEqual(self.members(no_visit_weeks=11), self.bea)

    def test_services_taken(self):
        self.assertEqual(self.members(service_ids=[(6, 0, self.manicure.ids)]), self.bea)
        self.assertEqual(self.members(service_ids=[(6, 0, (self.manicure | self.lyon_cut).ids)]), self.bea | self.eva)

    def test_no_shows(self):
        self.assertEqual(self.members(noshow_min=2), self.bea)
        self.assertEqual(self.members(noshow_min=3), self.Partner)

    def test_branch_visited(self):
        self.assertEqual(self.members(visited_branch_ids=[(6, 0, self.other_branch.ids)]), self.eva)
        self.assertEqual(self.members(visited_branch_ids=[(6, 0, self.branch.ids)]), self.ada | self.bea | self.cem)

    def test_birthday_month(self):
        self.assertEqual(self.members(birthday_month="3"), self.ada)
        self.assertEqual(self.members(birthday_month="7"), self.bea)
        self.assertEqual(self.members(birthday_month="12"), self.Partner)

    def test_consent_for_current_address(self):
        self.assertEqual(self.members(consent_channel="email"), self.ada, "Cem's consent is for his old address")
        self.assertEqual(self.members(consent_channel="sms"), self.bea)
        self.assertEqual(self.members(consent_channel="whatsapp"), self.dora)
        self.env["randevu.consent"]._randevu_record(self.ada, "email", "withdrawn", "backend", "Asked to stop")
        self.assertEqual(self.members(consent_channel="email"), self.Partner)

    def test_combinations(self):
        self.assertEqual(self.members(visits_min=3, consent_channel="email"), self.ada)
        self.assertEqual(self.members(tag_ids=[(6, 0, self.vip.ids)], visits_max=0, visits_min=0), self.ada | self.dora)
        self.assertEqual(self.members(tag_ids=[(6, 0, self.vip.ids)], no_visit_weeks=1), self.ada)
        self.assertEqual(self.members(no_visit_weeks=8, noshow_min=1, consent_channel="sms"), self.bea)
        self.assertEqual(self.members(visits_min=3, birthday_month="7"), self.Partner)

    def test_customers_of_another_branch_are_not_in(self):
        theirs = self.client("Lyon only", company_id=self.other_branch.id)
        self.visits(theirs, 12, 13, 14, branch=self.other_branch, service=self.lyon_cut)
        self.people |= theirs
        self.assertNotIn(theirs, self.members(visits_min=3))
        segment = self.Segment.create({"name": "Lyon", "company_id": self.other_branch.id, "visits_min": 3})
        self.assertIn(theirs, segment._randevu_partners())

    def test_the_count_follows_the_form(self):
        with Form(self.Segment) as form:
            form.name = "Live"
            form.company_id = self.branch
            form.tag_ids.add(self.vip)
            self.assertEqual(form.partner_count, 2)
            form.visits_min = 3
            self.assertEqual(form.partner_count, 1)
            form.birthday_month = "7"
            self.assertEqual(form.partner_count, 0)
            form.birthday_month = False
            form.visits_min = 0
            self.assertEqual(form.partner_count, 2)
            form.consent_channel = "whatsapp"
            self.assertEqual(form.partner_count, 1)
        self.assertEqual(form.record._randevu_partners(), self.dora)

    def test_customers_button_lists_the_members(self):
        segment = self.Segment.create({"name": "VIP", "company_id": self.branch.id, "tag_ids": [(6, 0, self.vip.ids)]})
        action = segment.action_view_partners()
        self.assertEqual(self.Partner.search(action["domain"]), self.ada | self.dora)

    def test_bad_criteria_are_refused(self):
        with self.assertRaises(ValidationError):
            self.Segment.create({"name": "Bad", "visits_min": 5, "visits_max": 2})
        with self.assertRaises(ValidationError):
            self.Segment.create(
                {"name": "Bad", "last_visit_after": date(2026, 5, 1), "last_visit_before": date(2026, 4, 1)}
            )


@tagged("post_install", "-at_install")
class TestSegmentQueries(SegmentMixin, RandevuCase):
    """The count is one query whatever the number of customers (10 or 200), every
    criterion used."""

    def make_customers(self, count):
        vip = self.env["res.partner.category"].create({"name": f"Group {count}"})
        for index in range(count):
            partner = self.client(f"Customer {count}-{index}", email=f"c{count}-{index}@example.com")
            partner.category_id = vip
            if index % 2:
                self.grant(partner)
            self.visits(partner, 20 + index % 30, 70 + index % 30)
        return vip

    def test_fixed_number_of_queries(self):
        small = self.make_customers(10)
        segment_small = self._count(small)
        big = self.make_customers(200)
        segment_big = self._count(big)
        self.assertEqual(segment_small[0], 5)
        self.assertEqual(segment_big[0], 100)
        self.assertEqual(segment_small[1], segment_big[1])
        self.assertEqual(segment_big[1], 1, "one query")

    def _count(self, vip):
        segment = self.Segment.create(
            {
                "name": "All criteria",
                "company_id": self.branch.id,
                "tag_ids": [(6, 0, vip.ids)],
                "visits_min": 1,
                "visits_max": 5,
                "last_visit_after": date.today() - timedelta(days=400),
                "no_visit_weeks": 1,
                "service_ids": [(6, 0, self.haircut.ids)],
                "visited_branch_ids": [(6, 0, self.branch.ids)],
                "consent_channel": "email",
            }
        )
        self.env.flush_all()
        segment._randevu_domain()  # the criteria read (a fixed number of queries too)
        segment.invalidate_recordset(["partner_count"])
        before = self.cr.sql_log_count
        count = segment.partner_count
        return count, self.cr.sql_log_count - before
