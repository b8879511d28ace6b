from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.randevu_calendar.exceptions import BookingRefused, SlotUnavailable

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingPolicy(RandevuBookingCase):
    """The branch's no-show policy on the booking form: a customer over the limit hears
    why and whom to call, whatever time they pick, never "this time was just taken"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch.write({"randevu_noshow_limit": 2, "randevu_noshow_action": "refuse"})
        cls.refusal = (
            f"Online booking at {cls.branch.name} is closed for you: you did not come to 2 appointments in the "
            "last 12 months. Please call +33142000000 to book."
        )

    def no_shows(self, count):
        """`count` past appointments of Chloé Martin (self.customer) she did not come to."""
        past = self.day - timedelta(days=28)  # four weeks before: a working day too
        appointments = self.Appointment.concat(
            *(self.book(self.local(past, 9 + index), staff=self.anna) for index in range(count))
        )
        appointments.action_no_show()

    def post_as_chloe(self, **values):
        return self.post_booking(name="Chloé Martin", phone="06 45 01 92 83", email="", **values)

    def test_over_the_limit_hears_the_policy_whatever_the_time(self):
        self.no_shows(2)
        others = self.Partner.create([{"name": "Ayşe Demir"}, {"name": "Paul Durand"}])
        self.book(self.local(self.day, 11), staff=self.anna, partner_id=others[0].id)
        self.book(self.local(self.day, 11), staff=self.bruno, partner_id=others[1].id)
        before = self.counts()
        times = {
            "free": self.local(self.day, 10),
            "just taken": self.local(self.day, 11),
            "closed": self.local(self.day, 20),
            "past": self.local(self.day - timedelta(days=7), 10),
        }
        for label, start in times.items():
            with self.subTest(time=label):
                response = self.post_as_chloe(start=start)
                self.assert_refused(response, 403, self.refusal)
                self.assertNotIn("just taken", response.text)
                self.assertNotIn("not available", response.text)
                self.assertNotIn("o_randevu_details_form", response.text, "no form: booking online is closed")
                self.assertNotIn("o_randevu_alternatives", response.text, "nor other times")
        self.assertEqual(self.counts(), before, "nothing written")

    def test_portal_customer_over_the_limit(self):
        user = self.make_user("policy_portal", "base.group_portal", self.branch)
        self.customer = user.partner_id
        self.no_shows(2)
        self.authenticate("policy_portal", "policy_portal")
        before = self.counts()
        self.assert_refused(self.post_booking(), 403, self.refusal)
        self.assertEqual(self.counts(), before)

    def test_under_the_limit_books(self):
        self.no_shows(1)
        before = self.counts()
        response = self.post_as_chloe()
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertEqual(self.counts(), (before[0] + 1, before[1]))
        self.assertEqual(self.Appointment.search([], order="id desc", limit=1).partner_id, self.customer)

    def test_someone_else_with_her_phone_books(self):
        """Families share phones: another name with the phone of a customer over the
        limit is another customer (as for matching), who books as usual."""
        self.no_shows(2)
        before = self.counts()
        response = self.post_booking(name="Someone Else", phone="06 45 01 92 83", email="")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 1))

    def test_booking_refused_is_not_a_taken_time(self):
        """Should the customer go over the limit between the form's check and the
        booking, _book says the policy too, not "just taken"."""
        self.no_shows(2)
        booking = self.env["randevu.booking.service"]
        details = {"name": "Chloé Martin", "phone": "+33645019283", "email": "", "note": ""}
        before = self.counts()
        with self.assertRaises(BookingRefused) as caught:
            booking._book(self.branch, self.haircut, self.env["hr.employee"], self.local(self.day, 10), details)
        self.assertNotIsInstance(caught.exception, SlotUnavailable)
        self.assertEqual(caught.exception.args[0], self.refusal)
        self.assertEqual(self.counts(), before, "nothing written")
