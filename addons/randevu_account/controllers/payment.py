import logging

from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.fields import Command
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.payment import utils as payment_utils

_logger = logging.getLogger(__name__)


class RandevuPaymentLink(PaymentPortal):
    """Paying an appointment's deposit from a payment link (see
    randevu.appointment._randevu_payment_link), on any channel and without the website:
    Odoo's own payment page (``/payment/pay``) for the appointment, then a transaction
    route of ours that charges the deposit due, whatever the browser sends, and links
    the transaction to the appointment (which pays it once done)."""

    @http.route()
    def payment_pay(self, *args, amount=None, randevu_appointment_id=None, access_token=None, **kwargs):
        """Odoo's payment page, for the appointment of ``randevu_appointment_id`` when
        given: its customer, currency and branch, checked against the link's payment
        access token (a link to another appointment's amount is not found)."""
        amount = self._cast_as_float(amount)
        appointment_id = self._cast_as_int(randevu_appointment_id)
        if appointment_id:
            # Superuser: whoever holds the link reads no appointment; the token is checked next.
            appointment_sudo = request.env["randevu.appointment"].sudo().browse(appointment_id).exists()
            if not appointment_sudo or not payment_utils.check_access_token(
                access_token, appointment_sudo.partner_id.id, amount, appointment_sudo.currency_id.id
            ):
                raise request.not_found()
            kwargs.update(
                reference=appointment_sudo.name,
                currency_id=appointment_sudo.currency_id.id,
                partner_id=appointment_sudo.partner_id.id,
                company_id=appointment_sudo.company_id.id,
                randevu_appointment_id=appointment_id,
            )
        return super().payment_pay(*args, amount=amount, access_token=access_token, **kwargs)

    def _get_extra_payment_form_values(self, randevu_appointment_id=None, access_token=None, **kwargs):
        """The payment form of an appointment's link posts to the appointment's
        transaction route with the appointment's access token; nothing to pay (paid
        meanwhile, cancelled, past) stops the flow."""
        form_values = super()._get_extra_payment_form_values(access_token=access_token, **kwargs)
        appointment_id = self._cast_as_int(randevu_appointment_id)
        if appointment_id:
            # Superuser: payment_pay checked the link's token for this appointment.
            appointment_sudo = request.env["randevu.appointment"].sudo().browse(appointment_id)
            if not appointment_sudo._randevu_payable():
                form_values["amount"] = 0.0
            form_values.update(
                transaction_route=f"/randevu/appointment/{appointment_id}/transaction",
                access_token=appointment_sudo.access_token,
            )
        return form_values

    @http.route("/randevu/appointment/<int:appointment_id>/transaction", type="json", auth="public")
    def randevu_appointment_transaction(self, appointment_id, access_token=None, **kwargs):
        """Create the deposit's transaction and return its processing values: the
        deposit due, in the appointment's currency, paid by the logged-in visitor or
        else the appointment's customer, linked to the appointment.

        :raise ValidationError: on a wrong appointment or token, or nothing to pay
        """
        try:
            appointment_sudo = self._document_check_access("randevu.appointment", appointment_id, access_token)
        except (AccessError, MissingError):
            raise ValidationError(request.env._("The access token is invalid.")) from None
        if not appointment_sudo._randevu_payable():
            raise ValidationError(request.env._("There is nothing to pay for this appointment."))
        self._validate_transaction_kwargs(kwargs)
        user = request.env.user
        partner = appointment_sudo.partner_id if user._is_public() else user.partner_id
        amount, currency = appointment_sudo.randevu_deposit_due, appointment_sudo.currency_id
        kwargs.pop("csrf_token", None)
        kwargs.update(
            amount=amount,
            currency_id=currency.id,
            partner_id=partner.id,
            landing_route=self._randevu_landing_route(appointment_sudo),
        )
        tx_sudo = self._create_transaction(
            custom_create_values={"randevu_appointment_ids": [Command.set(appointment_sudo.ids)]}, **kwargs
        )
        # Odoo's confirmation page checks this token against the transaction's values.
        self._update_landing_route(tx_sudo, payment_utils.generate_access_token(partner.id, amount, currency.id))
        _logger.info("Deposit transaction %s created for appointment %s", tx_sudo.reference, appointment_sudo.id)
        return tx_sudo._get_processing_values()

    def _randevu_landing_route(self, appointment_sudo):
        """Where the customer lands once paid from a link: Odoo's payment confirmation
        (the website's booking pages may send them to the appointment instead)."""
        return "/payment/confirmation"
