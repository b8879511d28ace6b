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

    def test_invoice_shows_the_price_and_the_code_discount(self):
        """The invoice of an appointment booked with a code: the service at its price
        before the discount, the discount on a line of its own naming the code, the
        total the customer was given (one booked without a code: randevu_account's
        TestInvoices, one line)."""
        coded = self.book(randevu_discount_code="SPRING10")
        invoice = coded._randevu_create_invoice()
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("price_unit"), [40, -4])
        self.assertEqual(lines.product_id, self.haircut.product_variant_id, "the same product, the same taxes")
        self.assertIn("SPRING10", lines[1].name)
        self.assertEqual(lines.randevu_appointment_id, coded)
        self.assertAlmostEqual(invoice.amount_untaxed, 36, places=2)

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

    def test_program_usage_limit_counts_bookings(self):
        """Loyalty's *Limit Usage*: at most *Max Usage* uses of the program, its
        bookings counted (a cancelled one frees its use)."""
        self.spring.write({"limit_usage": True, "max_usage": 1})
        first = self.book(randevu_discount_code="SPRING10")
        self.spring.invalidate_recordset(["total_order_count"])
        self.assertEqual(self.spring.total_order_count, 1, "the booking counts as a use of the program")
        other = {"phone": "06 98 76 54 02", "email": "other.guest@example.com"}
        later = self.booking_data(start=self.local(self.day, 15))["start"]
        self.assert_refused(
            "SPRING10", "This discount code has already been used as many times as it can be.", start=later, **other
        )
        first.state = "cancelled"
        self.env.invalidate_all()
        second = self.book(randevu_discount_code="SPRING10", start=later, **other)
        self.assertEqual(second.price, 36, "a cancelled booking gives its use back")

    def apply(self, service=None, **values):
        """Press *Apply* on the details form: the page shown, nothing booked."""
        appointments, partners = self.Appointment.search_count([]), self.Partner.search_count([])
        response = self.post_booking(service, randevu_apply_code="1", **values)
        self.assertEqual(self.Appointment.search_count([]), appointments, "nothing booked")
        self.assertEqual(self.Partner.search_count([]), partners, "no customer created")
        return response

    def test_apply_shows_the_discounted_price_and_deposit_before_confirming(self):
        response = self.apply(randevu_discount_code="SPRING10")
        self.assertEqual(response.status_code, 200, response.text[:2000])
        summary = html.unescape(response.text.split("o_randevu_discount_summary", 1)[1].split("</dl>", 1)[0])
        for label, amount in (("Price", "40.00"), ("Discount", "4.00"), ("New price", "36.00")):
            self.assertRegex(summary, rf"{label}</dt>\s*<dd[^>]*>.*?{amount}", label)
        self.assertRegex(summary, r"o_randevu_discount_deposit[^>]*>.*?18\.00", "50 % of the new price")
        self.assertIn('value="SPRING10"', response.text, "the code stays in the form")
        self.assertIn('name="terms"', response.text, "the form can be confirmed")
        self.assertEqual(self.book(randevu_discount_code="SPRING10").price, 36, "then confirmed as shown")

    def test_apply_a_code_taking_everything_off_shows_no_deposit(self):
        self.fixed.reward_ids.discount = 150  # more than the bridal hair's 120
        response = self.apply(self.deposit, randevu_discount_code="BRIDE100")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_randevu_discount_new_price", response.text)
        self.assertNotIn("o_randevu_discount_deposit", response.text)
        self.assertIn("No deposit to pay online", response.text)

    def test_apply_refuses_a_bad_code_with_its_message(self):
        for code, message in (
            ("NOPE", "This discount code is not valid."),
            ("WINTER", "This discount code has expired."),
        ):
            response = self.apply(randevu_discount_code=code)
            self.assertEqual(response.status_code, 400)
            self.assertIn(message, html.unescape(response.text))
            self.assertNotIn("o_randevu_discount_summary", response.text)
        self.book(randevu_discount_code="BDAY-7F3K")
        response = self.apply(
            randevu_discount_code="BDAY-7F3K",
            start=self.booking_data(start=self.local(self.day, 15))["start"],
            phone="06 98 76 54 02",
            email="other.guest@example.com",
        )
        self.assertIn("This discount code has already been used.", html.unescape(response.text))

    def test_apply_is_translated(self):
        self._website_in_tr_and_fr()
        self.env["ir.module.module"]._load_module_terms(["randevu_booking_marketing"], ["fr_FR"], overwrite=True)
        response = self.url_open(
            f"/fr{self.url(self.haircut, 'confirm')}",
            data=self.booking_data(randevu_apply_code="1", randevu_discount_code="SPRING10"),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200, response.text[:2000])
        self.assertIn("Nouveau prix", html.unescape(response.text))
        response = self.url_open(
            f"/fr{self.url(self.haircut, 'confirm')}",
            data=self.booking_data(randevu_apply_code="1", randevu_discount_code="NOPE"),
            allow_redirects=False,
        )
        self.assertIn("Ce code de réduction n'est pas valable.", html.unescape(response.text))


@tagged("post_install", "-at_install")
class TestDiscountCodeTour(RandevuBookingCase):
    """In Chromium at a phone's width: a wrong code refused, the right one applied, the
    discounted price and deposit shown before confirming, the discounted deposit asked."""

    browser_size = "360x740"

    def test_code_applied_before_confirming(self):
        self._make_test_provider(self.branch)
        self.haircut.write({"list_price": 40, "randevu_deposit_type": "percent", "randevu_deposit_value": 50})
        self.env["loyalty.program"].create(
            {
                "name": "Spring 10%",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": self.branch.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "SPRING10"})],
                "reward_ids": [discount_reward(discount=10, discount_mode="percent")],
            }
        )
        self.start_tour(f"/book/{self.branch.id}?category={self.hair.id}", "randevu_booking_code_tour", login=None)
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33655443377")])
        self.assertRecordValues(appointment, [{"price": 36, "randevu_deposit_amount": 18}])


@tagged("post_install", "-at_install")
class TestUsageLimitRace(CommittedCase):
    """Two website bookings (the booking service, as the form calls it) racing for
    the last use of a program limited in usage, each on its own connection and
    committing for real: one is discounted, the other refused, nothing booked."""

    def setUp(self):
        super().setUp()
        with self.committed_env({"tracking_disable": True}) as env:
            branch, staff, service = self.make_salon(
                env,
                "Limit",
                "Europe/Istanbul",
                hours=(9, 18),
                service_values={"randevu_duration": 1.0, "list_price": 100},
            )
            # Three days ahead (not a Sunday), 10:00 and 11:00 in Istanbul: free.
            day = branch._randevu_local_today() + timedelta(days=3)
            if day.weekday() == 6:
                day += timedelta(days=1)
            clock = branch._randevu_clock()
            self.starts = [
                clock.to_utc(datetime.combine(day, datetime.min.time()).replace(hour=10 + n)) for n in range(2)
            ]
            customers = env["res.partner"].create([{"name": f"Limit customer {n} {self.tag}"} for n in range(2)])
            self.code = f"LAST-{self.tag}"
            program = env["loyalty.program"].create(
                {
                    "name": f"Last use {self.tag}",
                    "program_type": "promo_code",
                    "trigger": "with_code",
                    "company_id": branch.id,
                    "limit_usage": True,
                    "max_usage": 1,
                    "rule_ids": [Command.create({"mode": "with_code", "code": self.code})],
                    "reward_ids": [discount_reward(discount=50, discount_mode="percent")],
                }
            )
            self.ids = {
                "branch": branch.id,
                "staff": staff.id,
                "service": service.id,
                "customers": customers.ids,
                "program": program.id,
            }
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            env["randevu.appointment"].search([("partner_id", "in", self.ids["customers"])]).unlink()
            program = env["loyalty.program"].browse(self.ids["program"])
            program.active = False
            program.unlink()
            env["res.partner"].browse(self.ids["customers"]).unlink()

    def test_two_bookings_one_use_left(self):
        def snapshot(env, index):
            env["loyalty.program"].browse(self.ids["program"]).total_order_count  # noqa: B018 (the snapshot)

        def act(env, index):
            booking = env["randevu.booking.service"].with_context(randevu_discount_code=self.code)
            booking._book(
                env["res.company"].browse(self.ids["branch"]),
                env["product.template"].browse(self.ids["service"]),
                env["hr.employee"].browse(self.ids["staff"]),
                self.starts[index],
                {},
                env["res.partner"].browse(self.ids["customers"][index]),
            )

        outcomes = self.run_at_once(snapshot, act)
        results = sorted(outcome[0] for outcome in outcomes.values())
        self.assertEqual(results, ["ok", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertEqual(refused[1], "This discount code has already been used as many times as it can be.")
        with self.committed_env() as env:
            appointments = env["randevu.appointment"].search([("partner_id", "in", self.ids["customers"])])
            self.assertEqual(appointments.mapped("price"), [50], "one booked, discounted; the other not booked")
            self.assertEqual(env["loyalty.program"].browse(self.ids["program"]).total_order_count, 1)


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
