import html

from odoo import http
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_booking.tests.common import RandevuBookingCase

from .test_discount_code import discount_reward


@tagged("post_install", "-at_install")
class TestClassDiscountCode(RandevuBookingCase):
    """The class booking form (`/book/<branch>/<class>/sessions/<session>`) takes a
    discount code with the rules of an appointment: checked on the server, taken off the
    session's price for the seat (what the till charges), a coupon used once, a
    first-visit code refused to a returning customer, the program's usage limit counting
    seats; a refused code writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoga = cls._make_service(
            "Morning Yoga", 1.0, cls.anna | cls.bruno, randevu_capacity=3, categ_id=cls.hair.id, list_price=40
        )
        cls.yoga_session = cls.env["randevu.appointment"].create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.yoga.id,
                "employee_id": cls.anna.id,
                "start": cls.local(cls.day, 9),
                "partner_id": False,
            }
        )
        Program = cls.env["loyalty.program"]
        cls.spring = Program.create(
            {
                "name": "Spring 10%",
                "program_type": "promo_code",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "rule_ids": [Command.create({"mode": "with_code", "code": "SPRING10"})],
                "reward_ids": [discount_reward(discount=10, discount_mode="percent")],
            }
        )
        cls.coupons = Program.create(
            {
                "name": "Class coupons",
                "program_type": "coupons",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "reward_ids": [discount_reward(discount=25, discount_mode="percent", required_points=1)],
            }
        )
        cls.coupon = cls.env["loyalty.card"].create({"program_id": cls.coupons.id, "code": "YOGA-1X", "points": 1})

    def join(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "name": "Yuki Guest",
            "phone": "06 98 76 54 11",
            "email": "yuki.guest@example.com",
            "note": "",
            **values,
        }
        url = f"/book/{self.branch.id}/{self.yoga.id}/sessions/{self.yoga_session.id}/join"
        return self.url_open(url, data=data, allow_redirects=False)

    def seat(self, phone="+33698765411"):
        self.env.invalidate_all()
        return self.yoga_session.attendee_ids.filtered(lambda seat: seat.partner_id.phone == phone)

    def assert_refused(self, code, message, **values):
        seats, partners = self.env["randevu.attendee"].search_count([]), self.Partner.search_count([])
        response = self.join(randevu_discount_code=code, **values)
        self.assertEqual(response.status_code, 400, response.text[:1000])
        self.assertIn(message, html.unescape(response.text))
        self.assertIn(f'value="{code}"', response.text, "the code typed is kept")
        self.assertEqual(self.env["randevu.attendee"].search_count([]), seats, "no seat")
        self.assertEqual(self.Partner.search_count([]), partners, "no customer created")

    def test_form_has_a_code_field_and_the_seat_gets_the_discount(self):
        page = self.url_open(f"/book/{self.branch.id}/{self.yoga.id}/sessions/{self.yoga_session.id}")
        self.assertIn('name="randevu_discount_code"', page.text)
        response = self.join(randevu_discount_code=" SPRING10 ")
        self.assertEqual(response.status_code, 303, response.text[:1000])
        seat = self.seat()
        self.assertRecordValues(
            seat,
            [
                {
                    "randevu_discount_amount": 4,
                    "randevu_loyalty_program_id": self.spring.id,
                    "randevu_discount_code": "SPRING10",
                }
            ],
        )
        self.assertEqual(seat._randevu_price(), 36, "what the till charges for the seat")
        self.assertEqual(self.yoga_session.price, 40, "the session's price is everyone's")
        page = self.url_open(response.headers["Location"])
        self.assertIn("36.00", page.text)
        self.spring.invalidate_recordset(["total_order_count"])
        self.assertEqual(self.spring.total_order_count, 1, "a seat counts as a use of the program")

    def test_bad_codes_are_refused_and_a_coupon_is_used_once(self):
        self.assert_refused("NOPE", "This discount code is not valid.")
        response = self.join(randevu_discount_code="YOGA-1X")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.seat().randevu_loyalty_card_id, self.coupon)
        self.assertEqual(self.coupon.points, 0)
        self.assertEqual(self.coupon.history_ids.order_model, "randevu.attendee")
        self.assert_refused(
            "YOGA-1X",
            "This discount code has already been used.",
            phone="06 98 76 54 12",
            email="other.yogi@example.com",
        )

    def test_first_visit_code_and_usage_limit(self):
        self.spring.write({"randevu_first_visit": True, "limit_usage": True, "max_usage": 1})
        regular = self.Partner.create({"name": "Regular Rita", "phone": "+33698765413"})
        done = self.book(self.local(self.day, 15), partner_id=regular.id, hours_override=True)
        done.state = "done"
        self.assert_refused(
            "SPRING10", "This discount code is for a first visit only", phone="06 98 76 54 13", name="Regular Rita"
        )
        self.assertEqual(self.join(randevu_discount_code="SPRING10").status_code, 303, "a new customer")
        self.assert_refused(
            "SPRING10",
            "This discount code has already been used as many times as it can be.",
            phone="06 98 76 54 14",
            email="third.yogi@example.com",
        )
