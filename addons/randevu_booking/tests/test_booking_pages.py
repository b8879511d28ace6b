from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape

from odoo.tests import tagged

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingPages(RandevuBookingCase):
    """The GET pages and JSON routes of the flow, as a visitor without an account."""

    def test_branches_lists_online_branches_only(self):
        lyon = self._make_branch("Lyon", "Europe/Paris")
        lyon.randevu_online_booking = True
        closed = self._make_branch("Marseille", "Europe/Paris")
        response = self.url_open("/book")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/book/{self.branch.id}"', response.text)
        self.assertIn(f'href="/book/{lyon.id}"', response.text)
        self.assertNotIn(f'href="/book/{closed.id}"', response.text)
        self.assertIn("Step 1 of 5", response.text)

    def test_single_branch_goes_straight_to_its_services(self):
        self.env["res.company"].search([("id", "!=", self.branch.id)]).randevu_online_booking = False
        response = self.url_open("/book", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/book/{self.branch.id}"))

    def test_branch_turned_off_is_not_found_at_once(self):
        """The branches a website offers are cached (every page asks): turning a
        branch's online booking off, or a new one on, shows at the next request."""
        self.assertEqual(self.url_open(self.url()).status_code, 200)
        self.branch.randevu_online_booking = False
        self.assertEqual(self.url_open(self.url()).status_code, 404)
        lyon = self._make_branch("Lyon", "Europe/Paris")
        self.assertEqual(self.url_open(f"/book/{lyon.id}").status_code, 404)
        lyon.randevu_online_booking = True
        self.assertEqual(self.url_open(f"/book/{lyon.id}").status_code, 200)

    def test_categories_then_services(self):
        response = self.url_open(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"?category={self.hair.id}", response.text)
        self.assertIn(f"?category={self.colour_category.id}", response.text)
        response = self.url_open(f"{self.url()}?category={self.hair.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="{self.url(self.haircut)}"', response.text)
        self.assertNotIn("Colour", response.text.split("o_randevu_services")[1])
        self.assertNotIn("Backstage trim", response.text, "not bookable online")
        self.assertNotIn("Bridal hair", response.text, "no payment provider: deposits cannot be paid online")

    def test_bad_branch_category_or_service_is_not_found(self):
        closed = self._make_branch("Marseille", "Europe/Paris")
        other_category = self.env["product.category"].create({"name": "Nothing here"})
        self.assert_not_found(
            "/book/999999",
            f"/book/{closed.id}",
            f"{self.url()}?category=abc",
            f"{self.url()}?category={other_category.id}",
            f"{self.url()}?staff=abc",
            self.url(self.offline),
            self.url(self.deposit),
            f"/book/{closed.id}/{self.haircut.id}/time",
            f"{self.url(self.haircut)}?staff=999999",
        )

    def test_staff_page_offers_anyone_and_eligible_staff(self):
        response = self.url_open(self.url(self.haircut))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Anyone available", response.text)
        self.assertIn(f'href="{self.url(self.haircut, "time")}"', response.text)
        self.assertIn(f"time?staff={self.anna.id}", response.text)
        self.assertIn(f"time?staff={self.bruno.id}", response.text)
        response = self.url_open(f"{self.url(self.haircut)}?staff={self.anna.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "a staff member's link skips the choice")
        self.assertIn(f"time?staff={self.anna.id}", response.headers["Location"])

    def test_staff_link_lists_their_services_only(self):
        beard = self._make_service("Beard trim", 0.5, self.bruno, categ_id=self.hair.id)
        response = self.url_open(f"{self.url()}?staff={self.anna.id}&category={self.hair.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{self.url(self.haircut)}?staff={self.anna.id}", response.text)
        self.assertNotIn(self.url(beard), response.text)

    def test_time_page_shows_bookable_days_and_times(self):
        response = self.url_open(f"{self.url(self.haircut, 'time')}?day={self.day.isoformat()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'data-day="{self.day.isoformat()}"', response.text)
        self.assertIn(f'data-start="{format_start(self.local(self.day, 10))}"', response.text)
        self.assertNotIn(f'data-start="{format_start(self.local(self.day, 13))}"', response.text, "lunch break")
        sundays = [self.day + timedelta(days=offset) for offset in range(7)]
        sunday = next(day for day in sundays if day.weekday() == 6)
        self.assertNotIn(f'data-day="{sunday.isoformat()}"', response.text)

    def test_days_json_skips_closed_days(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closed for works",
                "calendar_id": self.branch.resource_calendar_id.id,
                "date_from": self.local(self.day, 0),
                "date_to": self.local(self.day + timedelta(days=1), 0),
            }
        )
        response = self.url_open(f"{self.url(self.haircut, 'days')}?from_day={self.day.isoformat()}")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        dates = [day["date"] for day in data["days"]]
        self.assertNotIn(self.day.isoformat(), dates, "the branch is closed that day")
        self.assertEqual(len(dates), 14)
        self.assertTrue(all(day.weekday() < 6 for day in map(date.fromisoformat, dates)), "no Sunday")
        self.assertGreater(data["next"], dates[-1])
        self.assertTrue(data["days"][0]["url"].startswith(self.url(self.haircut, "time")))

    def test_days_json_bad_input(self):
        response = self.url_open(f"{self.url(self.haircut, 'days')}?from_day=tomorrow")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "Dates are written YYYY-MM-DD.")
        far = self.day + timedelta(days=400)
        response = self.url_open(f"{self.url(self.haircut, 'days')}?from_day={far.isoformat()}")
        self.assertEqual(response.status_code, 400, "beyond the booking horizon")
        self.assertIn("Please pick an earlier day.", response.json()["error"]["message"])
        response = self.url_open(f"/book/{self.branch.id}/{self.offline.id}/days")
        self.assertEqual(response.status_code, 404)
        self.assertIn("cannot be booked online", response.json()["error"]["message"])

    def test_slots_json_is_live(self):
        url = f"{self.url(self.haircut, 'slots')}?day={self.day.isoformat()}"
        ten = format_start(self.local(self.day, 10))
        starts = [slot["start"] for slot in self.url_open(url).json()["slots"]]
        self.assertIn(ten, starts)
        self.book(self.local(self.day, 10), staff=self.anna)
        data = self.url_open(url).json()
        self.assertIn(ten, [slot["start"] for slot in data["slots"]], "Bruno is still free")
        slot = next(slot for slot in data["slots"] if slot["start"] == ten)
        self.assertEqual(slot["time"], "10:00 AM")
        self.assertIn("/details?start=", slot["url"])
        data = self.url_open(f"{url}&staff={self.anna.id}").json()
        self.assertNotIn(ten, [slot["start"] for slot in data["slots"]], "Anna is taken")

    def test_json_routes_send_the_page_markup(self):
        """The slot grid and the day links exist once, in QWeb: the JSON routes send the
        markup of the page's own templates, which the page's script inserts as is."""

        def fragment(text, start, end):
            return text[text.index(start) : text.index(end, text.index(start))]

        day = self.day.isoformat()
        page = self.url_open(f"{self.url(self.haircut, 'time')}?day={day}").text
        slots = self.url_open(f"{self.url(self.haircut, 'slots')}?day={day}").json()
        self.assertIn(f'data-start="{slots["slots"][0]["start"]}"', slots["html"])
        self.assertEqual(
            fragment(slots["html"], '<div class="o_randevu_slot_grid">', "</div>"),
            fragment(page, '<div class="o_randevu_slot_grid">', "</div>"),
            "same slots, same markup as the page",
        )
        self.assertNotIn("o_randevu_slots_empty", slots["html"])
        closed = self.url_open(f"{self.url(self.haircut, 'slots')}?day={self.sunday().isoformat()}").json()
        self.assertIn('<p class="o_randevu_slots_empty text-muted">No free time on this day.</p>', closed["html"])

        days = self.url_open(f"{self.url(self.haircut, 'days')}?from_day={day}").json()
        self.assertEqual(days["html"].count('class="btn btn-outline-secondary o_randevu_day"'), len(days["days"]))
        for value in days["days"]:
            self.assertIn(f'data-day="{value["date"]}"', days["html"])
        self.assertIn(f'data-from-day="{days["next"]}"', days["html"], "Later dates, from the next day")
        # The page's first day is the selected one: the same link once unselected.
        in_page = fragment(page, f'<a href="{escape(days["days"][0]["url"])}"', "</a>")
        in_page = in_page.replace(' aria-current="date"', "").replace("btn-primary", "btn-outline-secondary")
        self.assertEqual(fragment(days["html"], "<a ", "</a>"), in_page)

    def sunday(self):
        return next(self.day + timedelta(days=n) for n in range(7) if (self.day + timedelta(days=n)).weekday() == 6)

    def test_repeated_hour_slots_say_which_is_which(self):
        # The next night Paris falls back (02:00-03:00 is shown twice), open through it.
        paris = ZoneInfo("Europe/Paris")
        days = [self.day + timedelta(days=offset) for offset in range(400)]
        night = next(
            day
            for day in days
            if paris.utcoffset(datetime.combine(day, time(4)))
            < timedelta(hours=2)
            <= paris.utcoffset(datetime.combine(day, time(1)))
        )
        self.branch.randevu_horizon_days = (night - self.day).days + 30
        early = {"dayofweek": str(night.weekday()), "hour_from": 0, "hour_to": 6, "day_period": "morning"}
        for calendar in (self.branch.resource_calendar_id, self.stylist_hours):
            calendar.attendance_ids = [(0, 0, dict(early, name="Night"))]
        first, second = datetime.combine(night, time(0)), datetime.combine(night, time(1))  # UTC: 02:00 CEST, 02:00 CET
        url = f"{self.url(self.haircut, 'slots')}?day={night.isoformat()}&staff={self.anna.id}"
        labels = {slot["start"]: slot["time"] for slot in self.url_open(url).json()["slots"]}
        self.assertEqual(labels[format_start(first)], "2:00 AM (UTC+2)")
        self.assertEqual(labels[format_start(first + timedelta(minutes=45))], "2:45 AM (UTC+2)")
        self.assertEqual(labels[format_start(second)], "2:00 AM (UTC+1)")
        self.assertEqual(labels[format_start(second - timedelta(hours=2))], "1:00 AM", "an ordinary time is unchanged")
        self.assertEqual(labels[format_start(second + timedelta(hours=2))], "4:00 AM")
        self.assertEqual(len(labels), len(set(labels.values())), "no two slots look the same")

    def test_slots_json_bad_input(self):
        url = self.url(self.haircut, "slots")
        response = self.url_open(f"{url}?day=2031-13-45")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "Pick a day (YYYY-MM-DD).")
        response = self.url_open(f"{url}?day={self.day.isoformat()}&staff=999999")
        self.assertEqual(response.status_code, 404)
        yesterday = self.day - timedelta(days=10)
        response = self.url_open(f"{url}?day={yesterday.isoformat()}")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "This day is in the past. Please pick another one.")

    def test_details_page(self):
        start = format_start(self.local(self.day, 10))
        response = self.url_open(f"{self.url(self.haircut, 'details')}?start={start}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csrf_token"', response.text)
        self.assertIn(f'name="start" value="{start}"', response.text)
        self.assertIn('name="randevu_hp"', response.text)
        self.assertIn("10:00 AM", response.text)
        self.assertIn('maxlength="100"', response.text)

    def test_details_page_bad_time(self):
        past = format_start(self.local(self.day - timedelta(days=10), 10))
        response = self.url_open(f"{self.url(self.haircut, 'details')}?start={past}")
        self.assert_refused(response, 409, "This time is in the past. Please pick another one.")
        response = self.url_open(f"{self.url(self.haircut, 'details')}?start=noon")
        self.assert_refused(response, 400, "Please pick a time.")
        self.assertNotIn("o_randevu_details_form", response.text, "nothing to submit without a time")

    def test_portal_customer_is_prefilled(self):
        user = self.make_user("booking_portal", "base.group_portal", self.branch)
        user.partner_id.write({"name": "Portal Paula", "phone": "+33611223344", "email": "paula@example.com"})
        self.authenticate("booking_portal", "booking_portal")
        start = format_start(self.local(self.day, 10))
        response = self.url_open(f"{self.url(self.haircut, 'details')}?start={start}")
        self.assertIn('value="Portal Paula"', response.text)
        self.assertIn('value="+33611223344"', response.text)
        self.assertIn('value="paula@example.com"', response.text)
