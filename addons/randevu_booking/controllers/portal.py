import logging

from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.randevu_booking.controllers.booking import day_values
from odoo.addons.randevu_booking.controllers.form_guard import csrf_token_valid, expired_page_message
from odoo.addons.randevu_booking.models.randevu_appointment import REVIEW_COMMENT_MAX
from odoo.addons.randevu_booking.models.randevu_online_booking import format_start, parse_start
from odoo.addons.randevu_calendar.const import APPOINTMENT_CALLED_OFF_STATES, APPOINTMENT_EXPECTED_STATES
from odoo.addons.randevu_calendar.exceptions import SlotUnavailable
from odoo.addons.website.controllers.main import Website

_logger = logging.getLogger(__name__)

# Flash messages of the appointment page after an action (?message=...).
MESSAGES = ("cancelled", "moved", "paid", "reviewed")


def ics_response(content, filename):
    """The answer of a link to an iCalendar file (`content`) named `filename`."""
    return request.make_response(
        content,
        headers=[
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", content_disposition(filename)),
        ],
    )


class RandevuCustomerPortal(CustomerPortal):
    """The customer's appointments: a list for portal users (/my/appointments), and
    each appointment's page, move, cancel and .ics for its customer or whoever holds
    its access token (the link of the confirmation and of every message)."""

    # ------------------------------------------------------------------ access
    def _appointment_check_access(self, appointment_id, access_token=None):
        """The appointment, as superuser, when the visitor may see it: the Odoo rules
        (staff), its access token, or its customer logged in.

        The last one is checked here rather than by the record rules: a portal user's
        companies need not include the branch, and the company rule would hide their
        own appointments from them.

        :raise MissingError, AccessError: as _document_check_access
        """
        try:
            return self._document_check_access("randevu.appointment", appointment_id, access_token)
        except AccessError:
            appointment_sudo = request.env["randevu.appointment"].sudo().browse(appointment_id)
            if not self._is_own_appointment(appointment_sudo):
                raise
            return appointment_sudo

    def _appointment_or_404(self, appointment_id, access_token=None):
        """_appointment_check_access, answering "not found" to anyone else: a wrong
        token or another customer's id must not tell that the appointment exists."""
        try:
            return self._appointment_check_access(appointment_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None

    def _is_own_appointment(self, appointment_sudo):
        user = request.env.user
        customer = appointment_sudo.partner_id.commercial_partner_id
        return bool(not user._is_public() and customer and customer == user.partner_id.commercial_partner_id)

    def _own_appointments_domain(self):
        return [("partner_id", "child_of", request.env.user.partner_id.commercial_partner_id.id)]

    def _expired_message(self):
        return expired_page_message(_logger, "Appointment change")

    def _token_valid(self, appointment_sudo, access_token):
        return bool(
            access_token and appointment_sudo.access_token and consteq(appointment_sudo.access_token, access_token)
        )

    def _appointment_url(self, appointment_sudo, suffix="", access_token=None, **params):
        if access_token:
            params["access_token"] = access_token
        params = {key: value for key, value in params.items() if value}
        return f"/my/appointments/{appointment_sudo.id}{suffix}" + (f"?{url_encode(params)}" if params else "")

    # ------------------------------------------------------------------ values
    def _appointment_values(self, appointment_sudo, access_token=None):
        booking_service_sudo = request.env["randevu.booking.service"].sudo()  # labels only
        branch_sudo = appointment_sudo.company_id
        states = dict(appointment_sudo._fields["state"]._description_selection(request.env))
        city = " ".join(filter(None, [branch_sudo.zip, branch_sudo.city]))
        upcoming = (
            appointment_sudo.state in APPOINTMENT_EXPECTED_STATES and appointment_sudo.start > fields.Datetime.now()
        )
        token = access_token if self._token_valid(appointment_sudo, access_token) else None
        return {
            "appointment": appointment_sudo,
            "branch": branch_sudo,
            "branch_address": ", ".join(filter(None, [branch_sudo.street, branch_sudo.street2, city])),
            "when": booking_service_sudo._when_label(branch_sudo, appointment_sudo.start, appointment_sudo.stop),
            "state_label": states.get(appointment_sudo.state, ""),
            "duration_label": booking_service_sudo._duration_label(appointment_sudo.duration),
            "with_label": request.env._("With %s", appointment_sudo.employee_id.name),
            "upcoming": upcoming,
            "change_problem": upcoming and booking_service_sudo._change_problem(appointment_sudo),
            "page_url": self._appointment_url(appointment_sudo, access_token=token),
            "move_url": self._appointment_url(appointment_sudo, "/reschedule", access_token=token),
            "cancel_url": self._appointment_url(appointment_sudo, "/cancel", access_token=token),
            "ics_url": self._appointment_url(appointment_sudo, "/ics", access_token=token),
            "access_token": token,
        }

    # ------------------------------------------------------------------ home counter and list
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "randevu_appointment_count" in counters:
            # Superuser with the customer's own domain: see _appointment_check_access.
            appointments_sudo = request.env["randevu.appointment"].sudo()
            values["randevu_appointment_count"] = appointments_sudo.search_count(
                [
                    *self._own_appointments_domain(),
                    ("state", "in", APPOINTMENT_EXPECTED_STATES),
                    ("start", ">=", fields.Datetime.now()),
                ]
            )
        return values

    @http.route("/my/appointments", type="http", auth="user", methods=["GET"], website=True, sitemap=False)
    def portal_my_appointments(self, **kwargs):
        # Superuser with the customer's own domain: see _appointment_check_access.
        appointments_sudo = request.env["randevu.appointment"].sudo().search(self._own_appointments_domain())
        now = fields.Datetime.now()
        upcoming = appointments_sudo.filtered(lambda appt: appt.stop > now and appt.state != "cancelled")
        past = (appointments_sudo - upcoming).sorted("start", reverse=True)[:50]
        seats_sudo = self._own_seats()
        upcoming_seats = seats_sudo.filtered(
            lambda seat: seat.appointment_id.stop > now and "cancelled" not in (seat.state, seat.appointment_id.state)
        )
        past_seats = (seats_sudo - upcoming_seats).sorted("start", reverse=True)[:50]
        upcoming_rows = [self._appointment_values(appt) for appt in upcoming] + [
            self._seat_row_values(seat) for seat in upcoming_seats
        ]
        past_rows = [self._appointment_values(appt) for appt in past] + [
            self._seat_row_values(seat) for seat in past_seats
        ]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="randevu_appointments",
            upcoming=sorted(upcoming_rows, key=lambda row: row["appointment"].start),
            past=sorted(past_rows, key=lambda row: row["appointment"].start, reverse=True)[:50],
            waitlist=self._own_waitlist_entries(),
        )
        return request.render("randevu_booking.portal_my_appointments", values)

    def _own_seats(self):
        """The customer's places in group classes (seats, waitlist places, cancelled)."""
        # Superuser with the customer's own domain, as for the appointments: a portal
        # user may not read attendees, and the branch may not be among their companies.
        return (
            request.env["randevu.attendee"]
            .sudo()
            .search([("partner_id", "child_of", request.env.user.partner_id.commercial_partner_id.id)])
        )

    def _seat_row_values(self, seat_sudo):
        """A line of the appointments list for a place in a class, linking to its page."""
        booking_service_sudo = request.env["randevu.booking.service"].sudo()  # labels only
        session_sudo = seat_sudo.appointment_id
        branch_sudo = session_sudo.company_id
        states = dict(seat_sudo._fields["state"]._description_selection(request.env))
        seat_sudo._portal_ensure_token()
        state_label = states.get(seat_sudo.state, "")
        if seat_sudo.state == "waitlist":
            state_label = request.env._("Waitlist (number %s)", seat_sudo.waitlist_position)
        return {
            "appointment": session_sudo,
            "seat": seat_sudo,
            "branch": branch_sudo,
            "when": booking_service_sudo._when_label(branch_sudo, session_sudo.start),
            "state_label": state_label,
            "cancelled": seat_sudo.state in APPOINTMENT_CALLED_OFF_STATES or session_sudo.state == "cancelled",
            "page_url": f"{seat_sudo.access_url}?{url_encode({'access_token': seat_sudo.access_token})}",
        }

    def _own_waitlist_entries(self):
        """The customer's open waitlist entries (waiting or offered, today or later),
        each with the link to its page (the offer, or leaving the list)."""
        # Superuser with the customer's own domain, as for the appointments: a portal
        # user may not read waitlist entries, and the branch may not be among their companies.
        entries_sudo = (
            request.env["randevu.waitlist"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", request.env.user.partner_id.commercial_partner_id.id),
                    ("state", "in", ("waiting", "offered")),
                    ("day", ">=", fields.Date.context_today(request.env.user)),
                ],
                order="day, id",
            )
        )
        booking_service = request.env["randevu.booking.service"]
        rows = []
        for entry in entries_sudo:
            entry._portal_ensure_token()
            offered = entry.state == "offered" and entry.appointment_id
            rows.append(
                {
                    "entry": entry,
                    "url": f"{entry.access_url}?access_token={entry.access_token}",
                    "day_label": booking_service._day_labels(entry.day)[2],
                    "offer_time": offered and booking_service._time_label(entry.company_id, offered.start),
                }
            )
        return rows

    # ------------------------------------------------------------------ one appointment
    @http.route(
        "/my/appointments/<int:appointment_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_appointment_page(self, appointment_id, access_token=None, message=None, **kwargs):
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        return self._appointment_page(appointment_sudo, access_token, message=message)

    def _appointment_page(self, appointment_sudo, access_token, message=None, review_problem=None, status=200, **form):
        """The appointment's page: its summary, what can be done with it, its invoices
        and, after the visit, the review form or the review given."""
        values = self._appointment_values(appointment_sudo, access_token)
        review_sudo = appointment_sudo._randevu_review()
        values.update(
            page_name="randevu_appointment",
            message=message if message in MESSAGES else None,
            invoices=self._appointment_invoices(appointment_sudo),
            review=review_sudo,
            can_review=appointment_sudo.state == "done" and not review_sudo and appointment_sudo.partner_id,
            review_url=self._appointment_url(appointment_sudo, "/review", access_token=values["access_token"]),
            review_problem=review_problem,
            review_form=form,
            review_comment_max=REVIEW_COMMENT_MAX,
        )
        values = self._get_page_view_values(
            appointment_sudo, access_token, values, "my_appointments_history", request.env.user._is_public()
        )
        return request.render("randevu_booking.portal_appointment_page", values, status=status)

    def _appointment_invoices(self, appointment_sudo):
        """The appointment's posted customer invoices, each with the link of Odoo's
        invoice page carrying the invoice's access token (a guest holding the
        appointment's token may open it)."""
        invoices_sudo = appointment_sudo.randevu_invoice_line_ids.move_id.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        return [{"invoice": invoice_sudo, "url": invoice_sudo.get_portal_url()} for invoice_sudo in invoices_sudo]

    @http.route(
        "/my/appointments/<int:appointment_id>/ics",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_appointment_ics(self, appointment_id, access_token=None, **kwargs):
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        return ics_response(appointment_sudo._randevu_ics(), "appointment.ics")

    # ------------------------------------------------------------------ review after the visit
    @http.route(
        "/my/appointments/<int:appointment_id>/review",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        csrf=False,  # checked below, to answer an expired page with a clear message
    )
    def portal_appointment_review(self, appointment_id, access_token=None, **post):
        """The customer's review of a visit that took place: ``rating`` 1 to 5 and an
        optional ``comment``, once. Refused with the page and its reason otherwise."""
        csrf_valid = csrf_token_valid(post)
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        rating = post.get("rating")
        rating = int(rating) if isinstance(rating, str) and rating.strip().isdigit() else None
        comment = post.get("comment") if isinstance(post.get("comment"), str) else ""
        if not csrf_valid:
            return self._appointment_page(
                appointment_sudo, access_token, review_problem=self._expired_message(), status=400, comment=comment
            )
        try:
            appointment_sudo._randevu_apply_review(rating, comment)
        except UserError as error:
            status = 409 if appointment_sudo._randevu_review_problem() else 400
            return self._appointment_page(
                appointment_sudo,
                access_token,
                review_problem=error.args[0],
                status=status,
                comment=comment,
                rating=post.get("rating"),
            )
        page_url = self._appointment_values(appointment_sudo, access_token)["page_url"]
        return request.redirect(f"{page_url}{'&' if '?' in page_url else '?'}message=reviewed")

    # ------------------------------------------------------------------ cancel
    @http.route(
        "/my/appointments/<int:appointment_id>/cancel",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        csrf=False,  # checked below on POST, to answer an expired page with a clear message
    )
    def portal_appointment_cancel(self, appointment_id, access_token=None, **post):
        """GET asks "Cancel this appointment?"; POST cancels it when the branch's cutoff
        allows, or says why not and whom to call."""
        csrf_valid = csrf_token_valid(post)
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        values = self._appointment_values(appointment_sudo, access_token)
        values["page_name"] = "randevu_appointment"
        if request.httprequest.method == "GET":
            status = 409 if values["change_problem"] or not values["upcoming"] else 200
            return request.render("randevu_booking.portal_appointment_cancel", values, status=status)
        if not csrf_valid:
            values["problem"] = self._expired_message()
            return request.render("randevu_booking.portal_appointment_cancel", values, status=400)
        try:
            request.env["randevu.booking.service"].sudo()._cancel(appointment_sudo)
        except UserError as error:
            values["problem"] = error.args[0]
            return request.render("randevu_booking.portal_appointment_cancel", values, status=409)
        return request.redirect(f"{values['page_url']}{'&' if '?' in values['page_url'] else '?'}message=cancelled")

    # ------------------------------------------------------------------ reschedule
    def _reschedule_page(
        self, appointment_sudo, access_token, day=None, from_day=None, problem=None, status=200, start=None
    ):
        """The move page: the free days and times; with `start` (a time picked), the
        question first: move from the current time to that one?"""
        booking_service_sudo = request.env["randevu.booking.service"].sudo()  # the engine, for this customer
        branch_sudo, service_sudo = appointment_sudo.company_id, appointment_sudo.service_id
        values = self._appointment_values(appointment_sudo, access_token)
        token = values["access_token"]
        days, next_day = (
            booking_service_sudo._bookable_days(
                branch_sudo, service_sudo, None, from_day or day, exclude=appointment_sudo
            )
            if not values["change_problem"]
            else ([], False)
        )
        selected = day if day in days else (days[0] if days else None)
        # Its own time counts as free: moving half an hour later may overlap it.
        slots = (
            booking_service_sudo._day_slots(branch_sudo, service_sudo, None, selected, exclude=appointment_sudo)
            if selected
            else []
        )
        own_start = appointment_sudo.start
        values.update(
            page_name="randevu_appointment",
            days=day_values(
                booking_service_sudo,
                days,
                selected,
                lambda day: self._appointment_url(
                    appointment_sudo,
                    "/reschedule",
                    access_token=token,
                    day=day.isoformat(),
                    from_day=days[0].isoformat(),
                ),
            ),
            selected_title=selected and booking_service_sudo._day_labels(selected)[2],
            slots=[
                {
                    "start": format_start(slot["start"]),
                    "time": booking_service_sudo._time_label(branch_sudo, slot["start"]),
                    "url": self._appointment_url(
                        appointment_sudo,
                        "/reschedule",
                        access_token=token,
                        day=selected.isoformat(),
                        start=format_start(slot["start"]),
                    ),
                }
                for slot in slots
                if slot["start"] != own_start
            ],
            confirm_start=start and format_start(start),
            confirm_when=start
            and booking_service_sudo._when_label(
                branch_sudo, start, start + (appointment_sudo.stop - appointment_sudo.start)
            ),
            change_url=self._appointment_url(appointment_sudo, "/reschedule", access_token=token),
            next_url=next_day
            and self._appointment_url(
                appointment_sudo, "/reschedule", access_token=token, from_day=next_day.isoformat()
            ),
            problem=problem,
        )
        return request.render("randevu_booking.portal_appointment_reschedule", values, status=status)

    @http.route(
        "/my/appointments/<int:appointment_id>/reschedule",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        csrf=False,  # checked below on POST, to answer an expired page with a clear message
    )
    def portal_appointment_reschedule(self, appointment_id, access_token=None, day=None, from_day=None, **post):
        """GET: the free times of the service (one day, the next 14 bookable days);
        POST ``start``: the move, through the engine."""
        csrf_valid = csrf_token_valid(post)
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        booking_sudo = request.env["randevu.online.booking"].sudo()  # the bounds of the branch
        booking_service_sudo = request.env["randevu.booking.service"].sudo()
        branch_sudo = appointment_sudo.company_id
        if request.httprequest.method == "GET":
            # A day out of bounds: the times from today, and why.
            (wanted_day, day_problem), (first_day, from_problem) = (
                booking_sudo._visitor_day(branch_sudo, day),
                booking_sudo._visitor_day(branch_sudo, from_day),
            )
            problem = booking_service_sudo._change_problem(appointment_sudo)
            status = 409 if problem else 400 if day_problem or from_problem else 200
            # A time picked: asked to confirm before anything moves (the POST moves).
            start = None
            if post.get("start") and not problem:
                start, start_problem = booking_sudo._visitor_start(branch_sudo, post.get("start"))
                if start_problem:
                    start, problem, status = None, start_problem, 400
                else:
                    wanted_day = wanted_day or branch_sudo._randevu_local_day(start)
            return self._reschedule_page(
                appointment_sudo,
                access_token,
                wanted_day,
                first_day,
                problem or day_problem or from_problem,
                status,
                start=start,
            )
        start, start_problem = booking_sudo._visitor_start(branch_sudo, post.get("start"))
        day_of_start = start and branch_sudo._randevu_local_day(start)
        if not csrf_valid:
            return self._reschedule_page(
                appointment_sudo, access_token, day_of_start, None, self._expired_message(), status=400
            )
        try:
            if start_problem:
                raise SlotUnavailable(start_problem)
            booking_service_sudo._reschedule(appointment_sudo, start)
        except UserError as error:
            status = 409 if parse_start(post.get("start")) else 400
            return self._reschedule_page(
                appointment_sudo, access_token, day_of_start, None, error.args[0], status=status
            )
        page_url = self._appointment_values(appointment_sudo, access_token)["page_url"]
        return request.redirect(f"{page_url}{'&' if '?' in page_url else '?'}message=moved")

    # ------------------------------------------------------------------ after booking
    @http.route(
        "/book/confirmation/<int:appointment_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_confirmation(self, appointment_id, access_token=None, message=None, **kwargs):
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        values = self._appointment_values(appointment_sudo, access_token)
        values["message"] = message if message == "paid" else None  # the landing page of a payment
        return request.render("randevu_booking.booking_confirmation", values)


class RandevuPortalLogin(Website):
    """A customer (portal user) who logs in lands on the website in their own language.
    Odoo picks the website's language from the URL, then the browser's frontend_lang
    cookie (the language of the pages seen before logging in, often the default one),
    and only then the user's; a customer who got their links in Turkish would get their
    portal in English. Internal users go to the backend, in their language already."""

    def _login_redirect(self, uid, redirect=None):
        url = super()._login_redirect(uid, redirect=redirect)
        # Superuser: the user who just logged in; only their type and language are read.
        user = request.env["res.users"].sudo().browse(uid)
        website = getattr(request, "website", None)
        if not website or user._is_internal() or not url.startswith("/") or url.startswith("//"):
            return url
        if user.lang not in website.language_ids.mapped("code"):
            return url
        # Odoo's own rewriting: replaces a language already in the URL, leaves the URLs
        # of non-website routes as they are.
        return request.env["ir.http"]._url_lang(url, user.lang)
