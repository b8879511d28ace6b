import logging
from itertools import groupby

from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.randevu_booking.controllers.booking import (
    DETAIL_FIELDS,
    EMBED_PARAM,
    RandevuBooking,
)
from odoo.addons.randevu_booking.controllers.form_guard import csrf_token_valid, expired_page_message, posted_form
from odoo.addons.randevu_booking.controllers.portal import ics_response
from odoo.addons.randevu_calendar.exceptions import BookingRefused, SlotUnavailable

_logger = logging.getLogger(__name__)


class RandevuClassBooking(RandevuBooking):
    """Group classes on the website: a class of the service step → its sessions to
    come → the customer's details → a seat (or a waitlist place) given by the
    calendar (randevu.appointment._add_attendee), with its own page."""

    # ------------------------------------------------------------------ helpers
    def _class_or_404(self, branch_id, service_id, session_id=None):
        """(branch, class, session) as superuser, the session one a customer may join
        online; "not found" for anything else (past, cancelled, another branch or
        class, junk)."""
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo = booking_sudo._branch(request.website, branch_id)
        if not branch_sudo:
            raise request.not_found()
        service_sudo = booking_service_sudo._class_services(branch_sudo).filtered(
            lambda service: service.id == service_id
        )
        if not service_sudo:
            raise request.not_found()
        session_sudo = booking_sudo.env["randevu.appointment"]
        if session_id is not None:
            session_sudo = booking_service_sudo._class_sessions(branch_sudo, service_sudo, session_id)
            if not session_sudo:
                raise request.not_found()
        return branch_sudo, service_sudo, session_sudo

    def _session_when(self, branch_sudo, session_sudo):
        booking_service_sudo = self._booking_service_sudo()
        return booking_service_sudo._when_label(branch_sudo, session_sudo.start, session_sudo.stop)

    def _places_label(self, session_sudo):
        if session_sudo.seats_left > 0:
            return request.env._("%s places left", session_sudo.seats_left)
        return request.env._("Full – join the waitlist")  # noqa: RUF001 (the en dash of the UI)

    # ------------------------------------------------------------------ sessions
    @http.route(
        "/book/<int:branch_id>/<int:service_id>/sessions",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_class_sessions(self, branch_id, service_id, **kwargs):
        """The class's sessions to come at the branch, by day, with the places left."""
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, _session = self._class_or_404(branch_id, service_id)
        sessions_sudo = booking_service_sudo._class_sessions(branch_sudo, service_sudo)
        days = []
        for day, day_sessions in groupby(sessions_sudo, key=lambda s: branch_sudo._randevu_local_day(s.start)):
            days.append(
                {
                    "title": booking_service_sudo._day_labels(day)[2],
                    "sessions": [
                        {
                            "record": session,
                            "time": booking_service_sudo._time_label(branch_sudo, session.start),
                            "trainer": session.employee_id.name,
                            "full": session.seats_left <= 0,
                            "places": self._places_label(session),
                            "url": self._url(branch_sudo, service_sudo, f"sessions/{session.id}"),
                        }
                        for session in day_sessions
                    ],
                }
            )
        values = self._layout_values(
            4,
            request.env._("Class time"),
            back_url=self._url(branch_sudo, category=service_sudo.categ_id.id),
            branch=branch_sudo,
            service=service_sudo,
            duration=booking_service_sudo._duration_label(service_sudo.randevu_duration),
            days=days,
        )
        return request.render("randevu_booking.booking_class_sessions", values)

    # ------------------------------------------------------------------ details and join
    def _class_details_page(
        self, branch_sudo, service_sudo, session_sudo, form, errors=None, problem=None, status=200, refusal=None
    ):
        """The details form of a seat; with `refusal` (the branch's no-show policy: no
        online booking for this customer), only that message, without the form."""
        values = self._layout_values(
            5,
            request.env._("Your details"),
            back_url=self._url(branch_sudo, service_sudo, "sessions"),
            branch=branch_sudo,
            branch_address=self._branch_address(branch_sudo),
            service=service_sudo,
            session=session_sudo,
            when=self._session_when(branch_sudo, session_sudo),
            trainer=session_sudo.employee_id.name,
            full=session_sudo.seats_left <= 0,
            places=self._places_label(session_sudo),
            join_url=self._url(branch_sudo, service_sudo, f"sessions/{session_sudo.id}/join"),
            form=form,
            errors=errors or {},
            problem=problem,
            refusal=refusal,
            **self._guest_form_values(),
        )
        return request.render("randevu_booking.booking_class_details", values, status=status)

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/sessions/<int:session_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_class_details(self, branch_id, service_id, session_id, **kwargs):
        branch_sudo, service_sudo, session_sudo = self._class_or_404(branch_id, service_id, session_id)
        return self._class_details_page(branch_sudo, service_sudo, session_sudo, self._prefilled_form())

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/sessions/<int:session_id>/join",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        # The CSRF token is checked first thing below, as for a booking (see book_confirm).
        csrf=False,
    )
    def book_class_join(self, branch_id, service_id, session_id, **post):
        """A seat in the session (or its waitlist when full), then 303 to the seat's
        page; or the form again with a clear message, nothing written but the attempt."""
        csrf_valid, embedded = self._form_token_valid(post)
        branch_sudo, service_sudo, session_sudo = self._class_or_404(branch_id, service_id, session_id)
        form = posted_form(post, DETAIL_FIELDS)

        def answer(errors=None, problem=None, status=400, refusal=None):
            return self._class_details_page(
                branch_sudo, service_sudo, session_sudo, form, errors, problem, status, refusal
            )

        details, errors, status = self._check_booking_form(branch_sudo, form, post, csrf_valid, action="randevu_class")
        if errors:
            return answer(errors=errors, status=status)
        partner_sudo = self._form_partner_sudo(embedded)
        try:
            attendee_sudo = self._booking_service_sudo()._book_seat(branch_sudo, session_sudo, details, partner_sudo)
        except SlotUnavailable as error:
            return answer(problem=error.args[0], status=409)
        except BookingRefused as error:
            return answer(refusal=error.args[0], status=403)
        attendee_sudo._portal_ensure_token()
        return request.redirect(self._seat_url(attendee_sudo, attendee_sudo.access_token, embedded=embedded), code=303)

    # ------------------------------------------------------------------ the seat
    def _seat_url(self, attendee_sudo, access_token=None, suffix="", embedded=False):
        params = {"access_token": access_token, EMBED_PARAM: "1" if embedded else None}
        query = url_encode({key: value for key, value in params.items() if value})
        return f"/book/seat/{attendee_sudo.id}{suffix}" + (f"?{query}" if query else "")

    def _seat_or_404(self, attendee_id, access_token=None):
        """The seat, as superuser, for staff, whoever holds its access token or its
        customer logged in; anyone else gets "not found"."""

        def owned(attendee_sudo):
            user = request.env.user
            customer = attendee_sudo.partner_id.commercial_partner_id
            return not user._is_public() and customer == user.partner_id.commercial_partner_id

        return self._record_or_404("randevu.attendee", attendee_id, access_token, owned=owned)

    def _seat_page(self, attendee_sudo, access_token, problem=None, message=None, status=200):
        session_sudo = attendee_sudo.appointment_id
        branch_sudo = session_sudo.company_id
        states = dict(attendee_sudo._fields["state"]._description_selection(request.env))
        token = access_token if isinstance(access_token, str) else None
        values = {
            "attendee": attendee_sudo,
            "session": session_sudo,
            "branch": branch_sudo,
            "branch_address": self._branch_address(branch_sudo),
            "when": self._session_when(branch_sudo, session_sudo),
            "trainer": session_sudo.employee_id.name,
            "state_label": states.get(attendee_sudo.state, ""),
            "position": attendee_sudo.waitlist_position,
            "cancel_problem": self._booking_service_sudo()._seat_cancel_problem(attendee_sudo),
            "cancel_url": self._seat_url(attendee_sudo, suffix="/cancel", embedded=self._embedded()),
            "ics_url": self._seat_url(attendee_sudo, token, suffix="/ics"),
            "access_token": token,
            "book_url": self._url(branch_sudo, session_sudo.service_id, "sessions"),
            "problem": problem,
            "message": message,
        }
        return request.render("randevu_booking.booking_class_seat", values, status=status)

    @http.route(
        "/book/seat/<int:attendee_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def book_class_seat(self, attendee_id, access_token=None, message=None, **kwargs):
        attendee_sudo = self._seat_or_404(attendee_id, access_token)
        return self._seat_page(attendee_sudo, access_token, message=message if message == "cancelled" else None)

    @http.route(
        "/book/seat/<int:attendee_id>/ics", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def book_class_seat_ics(self, attendee_id, access_token=None, **kwargs):
        """The session as an iCalendar file, as the attendee's messages attach it:
        without the session's own manage link (it would manage the whole class)."""
        attendee_sudo = self._seat_or_404(attendee_id, access_token)
        session_sudo = attendee_sudo.appointment_id
        recipient = ((session_sudo.id, attendee_sudo.partner_id.id),)
        return ics_response(session_sudo.with_context(randevu_recipients=recipient)._randevu_ics(), "class.ics")

    @http.route(
        "/book/seat/<int:attendee_id>/cancel",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        # Checked first thing below, so that an expired page gets a clear message.
        csrf=False,
    )
    def book_class_seat_cancel(self, attendee_id, access_token=None, **post):
        """Cancel the seat (or the waitlist place) before the branch's cutoff; the
        calendar gives the seat to the first of the waitlist."""
        csrf_valid = csrf_token_valid(post)
        attendee_sudo = self._seat_or_404(attendee_id, access_token)
        if not csrf_valid:
            problem = expired_page_message(_logger, "Seat cancellation")
            return self._seat_page(attendee_sudo, access_token, problem=problem, status=400)
        try:
            self._booking_service_sudo()._cancel_seat(attendee_sudo)
        except UserError as error:
            return self._seat_page(attendee_sudo, access_token, problem=error.args[0], status=409)
        url = self._seat_url(attendee_sudo, access_token, embedded=self._embedded())
        return request.redirect(url + ("&" if "?" in url else "?") + "message=cancelled", code=303)
