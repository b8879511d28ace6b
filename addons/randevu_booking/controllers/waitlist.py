import logging

import psycopg2.errors
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.randevu_booking.controllers.booking import (
    RandevuBooking,
)
from odoo.addons.randevu_booking.controllers.form_guard import csrf_token_valid, expired_page_message, posted_form
from odoo.addons.randevu_booking.models.randevu_waitlist import OPEN_STATES

_logger = logging.getLogger(__name__)

# The waitlist form's fields, the only ones read from its POST.
WAITLIST_FIELDS = ("name", "phone", "email")


class RandevuWaitlist(RandevuBooking):
    """The waitlist of the booking flow (issue 5): join it for a day without a free
    time (from the time step), and answer an offer (the link of the offer message)."""

    # ------------------------------------------------------------------ join
    def _waitlist_page(self, branch_sudo, service_sudo, staff_sudo, form, day=None, **values):
        booking_service_sudo = self._booking_service_sudo()
        first_day, last_day = booking_service_sudo._online_days(branch_sudo)
        slots = values.pop("slots", None) or []
        page_values = self._layout_values(
            4,
            request.env._("Waitlist"),
            back_url=self._url(branch_sudo, service_sudo, "time", staff=staff_sudo.id, day=day and day.isoformat()),
            branch=branch_sudo,
            service=service_sudo,
            staff=staff_sudo,
            with_label=self._with_label(staff_sudo),
            form=form,
            day_value=day.isoformat() if day else "",
            day_title=day and booking_service_sudo._day_labels(day)[2],
            min_day=first_day.isoformat(),
            max_day=last_day.isoformat(),
            join_url=self._url(branch_sudo, service_sudo, "waitlist"),
            slots=self._slot_values(branch_sudo, service_sudo, staff_sudo, slots),
            errors={},
            **self._guest_form_values(),
        )
        page_values.update(values)
        status = page_values.pop("status", 200)
        return request.render("randevu_booking.booking_waitlist", page_values, status=status)

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/waitlist",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_waitlist(self, branch_id, service_id, staff=None, day=None, **kwargs):
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, staff)
        form = {key: value for key, value in self._prefilled_form().items() if key in WAITLIST_FIELDS}
        wanted_day, problem = self._booking_sudo()._visitor_day(branch_sudo, day)
        return self._waitlist_page(
            branch_sudo,
            service_sudo,
            staff_sudo,
            form,
            day=wanted_day,
            errors={"day": problem} if problem else {},
            status=400 if problem else 200,
        )

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/waitlist",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        # The CSRF token is checked first thing below, as for a booking (see book_confirm).
        csrf=False,
    )
    def book_waitlist_join(self, branch_id, service_id, **post):
        """Put the visitor on the waitlist of a day, or answer with the form again and
        a clear message (nothing written but the attempt); a day with free times is
        answered with those times. The answer is the same whether the customer was
        known, new or already waiting."""
        csrf_valid, embedded = self._form_token_valid(post)
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, post.get("staff"))
        form = posted_form(post, WAITLIST_FIELDS)
        day, day_problem = booking_sudo._visitor_day(branch_sudo, post.get("day"))

        def answer(errors=None, status=400, **values):
            return self._waitlist_page(
                branch_sudo, service_sudo, staff_sudo, form, day=day, errors=errors or {}, status=status, **values
            )

        details, errors, status = self._check_guest_form(
            branch_sudo,
            form,
            post,
            csrf_valid,
            action="randevu_waitlist",
            expired=request.env._("This page has expired. Please check your details and try again."),
            too_many=lambda minutes, phone: request.env._(
                "Too many attempts. Please try again in %(minutes)s minutes, or call us at %(phone)s.",
                minutes=minutes,
                phone=phone,
            ),
            refused=request.env._("We could not take this request. Please try again."),
        )
        if "form" in errors:  # the form itself was refused: nothing more to check
            return answer(errors=errors, status=status)
        partner_sudo = self._form_partner_sudo(embedded)
        # The branch's no-show policy, whatever the day: no time would ever be offered.
        refusal = not errors and booking_service_sudo._policy_refusal(branch_sudo, details, partner_sudo)
        if refusal:
            return answer(errors={"form": refusal}, status=403)
        problem = day_problem or (not day and request.env._("Please pick a day."))
        if problem:
            errors["day"] = problem
        if errors:
            return answer(errors=errors)
        slots = booking_service_sudo._day_slots(branch_sudo, service_sudo, staff_sudo, day)
        if slots:
            # Nothing to wait for: the times free that day are the answer.
            return answer(slots=slots, status=200)
        Waitlist_sudo = request.env["randevu.waitlist"].sudo()  # visitors may not read the waitlist
        try:
            with request.env.cr.savepoint():
                partner_sudo = partner_sudo or booking_service_sudo._find_or_create_customer(branch_sudo, details)
                values = {
                    "company_id": branch_sudo.id,
                    "service_id": service_sudo.id,
                    "employee_id": staff_sudo.id or False,
                    "partner_id": partner_sudo.id,
                    "day": day,
                }
                # Already waiting for that day: nothing written, the same answer as for a new entry.
                if not Waitlist_sudo.search_count(
                    [*((key, "=", value) for key, value in values.items()), ("state", "in", OPEN_STATES)], limit=1
                ):
                    Waitlist_sudo.create(values)
        except psycopg2.errors.UniqueViolation:
            # The same customer joined from another tab meanwhile (the unique index): as above.
            _logger.info("Waitlist join: customer already waiting for %s", day)
        return answer(joined=True, status=200)

    # ------------------------------------------------------------------ the offer
    def _entry_or_404(self, entry_id, access_token=None):
        """The waitlist entry, as superuser, for staff who may read it or whoever holds
        its access token (the link of the offer message); anyone else gets "not found"."""
        return self._record_or_404("randevu.waitlist", entry_id, access_token)

    def _entry_url(self, entry_sudo, suffix="", access_token=None):
        query = url_encode({"access_token": access_token}) if access_token else ""
        return f"/book/waitlist/{entry_sudo.id}{suffix}" + (f"?{query}" if query else "")

    def _entry_page(self, entry_sudo, access_token, problem=None, status=200):
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo = entry_sudo.company_id
        appointment_sudo = entry_sudo.appointment_id
        states = dict(entry_sudo._fields["state"]._description_selection(request.env))
        when = None
        if appointment_sudo:
            when = booking_service_sudo._when_label(branch_sudo, appointment_sudo.start)
        appointment_url = None
        if entry_sudo.state == "booked" and appointment_sudo.access_token:
            appointment_url = f"/my/appointments/{appointment_sudo.id}?" + url_encode(
                {"access_token": appointment_sudo.access_token}
            )
        values = {
            "entry": entry_sudo,
            "branch": branch_sudo,
            "branch_address": self._branch_address(branch_sudo),
            "day_title": booking_service_sudo._day_labels(entry_sudo.day)[2],
            "when": when,
            "offer_open": entry_sudo.state == "offered" and entry_sudo._randevu_offer_open(),
            "until": entry_sudo.offer_until and booking_service_sudo._time_label(branch_sudo, entry_sudo.offer_until),
            "with_label": self._with_label((appointment_sudo or entry_sudo).employee_id),
            "state_label": states.get(entry_sudo.state, ""),
            "access_token": access_token,
            "accept_url": self._entry_url(entry_sudo, "/accept"),
            "decline_url": self._entry_url(entry_sudo, "/decline"),
            "appointment_url": appointment_url,
            "book_url": self._url(branch_sudo, entry_sudo.service_id),
            "problem": problem,
        }
        return request.render("randevu_booking.booking_waitlist_entry", values, status=status)

    @http.route(
        "/book/waitlist/<int:entry_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def book_waitlist_entry(self, entry_id, access_token=None, **kwargs):
        entry_sudo = self._entry_or_404(entry_id, access_token)
        return self._entry_page(entry_sudo, access_token)

    @http.route(
        ["/book/waitlist/<int:entry_id>/accept", "/book/waitlist/<int:entry_id>/decline"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        # Checked first thing below, so that an expired page gets a clear message.
        csrf=False,
    )
    def book_waitlist_answer(self, entry_id, access_token=None, **post):
        """Accept the offered time (then the confirmation, or the deposit's payment
        page), or decline it (it goes to the next customer) or leave the list."""
        csrf_valid = csrf_token_valid(post)
        entry_sudo = self._entry_or_404(entry_id, access_token)
        if not csrf_valid:
            problem = expired_page_message(_logger, "Waitlist answer")
            return self._entry_page(entry_sudo, access_token, problem=problem, status=400)
        if request.httprequest.path.endswith("/decline"):
            entry_sudo.action_decline()
            return request.redirect(self._entry_url(entry_sudo, access_token=access_token), code=303)
        try:
            appointment_sudo = entry_sudo.action_accept()
        except UserError as error:
            return self._entry_page(entry_sudo, access_token, problem=error.args[0], status=409)
        appointment_sudo._portal_ensure_token()
        query = url_encode({"access_token": appointment_sudo.access_token})
        if appointment_sudo._randevu_is_held():
            # Held for its deposit: confirmed once paid, on the payment page.
            return request.redirect(f"/my/appointments/{appointment_sudo.id}/pay?{query}", code=303)
        return request.redirect(f"/book/confirmation/{appointment_sudo.id}?{query}", code=303)
