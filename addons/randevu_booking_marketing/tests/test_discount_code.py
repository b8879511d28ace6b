import html
from datetime import date, datetime, timedelta

from werkzeug.urls import url_encode

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_booking.tests.common import RandevuBookingCase
from odoo.addons.randevu_calendar.tests.committed import CommittedCase


def discount_reward(**values):
    return Command.create({"reward_type": "discount", "discount_applicability": "order", **values})


@tagged("post_install", "-at_install")
class TestBookingDiscountCode(RandevuBookingCase):
    """Through the real website booking route: a discount code (a loyalty program's code
    or a coupon's) typed in the details form is checked on the server, taken off the
    price (and so the deposit), recorded on the appointment and attributed to the
    program's campaign; a code that does not apply books nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._make_test_provider(cls.branch)
        cls.haircut.write({"list_price": 40, "randevu_deposit_type": "percent", "randevu_deposit_value": 50})
        cls.deposit.list_price = 120  # Bridal hair: a fixed deposit of 50
        cls.campaign = cls.env["utm.campaign"].create({"title": "Spring Codes"})
        Program = cls.env["loyalty.program"]
        cls.spring = Program.create(
            {
                "name": "Spring 10%",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "randevu_campaign_id": cls.campaign.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "SPRING10"})],
                "reward_ids": [discount_reward(discount=10, discount_mode="percent")],
            }
        )
        cls.fixed = Program.create(
            {
                "name": "100 off",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "BRIDE100"})],
                "reward_ids": [discount_reward(discount=100, discount_mode="per_order")],
            }
        )
        yesterday = date.today() - timedelta(days=1)
        cls.expired = Program.create(
            {
                "name": "Winter",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "date_to": yesterday,
                "rule_ids": [Command.create({"mode": "with_code", "code": "WINTER"})],
                "reward_ids": [discount_reward(discount=20, discount_mode="percent")],
            }
        )
        other_branch = cls.env["res.company"].create({"name": "Other branch"})
        cls.elsewhere = Program.create(
            {
                "name": "Elsewhere",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": other_branch.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "ELSEWHERE"})],
                "reward_ids": [discount_reward(discount=20, discount_mode="percent")],
            }
        )
        cls.coupons = Program.create(
            {
                "name": "Birthday coupons",
                "program_type": "coupons",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "reward_ids": [discount_reward(discount=25, discount_mode="percent", required_points=1)],
            }
        )
        cls.coupon = cls.env["loyalty.card"].create({"program_id": cls.coupons.id, "code": "BDAY-7F3K", "points": 1})

    def book(self, service=None, **values):
        """Post the details form; the appointment it made."""
        last_id = self.Appointment.search([], order="id desc", limit=1).id
        response = self.post_booking(service, **values)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.env.invalidate_all()
        appointment = self.Appointment.search([("id", ">", last_id)])
        self.assertEqual(len(appointment), 1)
        return appointment

    def assert_refused(self, code, message, **values):
        appointments, partners = self.Appointment.search_count([]), self.Partner.search_count([])
        response = self.post_booking(randevu_discount_code=code, **values)
        self.assertEqual(response.status_code, 400)
        self.assertIn(message, html.unescape(response.text))
        self.assertIn(f'value="{code}"', response.text, "the code typed is kept")
        self.assertEqual(self.Appointment.search_count([]), appointments, "nothing booked")
        self.assertEqual(self.Partner.search_count([]), partners, "no customer created")

    def test_details_page_offers_an_empty_code_field(self):
        start = self.booking_data()["start"]
        response = self.url_open(f"{self.url(self.haircut, 'details')}?{url_encode({'start': start})}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="randevu_discount_code"', response.text)

    def test_percentage_code_lowers_price_and_deposit_and_is_attributed(self):
        appointment = self.book(randevu_discount_code=" SPRING10 ")
        self.assertRecordValues(
            appointment,
            [
                {
                    "price": 36,
                    "randevu_discount_amount": 4,
                    "randevu_deposit_amount": 18,
                    "randevu_loyalty_program_id": self.spring.id,
                    "randevu_loyalty_card_id": False,
                    "randevu_discount_code": "SPRING10",
                    "campaign_id": self.campaign.id,
                }
            ],
        )
        self.assertEqual(self.campaign.randevu_booking_count, 1)
        page = self.url_open(f"/my/appointments/{appointment.id}/pay?access_token={appointment.access_token}")
        self.assertIn("18.00", page.text, "the discounted deposit is asked")

    def test_customer_profile_shows_codes_used_and_bookings_brought(self):
        """The customer form's *Codes Used* and *Bookings Brought* buttons count her
        bookings made with a code and those a campaign brought, and open them."""
        coded = self.book(randevu_discount_code="SPRING10")
        partner = coded.partner_id
        self.assertEqual(partner.randevu_code_booking_count, 1)
        self.assertEqual(partner.randevu_campaign_booking_count, 1)
        Appointment = self.env["randevu.appointment"]
        self.assertEqual(Appointment.search(partner.action_randevu_code_bookings()["domain"]), coded)
        self.assertEqual(Appointment.search(partner.action_randevu_campaign_bookings()["domain"]), coded)

    def test_fixed_code_caps_the_fixed_deposit(self):
        appointment = self.book(self.deposit, randevu_discount_code="BRIDE100")
        self.assertRecordValues(appointment, [{"price": 20, "randevu_discount_amount": 100}])
        self.assertEqual(appointment.randevu_deposit_amount, 20, "the deposit of 50 capped at the price")
        self.assertFalse(appointment.campaign_id, "a program without a campaign attributes nothing")

    def test_booking_without_a_code_is_not_discounted_nor_attributed(self):
        appointment = self.book()
        self.assertRecordValues(
            appointment,
            [{"price": 40, "randevu_discount_amount": 0, "randevu_loyalty_program_id": False, "campaign_id": False}],
        )
        self.assertEqual(self.campaign.randevu_booking_count, 0)
        self.assertEqual(appointment.partner_id.randevu_code_booking_count, 0)
        self.assertEqual(appointment.partner_id.randevu_campaign_booking_count, 0)

    def test_unknown_expired_and_other_branch_codes_are_refused(self):
        self.assert_refused("NOPE", "This discount code is not valid.")
        self.assert_refused("spring10", "This discount code is not valid.")  # exact match only
        self.assert_refused("SPRING%", "This discount code is not valid.")
        self.assert_refused("WINTER", "This discount code has expired.")
        self.assert_refused("ELSEWHERE", "This discount code is not valid.")

    def test_code_for_other_services_is_refused(self):
        self.spring.reward_ids.write(
            {
                "discount_applicability": "specific",
                "discount_product_ids": [Command.set(self.colour.product_variant_ids.ids)],
            }
        )
        self.assert_refused("SPRING10", "This discount code does not apply to this service.")

    def test_single_use_coupon_is_used_once(self):
        appointment = self.book(randevu_discount_code="BDAY-7F3K")
        self.assertRecordValues(
            appointment,
            [{"price": 30, "randevu_loyalty_card_id": self.coupon.id, "randevu_loyalty_program_id": self.coupons.id}],
        )
        self.assertEqual(self.coupon.points, 0)
        self.assertEqual(self.coupon.history_ids.order_id, appointment.id)
        self.assert_refused(
            "BDAY-7F3K",
            "This discount code has already been used.",
            start=self.booking_data(start=self.local(self.day, 15))["start"],
            phone="06 98 76 54 02",
            email="other.guest@example.com",
        )


@tagged("post_install", "-at_install")
class TestCouponRace(CommittedCase):
    """Two bookings racing with one single-use coupon, each on its own connection and
    committing for real: one gets the discount, the other is refused."""

    def setUp(self):
        super().setUp()
        with self.committed_env({"tracking_disable": True}) as env:
            branch, staff, service = self.make_salon(
                env, "Code", "Europe/Istanbul", service_values={"randevu_duration": 1.0, "list_price": 100}
            )
            customers = env["res.partner"].create([{"name": f"Code customer {n} {self.tag}"} for n in range(2)])
            appointments = env["randevu.appointment"].create(
                [
                    {
                        "company_id": branch.id,
                        "service_id": service.id,
                        "employee_id": staff.id,
                        "start": datetime(2031, 1, 6, 7 + n, 0),  # Monday 10:00 and 11:00 in Istanbul
                        "partner_id": customers[n].id,
                    }
                    for n in range(2)
                ]
            )
            program = env["loyalty.program"].create(
                {
                    "name": f"Race coupons {self.tag}",
                    "program_type": "coupons",
                    "trigger": "with_code",
                    "company_id": branch.id,
                    "communication_plan_ids": [Command.clear()],
                    "reward_ids": [discount_reward(discount=50, discount_mode="percent", required_points=1)],
                }
            )
            self.code = f"RACE-{self.tag}"
            card = env["loyalty.card"].create({"program_id": program.id, "code": self.code, "points": 1})
            self.ids = {
                "appointments": appointments.ids,
                "customers": customers.ids,
                "program": program.id,
                "card": card.id,
            }
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            env["randevu.appointment"].browse(self.ids["appointments"]).unlink()
            env["loyalty.card"].browse(self.ids["card"]).unlink()
            program = env["loyalty.program"].browse(self.ids["program"])
            program.active = False
            program.unlink()
            env["res.partner"].browse(self.ids["customers"]).unlink()

    def test_two_bookings_one_coupon(self):
        def snapshot(env, index):
            env["loyalty.card"].browse(self.ids["card"]).points  # noqa: B018 (the snapshot)

        def act(env, index):
            env["randevu.appointment"].browse(self.ids["appointments"][index])._randevu_apply_code(self.code)

        outcomes = self.run_at_once(snapshot, act)
        results = sorted(outcome[0] for outcome in outcomes.values())
        self.assertEqual(results, ["ok", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertEqual(refused[1], "This discount code has already been used.")
        with self.committed_env() as env:
            appointments = env["randevu.appointment"].browse(self.ids["appointments"])
            self.assertEqual(sorted(appointments.mapped("price")), [50, 100])
            self.assertEqual(len(appointments.filtered("randevu_loyalty_card_id")), 1)
            self.assertEqual(env["loyalty.card"].browse(self.ids["card"]).points, 0)
