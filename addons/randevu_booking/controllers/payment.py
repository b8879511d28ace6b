import logging

from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.fields import Command
from odoo.http import request

from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.randevu_booking.controllers.portal import RandevuCustomerPortal
from odoo.addons.randevu_booking.controllers.public_json import public_json_route

_logger = logging.getLogger(__name__)


class RandevuPaymentPortal(RandevuCustomerPortal, PaymentPortal):
    """Paying an appointment's deposit with Odoo's payment form: a page for its
    customer or whoever holds its access token, and the transaction route the form
    calls. The amount is always the deposit due, whatever the browser sends."""

    def _appointment_values(self, appointment_sudo, access_token=None):
        values = super()._appointment_values(appointment_sudo, access_token)
        values.update(
            pay_url=(
                appointment_sudo._randevu_payable()
                and self._appointment_url(appointment_sudo, "/pay", access_token=values["access_token"])
            ),
            held=appointment_sudo._randevu_is_held(),
            payment_in_progress=appointment_sudo._randevu_is_held() and appointment_sudo._randevu_payment_in_progress(),
            hold_until=(
                appointment_sudo.randevu_hold_until
                and request.env["randevu.booking.service"]
                .sudo()
                ._time_label(appointment_sudo.company_id, appointment_sudo.randevu_hold_until)
            ),
        )
        if values["held"]:
            values["state_label"] = request.env._("Awaiting deposit")
        return values

    def _embedded_appointment(self, appointment_id, access_token):
        """The appointment of an embedded payment page, as superuser, or None: reached
        with its access token only (a third-party iframe has no session), checked by
        the portal's _document_check_access."""
        if not isinstance(access_token, str) or not access_token:
            return None
        try:
            return self._document_check_access("randevu.appointment", appointment_id, access_token)
        except (AccessError, MissingError):
            return None

    def _payment_partner(self, appointment_sudo):
        # A logged-in visitor pays as themselves (their tokens), a guest as the customer.
        user = request.env.user
        return appointment_sudo.partner_id if user._is_public() else user.partner_id

    def _payment_landing_url(self, appointment_sudo, access_token, embedded=False):
        """Where the customer lands once paid: the booking's confirmation (the embedded
        one inside the iframe), which shows the booking confirmed and the deposit paid."""
        params = {"access_token": access_token, "embed": "1" if embedded else None, "message": "paid"}
        params = {key: value for key, value in params.items() if value}
        return f"/book/confirmation/{appointment_sudo.id}?{url_encode(params)}"

    def _payment_form_values(self, appointment_sudo, access_token, embedded=False):
        """What payment.form needs to pay the appointment's deposit due."""
        partner_sudo = self._payment_partner(appointment_sudo).sudo()
        branch_sudo, currency = appointment_sudo.company_id, appointment_sudo.currency_id
        amount = appointment_sudo.randevu_deposit_due
        availability_report = {}
        # Superuser: visitors may read neither providers nor the customer's record.
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                branch_sudo.id, partner_sudo.id, amount, currency_id=currency.id, report=availability_report
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids, partner_sudo.id, currency_id=currency.id, report=availability_report
            )
        )
        tokens_sudo = request.env["payment.token"].sudo()._get_available_tokens(providers_sudo.ids, partner_sudo.id)
        return {
            "amount": amount,
            "currency": currency,
            "partner_id": partner_sudo.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": tokens_sudo,
            "availability_report": availability_report,
            "show_tokenize_input_mapping": self._compute_show_tokenize_input_mapping(providers_sudo),
            "transaction_route": (
                f"/book/embed/pay/{appointment_sudo.id}/transaction"
                if embedded
                else f"/my/appointments/{appointment_sudo.id}/transaction"
            ),
            "landing_route": self._payment_landing_url(appointment_sudo, access_token, embedded),
            "access_token": access_token,
            "company_mismatch": not self._can_partner_pay_in_company(partner_sudo, branch_sudo),
            "expected_company": branch_sudo,
        }

    @http.route(
        "/my/appointments/<int:appointment_id>/pay",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_appointment_pay(self, appointment_id, access_token=None, **kwargs):
        appointment_sudo = self._appointment_or_404(appointment_id, access_token)
        values = self._appointment_values(appointment_sudo, access_token)
        values["page_name"] = "randevu_appointment"
        if values["pay_url"]:
            values.update(self._payment_form_values(appointment_sudo, values["access_token"]))
        return request.render("randevu_booking.portal_appointment_pay", values)

    @http.route(
        "/book/embed/pay/<int:appointment_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_embed_pay(self, appointment_id, access_token=None, **kwargs):
        """The payment page inside the booking iframe (framable by any site, see
        ir.http): the embedded layout, reached with the appointment's access token
        only (a third-party iframe has no session), landing on the embedded
        confirmation once paid."""
        appointment_sudo = self._embedded_appointment(appointment_id, access_token)
        if not appointment_sudo:
            raise request.not_found()
        values = self._appointment_values(appointment_sudo, access_token)
        values.update(
            embedded=True,
            window_url=self._appointment_url(appointment_sudo, "/pay", access_token=access_token),
        )
        if values["pay_url"]:
            values.update(self._payment_form_values(appointment_sudo, access_token, embedded=True))
        return request.render("randevu_booking.booking_embed_pay", values)

    def _deposit_transaction(self, appointment_sudo, access_token, embedded, kwargs):
        """Create the deposit's transaction from the payment form's `kwargs` and return
        its processing values: the deposit due is charged, whatever the browser sends.

        :raise ValidationError: when there is nothing to pay or a key is not allowed
        """
        if not appointment_sudo._randevu_payable():
            raise ValidationError(request.env._("There is nothing to pay for this appointment."))
        self._validate_transaction_kwargs(kwargs)
        token = access_token if self._token_valid(appointment_sudo, access_token) else None
        kwargs.update(
            amount=appointment_sudo.randevu_deposit_due,
            currency_id=appointment_sudo.currency_id.id,
            partner_id=self._payment_partner(appointment_sudo).id,
            landing_route=self._payment_landing_url(appointment_sudo, token, embedded),
        )
        kwargs.pop("csrf_token", None)
        tx_sudo = self._create_transaction(
            custom_create_values={"randevu_appointment_ids": [Command.set(appointment_sudo.ids)]}, **kwargs
        )
        _logger.info("Deposit transaction %s created for appointment %s", tx_sudo.reference, appointment_sudo.id)
        return tx_sudo._get_processing_values()

    @public_json_route("/my/appointments/<int:appointment_id>/transaction", methods=["POST"])
    def portal_appointment_transaction(self, appointment_id, access_token=None, **kwargs):
        """Create the deposit's transaction and return its processing values.

        :raise ValidationError: on a wrong appointment or token, or nothing to pay
        """
        try:
            appointment_sudo = self._appointment_check_access(appointment_id, access_token)
        except (AccessError, MissingError):
            raise ValidationError(request.env._("The access token is invalid.")) from None
        return self._deposit_transaction(appointment_sudo, access_token, False, kwargs)

    @public_json_route("/book/embed/pay/<int:appointment_id>/transaction", methods=["POST"])
    def book_embed_pay_transaction(self, appointment_id, access_token=None, **kwargs):
        """The transaction route of the embedded payment page: the access token only.

        :raise ValidationError: on a wrong appointment or token, or nothing to pay
        """
        appointment_sudo = self._embedded_appointment(appointment_id, access_token)
        if not appointment_sudo:
            raise ValidationError(request.env._("The access token is invalid."))
        return self._deposit_transaction(appointment_sudo, access_token, True, kwargs)
