import io
import logging
import time

import qrcode
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.misc import consteq, hmac

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.randevu_booking.controllers.form_guard import captcha_passed, csrf_token_valid, posted_form
from odoo.addons.randevu_booking.models.randevu_online_booking import format_start, parse_start
from odoo.addons.randevu_calendar.exceptions import BookingRefused, SlotUnavailable, TermsChanged
from odoo.addons.randevu_calendar.models.randevu_booking_service import FIELD_LIMITS

_logger = logging.getLogger(__name__)

# The form's fields, the only ones read from a booking POST.
DETAIL_FIELDS = ("name", "phone", "email", "note")
# Hidden field that people never see nor fill; bots filling every input do.
HONEYPOT_FIELD = "randevu_hp"
STEP_COUNT = 5
# Embedded flow (iframe on another site): the query parameter that keeps it
# chrome-less, and how long the form's signed token stays valid (as Odoo's CSRF).
EMBED_PARAM = "embed"
EMBED_TOKEN_FIELD = "embed_token"
EMBED_TOKEN_MAX_AGE = 3600


def _int_param(value):
    """A positive id from a query string or form, None when absent, False when junk."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return False


def day_values(booking_service_sudo, days, selected, url):
    """The day links of a page of free times: each of `days` with its labels, whether
    it is the `selected` one, and its link `url(day)`."""
    result = []
    for day in days:
        weekday, label, title = booking_service_sudo._day_labels(day)
        result.append(
            {
                "date": day.isoformat(),
                "weekday": weekday,
                "label": label,
                "title": title,
                "selected": day == selected,
                "url": url(day),
            }
        )
    return result


class RandevuBooking(http.Controller):
    """The booking flow on the website: branch → category → service → staff or
    "anyone" → day and time → details → confirmation.

    Every page works without JavaScript (links and one form); the time page's
    widget loads days and slots from the two JSON routes without reloading.
    """

    # ------------------------------------------------------------------ helpers
    def _booking_sudo(self):
        # Superuser: visitors may read no branch. randevu.online.booking returns only
        # the branches the website offers.
        return request.env["randevu.online.booking"].sudo()

    def _booking_service_sudo(self):
        # Superuser: visitors may read neither services, staff nor appointments.
        # randevu.booking.service returns only what the pages show, and books, moves
        # and cancels through the availability engine, which applies every rule.
        return request.env["randevu.booking.service"].sudo()

    def _embedded(self):
        """Whether this request belongs to the flow embedded in an iframe (/book/embed)."""
        return request.params.get(EMBED_PARAM) == "1"

    def _embed_token(self):
        """A signed timestamp standing in for the CSRF token inside the iframe: on
        another site, browsers withhold Odoo's session cookie (SameSite=Lax), so a
        session-bound CSRF token could never validate there."""
        timestamp = str(int(time.time()))
        return f"{timestamp}.{hmac(request.env(su=True), 'randevu-booking-embed', timestamp)}"

    def _valid_embed_token(self, token):
        timestamp, _dot, signature = (token if isinstance(token, str) else "").partition(".")
        if not timestamp.isdigit() or int(timestamp) < time.time() - EMBED_TOKEN_MAX_AGE:
            return False
        return consteq(signature, hmac(request.env(su=True), "randevu-booking-embed", timestamp))

    def _url(self, branch, service=None, page=None, **params):
        path = f"/book/{branch.id}" + (f"/{service.id}" if service else "") + (f"/{page}" if page else "")
        # Links keep the embedded flow chrome-less; JSON routes are given embed=None.
        params.setdefault(EMBED_PARAM, "1" if self._embedded() else None)
        params = {key: value for key, value in params.items() if value not in (None, False, "")}
        return path + (f"?{url_encode(params)}" if params else "")

    def _branch_service(self, branch_id, service_id=None):
        """(branch, service) as superuser, both bookable online; empty when not."""
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo = booking_sudo._branch(request.website, branch_id)
        if not branch_sudo or service_id is None:
            return branch_sudo, booking_sudo.env["product.template"]
        among_sudo = booking_service_sudo.env["product.template"].browse(service_id)
        service_sudo = booking_service_sudo._services(branch_sudo, among=among_sudo)
        return branch_sudo, service_sudo

    def _chosen_staff(self, branch_sudo, service_sudo, staff):
        """The staff member of the `staff` parameter: an empty recordset for "anyone",
        None when the parameter names nobody who performs the service here."""
        staff_id = _int_param(staff)
        employees_sudo = self._booking_service_sudo()._staff(branch_sudo, service_sudo)
        if staff_id is None:
            return employees_sudo.browse()
        chosen_sudo = employees_sudo.filtered(lambda employee: employee.id == staff_id)
        return chosen_sudo or None

    def _link_staff_or_404(self, branch_sudo, staff_id):
        """The staff member of a staff member's own link (their services only), as
        superuser: empty without `staff_id`, "not found" when they do not work at the
        branch."""
        staff_sudo = branch_sudo.env["hr.employee"]
        if staff_id:
            staff_sudo = staff_sudo.search([("id", "=", staff_id), ("randevu_branch_ids", "in", branch_sudo.id)])
            if not staff_sudo:
                raise request.not_found()
        return staff_sudo

    def _with_label(self, staff_sudo):
        """ "With Anna", or "With anyone available" without a staff member."""
        return request.env._("With %s", staff_sudo.name) if staff_sudo else request.env._("With anyone available")

    def _guest_form_values(self):
        """The values of every guest form of the flow besides its own: the fields'
        limits, the honeypot's name, the signed token of an embedded page."""
        return {
            "limits": FIELD_LIMITS,
            "honeypot": HONEYPOT_FIELD,
            "embed_token": self._embedded() and self._embed_token(),
        }

    def _is_portal_customer(self):
        user = request.env.user
        return not user._is_public() and user.share

    def _form_partner_sudo(self, embedded):
        """Whom a booking or waitlist form is for: a portal customer themselves (their
        partner, as superuser for the booking service), else None, the visitor being
        matched by phone or email. Embedded, the signed token proves no session:
        everyone is a visitor."""
        return request.env.user.partner_id.sudo() if self._is_portal_customer() and not embedded else None

    def _branch_address(self, branch_sudo):
        city = " ".join(filter(None, [branch_sudo.zip, branch_sudo.city]))
        return ", ".join(filter(None, [branch_sudo.street, branch_sudo.street2, city]))

    def _layout_values(self, step, step_name, back_url=None, **values):
        label = request.env._("Step %(step)s of %(count)s: %(name)s", step=step, count=STEP_COUNT, name=step_name)
        if self._embedded() and back_url == "/book":
            back_url = None  # the branch list is the website's, not the embedded flow's
        return dict(values, step=step, step_label=label, step_percent=step * 100 // STEP_COUNT, back_url=back_url)

    def _json_error(self, message, status=400):
        return request.make_json_response({"error": {"message": message}}, status=status)

    # ------------------------------------------------------------------ step 1: branch
    @http.route("/book", type="http", auth="public", methods=["GET"], website=True, sitemap=True)
    def book_branches(self, **kwargs):
        branches_sudo = self._booking_sudo()._branches(request.website)
        if len(branches_sudo) == 1:
            return request.redirect(self._url(branches_sudo))
        values = self._layout_values(
            1,
            request.env._("Location"),
            branches=[
                {"record": branch, "url": self._url(branch), "address": self._branch_address(branch)}
                for branch in branches_sudo
            ],
        )
        return request.render("randevu_booking.booking_branches", values)

    # ------------------------------------------------------------------ step 2: category and service
    @http.route("/book/<int:branch_id>", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def book_services(self, branch_id, category=None, staff=None, **kwargs):
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, _service = self._branch_service(branch_id)
        staff_id, category_id = _int_param(staff), _int_param(category)
        if not branch_sudo or staff_id is False or category_id is False:
            raise request.not_found()
        staff_sudo = self._link_staff_or_404(branch_sudo, staff_id)
        services_sudo = booking_service_sudo._services(branch_sudo, staff=staff_sudo or None)
        # Group classes with a session to join; a staff member's link lists their own services only.
        classes_sudo = booking_service_sudo._class_services(branch_sudo) if not staff_sudo else services_sudo.browse()
        categories_sudo = (services_sudo | classes_sudo).categ_id
        several_branches = len(booking_sudo._branches(request.website)) > 1
        branches_url = "/book" if several_branches else None
        if category_id:
            category_sudo = categories_sudo.filtered(lambda categ: categ.id == category_id)
            if not category_sudo:
                raise request.not_found()
            services_sudo = services_sudo.filtered(lambda service: service.categ_id == category_sudo)
            classes_sudo = classes_sudo.filtered(lambda service: service.categ_id == category_sudo)
        elif len(categories_sudo) > 1:
            values = self._layout_values(
                2,
                request.env._("Service"),
                back_url=branches_url,
                branch=branch_sudo,
                staff=staff_sudo,
                categories=[
                    {
                        "record": categ,
                        "url": self._url(branch_sudo, category=categ.id, staff=staff_id),
                        "count": len(
                            (services_sudo | classes_sudo).filtered(
                                lambda service, categ=categ: service.categ_id == categ
                            )
                        ),
                    }
                    for categ in categories_sudo
                ],
            )
            return request.render("randevu_booking.booking_categories", values)
        else:
            category_sudo = categories_sudo
        back_url = self._url(branch_sudo, staff=staff_id) if category_id and len(categories_sudo) > 1 else branches_url
        values = self._layout_values(
            2,
            request.env._("Service"),
            back_url=back_url,
            branch=branch_sudo,
            staff=staff_sudo,
            category=category_sudo if len(category_sudo) == 1 else None,
            services=[
                {
                    "record": service,
                    "url": self._url(branch_sudo, service, staff=staff_id),
                    # A range, "from" a price, when the staff's own durations or prices differ.
                    "terms": booking_service_sudo._terms_values(
                        branch_sudo, booking_service_sudo._terms(branch_sudo, service, staff_sudo or None)
                    ),
                }
                for service in services_sudo
            ],
            classes=[
                {
                    "record": service,
                    "url": self._url(branch_sudo, service, "sessions"),
                    "label": request.env._(
                        "Class · %(duration)s · %(capacity)s places",
                        duration=booking_service_sudo._duration_label(service.randevu_duration),
                        capacity=service.randevu_capacity,
                    ),
                }
                for service in classes_sudo
            ],
        )
        return request.render("randevu_booking.booking_services", values)

    # ------------------------------------------------------------------ step 3: staff or anyone
    @http.route(
        "/book/<int:branch_id>/<int:service_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_staff(self, branch_id, service_id, staff=None, **kwargs):
        branch_sudo, service_sudo, chosen_sudo = self._choice_or_404(branch_id, service_id, staff)
        booking_service_sudo = self._booking_service_sudo()
        employees_sudo = booking_service_sudo._staff(branch_sudo, service_sudo)
        if chosen_sudo or len(employees_sudo) == 1:
            # Chosen already (a staff member's link), or nobody to choose from.
            return request.redirect(self._url(branch_sudo, service_sudo, "time", staff=chosen_sudo.id))
        values = self._layout_values(
            3,
            request.env._("Staff"),
            back_url=self._url(branch_sudo, category=service_sudo.categ_id.id),
            branch=branch_sudo,
            service=service_sudo,
            anyone_url=self._url(branch_sudo, service_sudo, "time"),
            anyone_terms=booking_service_sudo._terms_values(
                branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo)
            ),
            staff_members=[
                {
                    "record": employee,
                    "url": self._url(branch_sudo, service_sudo, "time", staff=employee.id),
                    # Their own price and duration, when they have one.
                    "terms": booking_service_sudo._terms_values(
                        branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo, employee)
                    ),
                }
                for employee in employees_sudo
            ],
        )
        return request.render("randevu_booking.booking_staff", values)

    # ------------------------------------------------------------------ step 4: day and time
    def _day_values(self, branch_sudo, service_sudo, staff_sudo, days, selected):
        return day_values(
            self._booking_service_sudo(),
            days,
            selected,
            lambda day: self._url(
                branch_sudo,
                service_sudo,
                "time",
                staff=staff_sudo.id,
                day=day.isoformat(),
                from_day=days[0].isoformat(),
            ),
        )

    def _slot_values(self, branch_sudo, service_sudo, staff_sudo, slots):
        """The times to pick; each with the price of the staff member the engine gives
        it to (``price``) when the price varies with the staff member ("anyone")."""
        booking_service_sudo = self._booking_service_sudo()
        varies = (
            not staff_sudo
            and booking_service_sudo._terms_values(branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo))[
                "price_from"
            ]
        )
        return [
            {
                "start": format_start(slot["start"]),
                "time": booking_service_sudo._time_label(branch_sudo, slot["start"]),
                "price": varies
                and booking_service_sudo._terms_values(
                    branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo, slot=slot)
                )["price"],
                "url": self._url(
                    branch_sudo, service_sudo, "details", staff=staff_sudo.id, start=format_start(slot["start"])
                ),
            }
            for slot in slots
        ]

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/time",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_time(self, branch_id, service_id, staff=None, day=None, from_day=None, **kwargs):
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, staff)
        (wanted_day, day_problem), (first_day, from_problem) = (
            booking_sudo._visitor_day(branch_sudo, day),
            booking_sudo._visitor_day(branch_sudo, from_day),
        )
        # A day out of bounds: the times from today, and why.
        problem = day_problem or from_problem
        days, next_day = booking_service_sudo._bookable_days(
            branch_sudo, service_sudo, staff_sudo, first_day or wanted_day
        )
        selected = wanted_day if wanted_day in days else (days[0] if days else None)
        slots = booking_service_sudo._day_slots(branch_sudo, service_sudo, staff_sudo, selected) if selected else []
        several_staff = len(booking_service_sudo._staff(branch_sudo, service_sudo)) > 1
        waitlist_day = wanted_day or selected  # the waitlist form starts with the day looked at
        values = self._layout_values(
            4,
            request.env._("Day and time"),
            back_url=(
                self._url(branch_sudo, service_sudo)
                if several_staff
                else self._url(branch_sudo, category=service_sudo.categ_id.id)
            ),
            branch=branch_sudo,
            service=service_sudo,
            staff=staff_sudo,
            # What the time will take and cost: "from" the lowest with "anyone" when the
            # staff members' own prices differ, exact for a staff member chosen.
            terms=booking_service_sudo._terms_values(
                branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo, staff_sudo or None)
            ),
            days=self._day_values(branch_sudo, service_sudo, staff_sudo, days, selected),
            selected_title=selected and booking_service_sudo._day_labels(selected)[2],
            slots=self._slot_values(branch_sudo, service_sudo, staff_sudo, slots),
            next_day=next_day and next_day.isoformat(),
            next_url=next_day
            and self._url(branch_sudo, service_sudo, "time", staff=staff_sudo.id, from_day=next_day.isoformat()),
            waitlist_url=self._url(
                branch_sudo,
                service_sudo,
                "waitlist",
                staff=staff_sudo.id,
                day=waitlist_day and waitlist_day.isoformat(),
            ),
            days_url=self._url(branch_sudo, service_sudo, "days", embed=None),
            slots_url=self._url(branch_sudo, service_sudo, "slots", embed=None),
            problem=problem,
        )
        return request.render("randevu_booking.booking_time", values, status=400 if problem else 200)

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/days",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_days_json(self, branch_id, service_id, staff=None, from_day=None, **kwargs):
        """Bookable days as JSON: ``{"days": [{"date", "weekday", "label", "title",
        "url"}], "next": "YYYY-MM-DD" or null, "html": the day links}``; ``from_day``
        (YYYY-MM-DD) is the first day to look at (today when absent). ``html`` is the
        page's own markup (template booking_time_days): the page inserts it as is."""
        choice, error = self._json_choice(branch_id, service_id, staff)
        if error is not None:
            return error
        branch_sudo, service_sudo, staff_sudo = choice
        first_day, problem = self._booking_sudo()._visitor_day(branch_sudo, from_day)
        if problem:
            return self._json_error(problem)
        if from_day and not first_day:
            return self._json_error(request.env._("Dates are written YYYY-MM-DD."))
        days, next_day = self._booking_service_sudo()._bookable_days(branch_sudo, service_sudo, staff_sudo, first_day)
        day_links = self._day_values(branch_sudo, service_sudo, staff_sudo, days, None)
        next_url = next_day and self._url(
            branch_sudo, service_sudo, "time", staff=staff_sudo.id, from_day=next_day.isoformat()
        )
        html = request.env["ir.qweb"]._render(
            "randevu_booking.booking_time_days",
            {"days": day_links, "next_day": next_day and next_day.isoformat(), "next_url": next_url},
        )
        return request.make_json_response(
            {"days": day_links, "next": next_day.isoformat() if next_day else None, "html": str(html)}
        )

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/slots",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_slots_json(self, branch_id, service_id, staff=None, day=None, **kwargs):
        """Free times of one local day as JSON: ``{"day", "title", "slots": [{"start",
        "time", "url"}], "html": the slot grid}``, live from the availability engine;
        ``html`` is the page's own markup (template booking_time_slots)."""
        choice, error = self._json_choice(branch_id, service_id, staff)
        if error is not None:
            return error
        branch_sudo, service_sudo, staff_sudo = choice
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        wanted_day, problem = booking_sudo._visitor_day(branch_sudo, day)
        if problem:
            return self._json_error(problem)
        if not wanted_day:
            return self._json_error(request.env._("Pick a day (YYYY-MM-DD)."))
        slots = booking_service_sudo._day_slots(branch_sudo, service_sudo, staff_sudo, wanted_day)
        slot_values = self._slot_values(branch_sudo, service_sudo, staff_sudo, slots)
        html = request.env["ir.qweb"]._render(
            "randevu_booking.booking_time_slots", {"slots": slot_values, "branch": branch_sudo}
        )
        return request.make_json_response(
            {
                "day": wanted_day.isoformat(),
                "title": booking_service_sudo._day_labels(wanted_day)[2],
                "slots": slot_values,
                "html": str(html),
            }
        )

    # ------------------------------------------------------------------ step 5: details and confirm
    def _details_page(
        self,
        branch_sudo,
        service_sudo,
        staff_sudo,
        start,
        form,
        errors=None,
        problem=None,
        status=200,
        slot=None,
        notice=None,
        refusal=None,
    ):
        """The details form with what the visitor typed, the problems found, and,
        when the time cannot be booked, the free times nearest to it; with `refusal`
        (the branch's no-show policy: no online booking for this customer), only that
        message, without the form nor other times.

        `start` is None or within the bounds of _visitor_start. The duration and price
        shown are those of the staff member the engine gives the time to (`slot`,
        looked up when not given), else of the staff member chosen, else the range of
        "anyone"; the form sends them back (``terms``) for book_confirm to compare."""
        booking_service_sudo = self._booking_service_sudo()
        if start and not problem and slot is None:
            slot = booking_service_sudo._start_check(branch_sudo, service_sudo, staff_sudo, start)[0]
        raw_terms = booking_service_sudo._terms(branch_sudo, service_sudo, staff_sudo, None if problem else slot)
        terms = booking_service_sudo._terms_values(branch_sudo, raw_terms)
        alternatives, same_staff = [], True
        if problem and start:
            alternative_slots, same_staff = booking_service_sudo._alternatives(
                branch_sudo, service_sudo, staff_sudo, start
            )
            for slot in alternative_slots:
                weekday, label, _title = booking_service_sudo._day_labels(branch_sudo._randevu_local_day(slot["start"]))
                time_label = booking_service_sudo._time_label(branch_sudo, slot["start"])
                alternatives.append({"start": format_start(slot["start"]), "label": f"{weekday} {label}, {time_label}"})
        pick_staff = staff_sudo if same_staff else staff_sudo.browse()
        day = start and branch_sudo._randevu_local_day(start)
        values = self._layout_values(
            5,
            request.env._("Your details"),
            back_url=self._url(branch_sudo, service_sudo, "time", staff=staff_sudo.id, day=day and day.isoformat()),
            branch=branch_sudo,
            branch_address=self._branch_address(branch_sudo),
            service=service_sudo,
            staff=pick_staff,
            with_label=self._with_label(pick_staff),
            start=start,
            start_value=start and not problem and format_start(start),
            when=start and booking_service_sudo._when_label(branch_sudo, start),
            terms=terms,
            # The deposit asked before the time is kept, on the same prices (randevu_account).
            deposit=booking_service_sudo._deposit_values(branch_sudo, service_sudo, raw_terms),
            confirm_url=self._url(branch_sudo, service_sudo, "confirm"),
            times_url=self._url(branch_sudo, service_sudo, "time", staff=staff_sudo.id),
            form=form,
            errors=errors or {},
            problem=problem,
            notice=notice,
            refusal=refusal,
            alternatives=alternatives,
            **self._guest_form_values(),
        )
        return request.render("randevu_booking.booking_details", values, status=status)

    def _prefilled_form(self):
        if not self._is_portal_customer():
            return dict.fromkeys(DETAIL_FIELDS, "")
        partner = request.env.user.partner_id
        return {
            "name": partner.name or "",
            "phone": partner.phone or partner.mobile or "",
            "email": partner.email or "",
            "note": "",
        }

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/details",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_details(self, branch_id, service_id, staff=None, start=None, **kwargs):
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, staff)
        start_time, problem = booking_sudo._visitor_start(branch_sudo, start)
        slot = None
        if not problem:
            slot, problem = booking_service_sudo._start_check(branch_sudo, service_sudo, staff_sudo, start_time)
        return self._details_page(
            branch_sudo,
            service_sudo,
            staff_sudo,
            start_time,
            self._prefilled_form(),
            problem=problem,
            status=self._start_status(start) if problem else 200,
            slot=slot,
        )

    def _start_status(self, value):
        """The HTTP status of a time refused: 409 for a real time that cannot be
        booked, 400 for junk."""
        return 409 if parse_start(value) else 400

    # ------------------------------------------------------------------ guest forms
    def _form_token_valid(self, post):
        """(CSRF valid, embedded) for a POST of the flow, checked before anything else.
        Embedded in another site's iframe there is no session cookie, so the form's
        signed token stands in for the session's CSRF token."""
        csrf_valid = csrf_token_valid(post)
        embedded = self._embedded()
        if embedded and not csrf_valid:
            csrf_valid = self._valid_embed_token(post.pop(EMBED_TOKEN_FIELD, None))
        return csrf_valid, embedded

    def _record_or_404(self, model_name, record_id, access_token=None, owned=None):
        """The record, as superuser, when the visitor may see it: the portal's
        _document_check_access (Odoo's access rules for staff, else its access token,
        the link of its messages), or `owned(record_sudo)` (its customer logged in);
        anyone else gets "not found", whether it exists or not."""
        token = access_token if isinstance(access_token, str) else None
        # Superuser, the visitor's user kept (as the record's author of what they do):
        # visitors may not read it; access is decided just below.
        record_sudo = request.env[model_name].sudo().browse(record_id)
        try:
            CustomerPortal._document_check_access(self, model_name, record_id, token)
        except MissingError:
            raise request.not_found() from None
        except AccessError:
            if not (owned and owned(record_sudo)):
                raise request.not_found() from None
        return record_sudo

    def _choice_or_404(self, branch_id, service_id, staff):
        """The branch, service and staff member (empty: anyone) a page of the flow is
        about, as superuser; "not found" for anything the flow does not offer."""
        branch_sudo, service_sudo = self._branch_service(branch_id, service_id)
        if not service_sudo:
            raise request.not_found()
        staff_sudo = self._chosen_staff(branch_sudo, service_sudo, staff)
        if staff_sudo is None:
            raise request.not_found()
        return branch_sudo, service_sudo, staff_sudo

    def _json_choice(self, branch_id, service_id, staff):
        """_choice_or_404 for the JSON routes: ((branch, service, staff member), None),
        or (None, the JSON error) for anything the flow does not offer."""
        branch_sudo, service_sudo = self._branch_service(branch_id, service_id)
        if not service_sudo:
            return None, self._json_error(request.env._("This service cannot be booked online here."), status=404)
        staff_sudo = self._chosen_staff(branch_sudo, service_sudo, staff)
        if staff_sudo is None:
            message = request.env._("This staff member does not offer this service here.")
            return None, self._json_error(message, status=404)
        return (branch_sudo, service_sudo, staff_sudo), None

    def _check_booking_form(self, branch_sudo, form, post, csrf_valid, action="randevu_booking"):
        """_check_guest_form with the messages of a booking (an appointment or a place
        in a class)."""
        return self._check_guest_form(
            branch_sudo,
            form,
            post,
            csrf_valid,
            action=action,
            expired=request.env._("This page has expired. Please check your details and confirm again."),
            too_many=lambda minutes, phone: request.env._(
                "Too many booking attempts. Please try again in %(minutes)s minutes, or call us at %(phone)s.",
                minutes=minutes,
                phone=phone,
            ),
            refused=request.env._("We could not take this booking. Please try again."),
        )

    def _check_guest_form(self, branch_sudo, form, post, csrf_valid, action, expired, too_many, refused):
        """The checks every guest form of the flow (booking, waitlist) runs, in order:
        the CSRF token, the attempt limits (the attempt is the only thing written), the
        honeypot, the captcha (`action`: see captcha_passed), then the details
        themselves. Returns (details, errors, HTTP status): errors empty when the form
        may go on. `expired` and `refused` are the form's messages,
        `too_many(minutes, phone)` builds its limit message."""
        if not csrf_valid:
            _logger.warning("Guest form refused: invalid CSRF token from %s", request.httprequest.remote_addr)
            return {}, {"form": expired}, 400
        # Superuser: attempts are no visitor's to read or write (see randevu.booking.attempt).
        attempts_sudo = request.env["randevu.booking.attempt"].sudo()
        booking_service_sudo = self._booking_service_sudo()
        window = attempts_sudo._register_attempt(
            request.httprequest.remote_addr,
            booking_service_sudo._normalized_phone(branch_sudo, form["phone"]),
            branch_sudo,
        )
        if window:
            return {}, {"form": too_many(window, branch_sudo.phone or branch_sudo.email or branch_sudo.name)}, 429
        if post.get(HONEYPOT_FIELD) or not captcha_passed(action):
            return {}, {"form": refused}, 400
        details, errors = booking_service_sudo._check_details(branch_sudo, form)
        return details, errors, 400

    @http.route(
        "/book/<int:branch_id>/<int:service_id>/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
        # The CSRF token is checked first thing below, as Odoo would, so that an expired
        # page gets the form back with a clear message instead of a bare error page.
        csrf=False,
    )
    def book_confirm(self, branch_id, service_id, **post):
        """Book, or answer with the form again and a clear message; nothing is written
        then (but the attempt, for the limits)."""
        csrf_valid, embedded = self._form_token_valid(post)
        booking_sudo = self._booking_sudo()
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, post.get("staff"))
        form = posted_form(post, DETAIL_FIELDS)
        start, problem = booking_sudo._visitor_start(branch_sudo, post.get("start"))

        def answer(errors=None, problem=None, status=400, **values):
            return self._details_page(
                branch_sudo, service_sudo, staff_sudo, start, form, errors, problem, status, **values
            )

        details, errors, status = self._check_booking_form(branch_sudo, form, post, csrf_valid)
        if errors:
            return answer(errors=errors, status=status)
        partner_sudo = self._form_partner_sudo(embedded)
        # Looked up once: the customer the policy is asked about is the one booked (a new
        # one is still found or created by _book, under its lock).
        partner_sudo = partner_sudo or booking_service_sudo._find_customer(branch_sudo, details) or None
        refusal = partner_sudo and booking_service_sudo._policy_refusal(branch_sudo, details, partner_sudo)
        if refusal:
            return answer(refusal=refusal, status=403)
        slot = None
        if not problem:
            slot, problem = booking_service_sudo._start_check(branch_sudo, service_sudo, staff_sudo, start)
        if problem:
            return answer(problem=problem, status=self._start_status(post.get("start")))
        # What the visitor saw must be what is booked: the staff member the engine gives
        # the time to now may have their own duration or price ("anyone").
        terms = booking_service_sudo._terms_values(
            branch_sudo, booking_service_sudo._terms(branch_sudo, service_sudo, slot=slot)
        )
        if post.get("terms") != terms["token"]:
            return answer(notice=booking_service_sudo._terms_changed_message(), status=409, slot=slot)
        try:
            # The slot just checked: booking it takes no other engine pass.
            appointment_sudo = booking_service_sudo._book(
                branch_sudo, service_sudo, staff_sudo, start, details, partner_sudo, terms=terms["token"], slot=slot
            )
        except TermsChanged as error:
            return answer(notice=error.args[0], status=409)
        except SlotUnavailable as error:
            return answer(problem=error.args[0], status=409)
        except BookingRefused as error:
            return answer(refusal=error.args[0], status=403)
        self._booked(appointment_sudo, branch_sudo, details, post)
        appointment_sudo._portal_ensure_token()
        if appointment_sudo._randevu_is_held():
            # Held for its deposit: confirmed once paid, on the payment page; embedded, on
            # its framable variant, reached with the access token (no session in an iframe).
            query = url_encode({"access_token": appointment_sudo.access_token})
            pay_path = "/book/embed/pay/%s" if embedded else "/my/appointments/%s/pay"
            return request.redirect(f"{pay_path % appointment_sudo.id}?{query}", code=303)
        params = {"access_token": appointment_sudo.access_token, EMBED_PARAM: "1" if embedded else None}
        return request.redirect(
            f"/book/confirmation/{appointment_sudo.id}?{url_encode({k: v for k, v in params.items() if v})}",
            code=303,
        )

    def _booked(self, appointment_sudo, branch_sudo, details, post):
        """Called once the booking is made (not for a refused one), with the checked
        `details` and the raw form `post`: a hook for addons reading more of the form
        (randevu_booking_marketing records the consent boxes ticked). Runs after the
        booking service, outside its query budget."""

    # ------------------------------------------------------------------ embedding and sharing
    @http.route(
        ["/book/embed/<int:branch_id>", "/book/embed/<int:branch_id>/<int:service_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_embed(self, branch_id, service_id=None, staff=None, **kwargs):
        """The flow for an iframe (website block, loader.js on another site): the
        branch's (or service's) first step, without the website's header and footer;
        every link and form of it keeps ``embed=1``. Framing is allowed for these
        pages only (see ir.http)."""
        branch_sudo, service_sudo = self._branch_service(branch_id, service_id)
        if not branch_sudo or (service_id is not None and not service_sudo) or _int_param(staff) is False:
            raise request.not_found()
        return request.redirect(self._url(branch_sudo, service_sudo or None, staff=_int_param(staff), embed="1"))

    @http.route(
        ["/book/qr/<int:branch_id>", "/book/qr/<int:branch_id>/<int:service_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_qr(self, branch_id, service_id=None, staff=None, download=None, **kwargs):
        """A PNG QR code of the branch's (service's, staff member's) booking link, for
        posters and counters; ``download=1`` saves it as a file."""
        branch_sudo, service_sudo = self._branch_service(branch_id, service_id)
        staff_id = _int_param(staff)
        if not branch_sudo or (service_id is not None and not service_sudo) or staff_id is False:
            raise request.not_found()
        staff_sudo = self._link_staff_or_404(branch_sudo, staff_id)
        url = branch_sudo._randevu_booking_url(service_sudo, staff_sudo)
        image = qrcode.make(url, box_size=10, border=2)
        stream = io.BytesIO()
        image.save(stream, format="PNG")
        name = "-".join(["booking", str(branch_sudo.id)] + ([str(service_sudo.id)] if service_sudo else []))
        name += f"-staff{staff_id}" if staff_id else ""
        headers = [("Content-Type", "image/png"), ("Cache-Control", "public, max-age=3600")]
        if download == "1":
            headers.append(("Content-Disposition", f'attachment; filename="{name}.png"'))
        return request.make_response(stream.getvalue(), headers=headers)
