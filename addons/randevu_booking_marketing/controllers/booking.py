import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.randevu_booking.controllers.booking import DETAIL_FIELDS, RandevuBooking
from odoo.addons.randevu_booking.controllers.form_guard import posted_form

_logger = logging.getLogger(__name__)

# The channels the booking form asks about, in this order; the form's boxes are named
# CONSENT_FIELD % channel, and only those names are read (anything else is ignored).
BOOKING_CONSENT_CHANNELS = ("email", "sms", "whatsapp")
CONSENT_FIELD = "randevu_consent_%s"
# The form's optional discount code (Odoo loyalty: a program's code or a coupon's).
CODE_FIELD = "randevu_discount_code"
# The form's *Apply* button: the code checked and its discount shown, nothing booked.
APPLY_FIELD = "randevu_apply_code"


class RandevuBookingMarketing(RandevuBooking):
    """The details step asks for marketing consent per channel, every box unticked,
    and a booking made records a pending consent for each box ticked. A booking is
    attributed to the campaign, source and medium of the link the visitor came by."""

    def _booking_service_sudo(self):
        """The booking service with the visitor's utm names (Odoo's odoo_utm_* cookies,
        set by utm's ir.http from the utm_campaign, utm_source and utm_medium parameters
        of any page she opened, e.g. a mailing's tracked link or a QR code): the service
        adds the campaign, source and medium to the appointment it creates
        (randevu_marketing's _randevu_appointment_values). Reading cookies costs no query."""
        service_sudo = super()._booking_service_sudo()
        names = self._randevu_utm_names()
        service_sudo = service_sudo.with_context(randevu_utm=names) if names else service_sudo
        # The discount code typed in the form, checked by _check_booking_form, applied by
        # the service's _book (randevu_booking_marketing's randevu.booking.service);
        # without one, the first-visit offers the website applies by themselves.
        code = self._randevu_discount_code()
        if code:
            return service_sudo.with_context(randevu_discount_code=code)
        return service_sudo.with_context(randevu_booking_offers=True)

    def _randevu_discount_code(self):
        """The discount code of the form posted (stripped), or None."""
        if request.httprequest.method != "POST":
            return None
        return (request.params.get(CODE_FIELD) or "").strip() or None

    @http.route()
    def book_confirm(self, branch_id, service_id, **post):
        """The form's *Apply* button (``randevu_apply_code``): the details page again,
        with the price, the code's discount, the new price and deposit, or the code's
        error; nothing booked. *Confirm booking* books as before."""
        if post.get(APPLY_FIELD):
            return self._randevu_apply_code_page(branch_id, service_id, post)
        return super().book_confirm(branch_id, service_id, **post)

    def _randevu_apply_code_page(self, branch_id, service_id, post):
        """The details page with the discount of the code typed, for the time and the
        staff member the engine gives it to (their own price). The form's checks run
        first (CSRF token, attempt limits, captcha, details: a code tried counts as a
        booking attempt, so codes cannot be guessed faster than bookings), then the
        code's, for the customer the details find (first visits)."""
        csrf_valid, _embedded = self._form_token_valid(post)
        booking_service_sudo = self._booking_service_sudo()
        branch_sudo, service_sudo, staff_sudo = self._choice_or_404(branch_id, service_id, post.get("staff"))
        form = posted_form(post, DETAIL_FIELDS)
        start, problem = self._booking_sudo()._visitor_start(branch_sudo, post.get("start"))
        slot = None
        if not problem:
            slot, problem = booking_service_sudo._start_check(branch_sudo, service_sudo, staff_sudo, start)
        if problem:
            return self._details_page(branch_sudo, service_sudo, staff_sudo, start, form, problem=problem, status=409)
        details, errors, status = self._check_booking_form(branch_sudo, form, post, csrf_valid)
        if errors:
            return self._details_page(branch_sudo, service_sudo, staff_sudo, start, form, errors, status=status)
        raw_terms = booking_service_sudo._terms(branch_sudo, service_sudo, staff_sudo, slot)
        price = raw_terms["price"][0]
        try:
            partner_sudo = booking_service_sudo._find_customer(branch_sudo, details)
            # Superuser: the visitor checks a code, she reads no program nor coupon.
            found = (
                request.env["loyalty.program"]
                .sudo()
                ._randevu_code_discount(
                    self._randevu_discount_code(), branch_sudo, service_sudo, price, partner_sudo or None
                )
            )
        except UserError as error:
            return self._details_page(
                branch_sudo, service_sudo, staff_sudo, start, form, {CODE_FIELD: error.args[0]}, status=400, slot=slot
            )
        response = self._details_page(branch_sudo, service_sudo, staff_sudo, start, form, slot=slot)
        new_price = price - found["amount"]
        deposit = booking_service_sudo._deposit_values(
            branch_sudo, service_sudo, dict(raw_terms, price=(new_price, new_price))
        )
        if deposit:
            # As the appointment's deposit: never more than the discounted price.
            deposit = dict(deposit, amount=min(deposit["amount"], new_price), amount_from=False)
            deposit = deposit if branch_sudo.currency_id.compare_amounts(deposit["amount"], 0.0) > 0 else False
        response.qcontext["discount_summary"] = {
            "price": price,
            "amount": found["amount"],
            "new_price": new_price,
            "deposit": deposit,
            "had_deposit": bool(response.qcontext.get("deposit")),
        }
        response.qcontext["deposit"] = deposit
        return response

    def _randevu_utm_names(self):
        """{"utm_campaign": name, ...} of the visitor's utm cookies (empty when none)."""
        # The cookies, not this request's parameters: utm's ir.http sets them on the
        # response of any page opened with utm parameters (the website's cookie bar
        # permitting: they are "optional" cookies).
        names = {}
        for parameter, _field, cookie in request.env["utm.mixin"].tracking_fields():
            value = request.httprequest.cookies.get(cookie)
            if value:
                names[parameter] = value
        return names

    def _randevu_consent_channels(self, branch_sudo):
        """The channels `branch_sudo` asks marketing consent for on its booking form."""
        return BOOKING_CONSENT_CHANNELS

    def _randevu_consent_choices(self, branch_sudo, post=None):
        """One row per channel: its box's name, the sentence shown (in the visitor's
        language, the one recorded as proof) and whether it is ticked (a form sent back
        keeps what the visitor ticked; a new form has every box unticked)."""
        # Superuser: reading the consent model's labels and texts, no record.
        consent_sudo = request.env["randevu.consent"].sudo().with_context(lang=request.env.lang)
        post = post or {}
        return [
            {
                "channel": channel,
                "field": CONSENT_FIELD % channel,
                "text": consent_sudo._randevu_default_text(channel, branch_sudo, lang=request.env.lang),
                "ticked": bool(post.get(CONSENT_FIELD % channel)),
            }
            for channel in self._randevu_consent_channels(branch_sudo)
        ]

    def _details_page(self, branch_sudo, *args, **kwargs):
        response = super()._details_page(branch_sudo, *args, **kwargs)
        post = request.params if request.httprequest.method == "POST" else None
        response.qcontext["consent_choices"] = self._randevu_consent_choices(branch_sudo, post)
        response.qcontext["discount_code"] = self._randevu_discount_code() or ""
        return response

    def _class_details_page(self, *args, **kwargs):
        response = super()._class_details_page(*args, **kwargs)
        response.qcontext["discount_code"] = self._randevu_discount_code() or ""
        return response

    def _check_booking_form(self, branch_sudo, form, post, csrf_valid, action="randevu_booking"):
        """The form's checks, then its discount code's (when one is typed and the form is
        otherwise fine): an unknown, expired or used code, or one that does not apply to
        the service, or a first-visit code typed by a customer known to have come or
        booked (found as the booking finds her: exact phone or email), sends the form
        back with the message, nothing booked. The price checked is the service's (the
        discount of the staff member's own price is taken when booking, where a coupon
        is used once whoever races for it and the customer found or created is checked
        again)."""
        details, errors, status = super()._check_booking_form(branch_sudo, form, post, csrf_valid, action)
        code = self._randevu_discount_code()
        if errors or not code or action not in ("randevu_booking", "randevu_class"):
            return details, errors, status
        # Superuser: the visitor checks a code, she reads no program nor coupon. The
        # service of the route (book_confirm's or book_class_join's, found by
        # _choice_or_404 or _class_or_404 already), the session's price for a class.
        service_sudo = request.env["product.template"].sudo().browse(request.params["service_id"])
        price = service_sudo.list_price
        if action == "randevu_class":
            price = request.env["randevu.appointment"].sudo().browse(request.params["session_id"]).price
        try:
            partner_sudo = self._booking_service_sudo()._find_customer(branch_sudo, details)
            request.env["loyalty.program"].sudo()._randevu_code_discount(
                code, branch_sudo, service_sudo, price, partner_sudo or None
            )
        except UserError as error:
            return details, {CODE_FIELD: error.args[0]}, 400
        return details, errors, status

    def _booked(self, appointment_sudo, branch_sudo, details, post):
        result = super()._booked(appointment_sudo, branch_sudo, details, post)
        partner_sudo = appointment_sudo.partner_id
        # Superuser: the visitor records her own consent, for the customer just booked;
        # the source "booking form" makes each grant pending until she confirms it.
        consent_sudo = request.env["randevu.consent"].sudo()
        for choice in self._randevu_consent_choices(branch_sudo, post):
            if not choice["ticked"]:
                continue
            address = details.get("email") if choice["channel"] == "email" else details.get("phone")
            if not address:
                continue  # a box ticked for email without an email typed: nothing to ask
            try:
                with request.env.cr.savepoint():
                    consent_sudo._randevu_record(
                        partner_sudo,
                        choice["channel"],
                        "granted",
                        "booking_form",
                        choice["text"],
                        address=address,
                        ip_address=request.httprequest.remote_addr,
                        user_agent=request.httprequest.headers.get("User-Agent", ""),
                    )
            except UserError as error:
                # The booking is made: an address the consent cannot use is not worth failing it.
                _logger.info(
                    "Booking %s: consent for %s not recorded: %s", appointment_sudo.id, choice["channel"], error
                )
        return result
