from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RandevuPosCase


@tagged("post_install", "-at_install")
class TestPosLoading(RandevuPosCase):
    """What the till loads: today's appointments of its branch (the Appointments list),
    the performers, and nothing of Randevu for a cashier who is not a Randevu user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        lyon_hours = cls._make_calendar("Lyon hours", cls.lyon, [(9, 18)])
        cls.lea = cls._make_staff("Léa", cls.lyon, lyon_hours)
        cls.lyon_cut = cls._make_service("Lyon cut", 0.5, cls.lea)
        cls.other = cls.env["res.partner"].create({"name": "Hugo Moreau", "phone": "+33612345678"})

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def test_phones_in_the_branch_format(self):
        """Phones are shown as the branch writes them: national for its country's numbers,
        international for others, as typed when not a number."""
        turkish = self.env["res.partner"].create({"name": "Zeynep Arslan", "phone": "+905321234567"})
        unknown = self.env["res.partner"].create({"name": "Ana Lopez", "phone": "ask at the desk"})
        for hour, partner in ((13, turkish), (14, unknown)):
            self.book(self.local(hour), staff=self.anna, service=self.cut, hours_override=True, partner_id=partner.id)
        phones = {row["partner_name"]: row["partner_phone"] for row in self.rows()}
        self.assertEqual(phones["Chloé Martin"], "06 45 01 92 83")
        self.assertEqual(phones["Zeynep Arslan"], "+90 532 123 45 67")
        self.assertEqual(phones["Ana Lopez"], "ask at the desk")

    def rows(self, query=None, user=None):
        return self.config.with_user(user or self.desk).randevu_pos_appointments(query)

    def test_today_at_the_branch_only(self):
        day_after = self.today + timedelta(days=1)
        day_before = self.today - timedelta(days=1)
        self.book(
            self.local(12), staff=self.bruno, service=self.blow_dry, hours_override=True, partner_id=self.other.id
        )
        self.book(self.local(0, 5, day=day_after), staff=self.anna, service=self.cut, hours_override=True)
        self.book(self.local(23, 50, day=day_before), staff=self.anna, service=self.cut, hours_override=True)
        cancelled = self.book(self.local(15), staff=self.anna, service=self.cut, hours_override=True)
        cancelled.action_cancel()
        self.book(self.local(16), staff=self.anna, service=False, partner_id=False, hours_override=True)  # blocked time
        self.env["randevu.appointment"].create(
            {
                "company_id": self.lyon.id,
                "service_id": self.lyon_cut.id,
                "employee_id": self.lea.id,
                "start": self.local(11),
                "partner_id": self.customer.id,
                "hours_override": True,
            }
        )
        rows = self.rows()
        self.assertEqual([row["time"] for row in rows], ["10:00", "10:30", "12:00"])
        first, second, third = rows
        self.assertEqual(first["id"], self.cut_appt.id)
        self.assertEqual(
            (first["service"], first["product_id"], first["price"]),
            ("Cut", self.cut.product_variant_id.id, 28),
        )
        self.assertEqual((first["employee_id"], first["employee_name"]), (self.anna.id, "Anna"))
        self.assertEqual((first["partner_id"], first["partner_phone"]), (self.customer.id, "06 45 01 92 83"))
        self.assertEqual((first["state_label"], first["payment_label"]), ("Arrived", "Not Paid"))
        self.assertEqual(second["state_label"], "In Progress")
        self.assertEqual(first["visit_id"], second["visit_id"], "the cut and the blow-dry are one visit")
        self.assertTrue(first["visit_id"])
        self.assertNotEqual(third["visit_id"], first["visit_id"])
        self.assertTrue(all(row["pickable"] for row in rows))

    def test_search_by_name_or_phone(self):
        self.book(
            self.local(12), staff=self.bruno, service=self.blow_dry, hours_override=True, partner_id=self.other.id
        )
        self.assertEqual({row["partner_name"] for row in self.rows("hugo")}, {"Hugo Moreau"})
        self.assertEqual(len(self.rows("chloé")), 2)
        for typed in ("06 45 01 92 83", "+33 6 45 01 92 83", "0645019283"):
            with self.subTest(typed=typed):
                self.assertEqual({row["id"] for row in self.rows(typed)}, {self.cut_appt.id, self.blow_appt.id})
        self.assertEqual(self.rows("06 45 01 92"), [], "part of a number matches nobody")
        self.assertEqual(self.rows("12345"), [], "not a valid number: nobody")

    def test_paid_is_shown_not_pickable(self):
        self.cut_appt.payment_state = "paid"
        row = next(row for row in self.rows() if row["id"] == self.cut_appt.id)
        self.assertEqual((row["payment_label"], row["pickable"]), ("Paid", False))

    def test_query_count_does_not_grow(self):
        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = self.rows()
            return self.env.cr.sql_log_count - before, len(rows)

        count()  # each size once first: Odoo's caches (groups, rules) warm
        few, size = count()
        customers = self.env["res.partner"].create([{"name": f"Client {index}"} for index in range(6)])
        for index, customer in enumerate(customers):
            staff = self.anna if index % 2 else self.bruno
            self.book(
                self.local(12 + index // 2, 30 * (index % 2)),
                staff=staff,
                service=self.cut if index % 2 else self.blow_dry,
                hours_override=True,
                partner_id=customer.id,
            )
        count()
        many, more = count()
        self.assertEqual((size, more), (2, 8))
        self.assertEqual(many, few, "queries do not grow with the appointments")

    def test_access(self):
        pos = "base.group_user,point_of_sale.group_pos_user"
        staff_user = self.make_user("pos_stylist", f"{pos},randevu_calendar.group_randevu_staff", self.branch)
        with self.assertRaises(AccessError):
            self.rows(user=staff_user)
        lyon_desk = self.make_user("pos_lyon", f"{pos},randevu_calendar.group_randevu_user", self.lyon)
        with self.assertRaises(AccessError):
            self.rows(user=lyon_desk)

    def test_load_data(self):
        session = self.open_session()
        wanted = ["pos.config", "hr.employee", "randevu.appointment", "pos.order", "pos.order.line"]
        data = session.with_user(self.desk).load_data(wanted)
        self.assertEqual(data["randevu.appointment"]["data"], [], "read when picked, not at start")
        performers = {row["name"]: row for row in data["hr.employee"]["data"]}
        self.assertLessEqual({"Anna", "Bruno"}, set(performers))
        self.assertNotIn("Léa", performers, "another branch's staff")
        self.assertTrue(performers["Anna"]["_randevu_performer"])
        self.assertNotIn(performers["Anna"]["_pin"], (False, None, ""), "a performer cannot log in as cashier")
        self.assertIn("randevu_employee_id", data["pos.order.line"]["fields"])
        self.assertIn("randevu_appointment_id", data["pos.order.line"]["fields"])
        self.assertTrue(data["pos.config"]["data"][0]["_randevu_can_check_out"])
        cashier = self.make_user("pos_cashier", "base.group_user,point_of_sale.group_pos_user", self.branch)
        data = session.with_user(cashier).load_data(wanted)
        self.assertNotIn("randevu_appointment_id", data["pos.order.line"]["fields"])
        self.assertFalse(data["pos.config"]["data"][0]["_randevu_can_check_out"])
