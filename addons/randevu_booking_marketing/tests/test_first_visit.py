import html
from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_booking.tests.common import RandevuBookingCase

from .test_discount_code import discount_reward

RETURNING = "This discount code is for a first visit only"


@tagged("post_install", "-at_install")
class TestFirstVisitOffers(RandevuBookingCase):
    """Through the real website booking route: a program *First Visit Only* gives its
    discount to a customer who has never come nor booked, at any branch (the customer
    the booking finds or creates: exact phone or email), automatically for a promotion
    applied without a code, or by its code; a returning customer gets the full price,
    or a clear refusal of the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create({"title": "Welcome"})
        Program = cls.env["loyalty.program"]
        cls.welcome = Program.create(
            {
                "name": "Welcome 25%",
                "program_type": "promotion",
                "trigger": "auto",
                "company_id": cls.branch.id,
                "randevu_first_visit": True,
                "randevu_campaign_id": cls.campaign.id,
                "rule_ids": [Command.create({"mode": "auto"})],
                "reward_ids": [discount_reward(discount=25, discount_mode="percent")],
            }
        )
        cls.hello = Program.create(
            {
                "name": "Hello 5",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "randevu_first_visit": True,
                "rule_ids": [Command.create({"mode": "with_code", "code": "HELLO5"})],
                "reward_ids": [discount_reward(discount=5, discount_mode="per_order")],
            }
        )
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        lyon_hours = cls._make_calendar("Lyon hours", cls.lyon, [(9, 18)])
        cls.lea = cls._make_staff("Léa", cls.lyon, lyon_hours)
        cls.lyon_cut = cls._make_service("Lyon haircut", 0.5, cls.lea)
        cls.haircut.list_price = 40

    def known_visitor(self):
        """The visitor of booking_data as a known customer (Camille Guest, 06 98 76 54 01,
        camille.guest@example.com): the one the booking finds."""
        return self.env["res.partner"].create(
            {"name": "Camille Guest", "phone": "+33698765401", "email": "camille.guest@example.com"}
        )

    def book(self, **values):
        last_id = self.Appointment.search([], order="id desc", limit=1).id
        response = self.post_booking(**values)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.env.invalidate_all()
        appointment = self.Appointment.search([("id", ">", last_id)])
        self.assertEqual(len(appointment), 1)
        return appointment

    def visit(self, partner, state, branch=None):
        """An appointment of `partner` at `branch` (Paris), then put in `state`."""
        branch = branch or self.branch
        start = datetime.combine(self.day + timedelta(days=7), datetime.min.time()) + timedelta(hours=9)
        appointment = self.Appointment.create(
            {
                "company_id": branch.id,
                "service_id": (self.haircut if branch == self.branch else self.lyon_cut).id,
                "employee_id": (self.anna if branch == self.branch else self.lea).id,
                "start": start,
                "partner_id": partner.id,
            }
        )
        appointment.write({"state": state})
        return appointment

    def assert_refused(self, code, message):
        appointments = self.Appointment.search_count([])
        response = self.post_booking(randevu_discount_code=code)
        self.assertEqual(response.status_code, 400, response.text[:2000])
        self.assertIn(message, html.unescape(response.text))
        self.assertEqual(self.Appointment.search_count([]), appointments, "nothing booked")

    def test_new_customer_gets_the_offer_without_a_code(self):
        appointment = self.book()
        self.assertRecordValues(
            appointment,
            [
                {
                    "price": 30,
                    "randevu_discount_amount": 10,
                    "randevu_loyalty_program_id": self.welcome.id,
                    "randevu_discount_code": False,
                    "campaign_id": self.campaign.id,
                }
            ],
        )
        # Her second booking is no first visit: she has one to come.
        second = self.book(start=self.booking_data(start=self.local(self.day, 15))["start"])
        self.assertEqual(second.partner_id, appointment.partner_id, "the customer the booking found")
        self.assertRecordValues(
            second, [{"price": 40, "randevu_discount_amount": 0, "randevu_loyalty_program_id": False}]
        )

    def test_known_customer_without_visits_gets_the_offer(self):
        """Known (a record without any visit, or only cancelled ones and no-shows): still a first visit."""
        camille = self.known_visitor()
        self.visit(camille, "cancelled")
        appointment = self.book()
        self.assertEqual(appointment.partner_id, camille)
        self.assertRecordValues(appointment, [{"price": 30, "randevu_loyalty_program_id": self.welcome.id}])

    def test_returning_customer_pays_the_full_price(self):
        camille = self.known_visitor()
        self.visit(camille, "done")
        appointment = self.book()
        self.assertEqual(appointment.partner_id, camille)
        self.assertRecordValues(appointment, [{"price": 40, "randevu_loyalty_program_id": False, "campaign_id": False}])

    def test_first_visit_code_is_refused_to_a_returning_customer(self):
        self.visit(self.known_visitor(), "done")
        self.assert_refused("HELLO5", RETURNING)

    def test_refusal_is_in_the_visitors_language(self):
        self._website_in_tr_and_fr()
        self.env["ir.module.module"]._load_module_terms(["randevu_booking_marketing"], ["fr_FR"], overwrite=True)
        self.visit(self.known_visitor(), "done")
        response = self.url_open(
            f"/fr{self.url(self.haircut, 'confirm')}",
            data=self.booking_data(randevu_discount_code="HELLO5"),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400, response.text[:2000])
        self.assertIn("Ce code de réduction est réservé à une première visite", html.unescape(response.text))

    def test_first_visit_code_is_refused_with_a_booking_to_come_at_another_branch(self):
        self.visit(self.known_visitor(), "confirmed", branch=self.lyon)
        self.assert_refused("HELLO5", RETURNING)

    def test_first_visit_code_for_a_new_customer(self):
        """The code wins over the offer applied without one (one discount a booking)."""
        appointment = self.book(randevu_discount_code="HELLO5")
        self.assertRecordValues(
            appointment,
            [{"price": 35, "randevu_loyalty_program_id": self.hello.id, "randevu_discount_code": "HELLO5"}],
        )
        self.assertFalse(appointment.campaign_id)

    def test_matching_is_exact(self):
        """A returning customer whose email and phone only contain the visitor's (or
        differ in a digit) is another customer: the visitor's first visit is hers."""
        regular = self.env["res.partner"].create(
            {"name": "Camille Guest", "phone": "+33698765402", "email": "xcamille.guest@example.com"}
        )
        self.visit(regular, "done")
        appointment = self.book(randevu_discount_code="HELLO5")
        self.assertNotEqual(appointment.partner_id, regular)
        self.assertEqual(appointment.price, 35)

    def test_other_branch_offer_is_not_applied(self):
        self.welcome.company_id = self.lyon
        self.assertRecordValues(self.book(), [{"price": 40, "randevu_loyalty_program_id": False}])

    def test_ended_offer_is_not_applied(self):
        self.welcome.date_to = self.day - timedelta(days=30)
        self.assertRecordValues(self.book(), [{"price": 40, "randevu_loyalty_program_id": False}])


@tagged("post_install", "-at_install")
class TestFreeBookingDeposit(RandevuBookingCase):
    """A code taking the whole price off a service that asks a deposit: the deposit is
    that of the discounted price, nothing; the booking is not held for a payment and is
    confirmed at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._make_test_provider(cls.branch)
        cls.deposit.list_price = 120  # Bridal hair: a fixed deposit of 50
        cls.haircut.write({"list_price": 40, "randevu_deposit_type": "percent", "randevu_deposit_value": 50})
        cls.env["loyalty.program"].create(
            {
                "name": "Free",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "FREE"})],
                "reward_ids": [discount_reward(discount=100, discount_mode="percent")],
            }
        )

    def book_free(self, service):
        last_id = self.Appointment.search([], order="id desc", limit=1).id
        response = self.post_booking(service, randevu_discount_code="FREE")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.env.invalidate_all()
        appointment = self.Appointment.search([("id", ">", last_id)])
        self.assertEqual(len(appointment), 1)
        return appointment, response.headers["Location"]

    def test_fixed_deposit_of_a_free_booking_is_nothing(self):
        appointment, location = self.book_free(self.deposit)
        self.assertRecordValues(
            appointment,
            [{"price": 0, "randevu_discount_amount": 120, "randevu_deposit_amount": 0, "randevu_hold_until": False}],
        )
        self.assertFalse(appointment._randevu_is_held())
        self.assertIn(f"/book/confirmation/{appointment.id}", location, "no payment step")
        self.assertNotIn("/pay", location)

    def test_percentage_deposit_of_a_free_booking_is_nothing(self):
        appointment, location = self.book_free(self.haircut)
        self.assertRecordValues(appointment, [{"price": 0, "randevu_deposit_amount": 0, "randevu_hold_until": False}])
        self.assertIn(f"/book/confirmation/{appointment.id}", location)

    def test_without_the_code_the_deposit_is_asked(self):
        last_id = self.Appointment.search([], order="id desc", limit=1).id
        response = self.post_booking(self.deposit)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        appointment = self.Appointment.search([("id", ">", last_id)])
        self.assertEqual(appointment.randevu_deposit_amount, 50)
        self.assertTrue(appointment._randevu_is_held())
        self.assertIn("/pay", response.headers["Location"])
