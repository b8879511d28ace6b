import html
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestPortalReview(RandevuBookingCase):
    """After the visit, /my/appointments/<id> offers a review (1 to 5 stars and a
    comment) to its customer or the holder of its token, once; it goes into Odoo's
    rating of the appointment, so the staff and service averages count it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.make_portal_customer("review_customer", "+33611220097")
        cls.paula = cls.portal_user.partner_id
        cls.make_user("review_other", "base.group_portal", cls.env.ref("base.main_company"))
        cls.visit = cls._online_appointment(cls.local(cls.day - timedelta(days=14), 10), cls.paula)
        cls.visit.action_done()
        cls.visit._portal_ensure_token()

    def review(self, appointment, token=None, **data):
        url = f"/my/appointments/{appointment.id}/review" + (f"?access_token={token}" if token else "")
        return self.post_form(url, allow_redirects=False, **data)

    def written(self, appointment):
        """(reviews, chatter messages) of `appointment`: what a refusal leaves unchanged."""
        self.env.flush_all()
        self.env.invalidate_all()
        return len(appointment.rating_ids.filtered("consumed")), len(appointment.message_ids)

    def assert_refused(self, response, status, message):
        text = html.unescape(response.text)
        self.assertEqual(response.status_code, status, text[:1500])
        self.assertIn(message, text)
        self.assertNotIn("Traceback", text)

    # ------------------------------------------------------------------ the review
    def test_review_form_only_after_the_visit(self):
        self.authenticate("review_customer", "review_customer")
        page = self.url_open(f"/my/appointments/{self.visit.id}").text
        self.assertIn("o_randevu_review_form", page)
        self.assertEqual(page.count('type="radio" class="btn-check" name="rating"'), 5, "1 to 5 stars")
        self.assertIn('maxlength="1000"', page)
        upcoming = self._online_appointment(self.local(self.day, 10), self.paula)
        self.assertNotIn("o_randevu_review_form", self.url_open(f"/my/appointments/{upcoming.id}").text)

    def test_review_once_and_counted_in_the_averages(self):
        self.authenticate("review_customer", "review_customer")
        messages = len(self.visit.message_ids)
        response = self.review(self.visit, rating="4", comment="  Lovely cut  ")
        self.assertEqual(response.status_code, 303, response.text[:1500])
        self.assertTrue(response.headers["Location"].endswith(f"/my/appointments/{self.visit.id}?message=reviewed"))
        rating = self.visit.rating_ids.filtered("consumed")
        self.assertRecordValues(rating, [{"rating": 4, "feedback": "Lovely cut", "partner_id": self.paula.id}])
        self.assertEqual(len(self.visit.message_ids), messages + 1, "in the chatter")
        self.env.invalidate_all()
        self.assertEqual((self.anna.randevu_rating_avg, self.anna.randevu_rating_count), (4.0, 1))
        self.assertEqual((self.haircut.randevu_rating_avg, self.haircut.randevu_rating_count), (4.0, 1))

        page = self.url_open(f"/my/appointments/{self.visit.id}?message=reviewed").text
        self.assertIn("Thank you for your review!", page)
        self.assertIn("Your review", page)
        self.assertIn("Lovely cut", page)
        self.assertNotIn("o_randevu_review_form", page, "given once: shown, not asked again")

        before = self.written(self.visit)
        again = self.review(self.visit, rating="1", comment="Changed my mind")
        self.assert_refused(again, 409, "You already reviewed this visit.")
        self.assertEqual(self.written(self.visit), before, "not changed")
        self.assertEqual(rating.rating, 4)

    def test_review_with_the_access_token(self):
        messages = len(self.visit.message_ids)
        response = self.review(self.visit, token=self.visit.access_token, rating="5")
        self.assertEqual(response.status_code, 303, response.text[:1500])
        self.assertIn(f"access_token={self.visit.access_token}", response.headers["Location"])
        self.assertRecordValues(self.visit.rating_ids.filtered("consumed"), [{"rating": 5, "feedback": False}])
        self.assertEqual(len(self.visit.message_ids), messages + 1)

    def test_pending_request_of_the_thank_you_email_is_used(self):
        self.visit._randevu_prepare_rating()
        request = self.visit.rating_ids
        self.assertEqual(len(request), 1)
        self.review(self.visit, token=self.visit.access_token, rating="3")
        self.assertEqual(self.visit.rating_ids, request, "no second rating")
        self.assertRecordValues(request, [{"rating": 3, "consumed": True}])

    # ------------------------------------------------------------------ refusals
    def test_bad_values_are_refused_and_nothing_written(self):
        self.authenticate("review_customer", "review_customer")
        before = self.written(self.visit)
        for data, message in (
            ({"rating": "0"}, "Please choose from 1 to 5 stars."),
            ({"rating": "6"}, "Please choose from 1 to 5 stars."),
            ({"rating": "junk"}, "Please choose from 1 to 5 stars."),
            ({"rating": "3.5"}, "Please choose from 1 to 5 stars."),
            ({"rating": "-1"}, "Please choose from 1 to 5 stars."),
            ({"comment": "No stars"}, "Please choose from 1 to 5 stars."),
            ({"rating": "5", "comment": "x" * 1001}, "Please keep your comment to 1000 characters or fewer."),
        ):
            with self.subTest(data=data):
                response = self.review(self.visit, **data)
                self.assert_refused(response, 400, message)
                self.assertIn("o_randevu_review_form", response.text, "the form again")
                self.assertEqual(self.written(self.visit), before)
        self.assertEqual(self.review(self.visit, rating="5", comment="x" * 1000).status_code, 303, "the bound itself")

    def test_missing_csrf_token_is_refused(self):
        self.authenticate("review_customer", "review_customer")
        before = self.written(self.visit)
        with mute_logger("odoo.addons.randevu_booking.controllers.portal"):
            missing = self.review(self.visit, csrf_token=None, rating="5")
            forged = self.review(self.visit, csrf_token="forged", rating="5")
        self.assert_refused(missing, 400, "This page has expired")
        self.assert_refused(forged, 400, "This page has expired")
        self.assertEqual(self.written(self.visit), before)

    def test_not_done_cancelled_or_no_show_is_refused(self):
        self.authenticate("review_customer", "review_customer")
        upcoming = self._online_appointment(self.local(self.day, 10), self.paula)
        cancelled = self._online_appointment(self.local(self.day, 11), self.paula)
        cancelled.action_cancel()
        no_show = self._online_appointment(self.local(self.day - timedelta(days=7), 10), self.paula)
        no_show.action_no_show()
        for appointment, message in (
            (upcoming, "You can review your visit once it is over."),
            (cancelled, "Only a visit that took place can be reviewed."),
            (no_show, "Only a visit that took place can be reviewed."),
        ):
            with self.subTest(state=appointment.state):
                before = self.written(appointment)
                self.assert_refused(self.review(appointment, rating="5"), 409, message)
                self.assertEqual(self.written(appointment), before)

    def test_another_customers_appointment_or_a_wrong_token_is_not_found(self):
        before = self.written(self.visit)
        self.authenticate("review_other", "review_other")
        self.assertEqual(self.review(self.visit, rating="5").status_code, 404)
        self.assertEqual(self.review(self.visit, token="wrong", rating="5").status_code, 404)
        self.authenticate(None, None)
        self.assertEqual(self.review(self.visit, rating="5").status_code, 404)
        self.assertEqual(self.url_open(f"/my/appointments/{self.visit.id}/review").status_code, 405, "POST only")
        self.assertEqual(self.written(self.visit), before)
