import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.payment import utils as payment_utils
from odoo.addons.randevu_account.controllers.payment import RandevuPaymentLink

_logger = logging.getLogger(__name__)


class RandevuDuePaymentLink(RandevuPaymentLink):
    """Paying what a customer owes at a branch from a payment link (res.partner's
    `_randevu_due_payment_link`, sent by email or SMS, or the portal's What Is Due):
    Odoo's /payment/pay page, then a transaction route of ours that charges what is
    still due there (whatever the browser sends) and marks the transaction to settle
    it (payment.transaction.randevu_settle_due_company_id)."""

    def _get_extra_payment_form_values(self, randevu_due_company_id=None, access_token=None, **kwargs):
        form_values = super()._get_extra_payment_form_values(access_token=access_token, **kwargs)
        company_id = self._cast_as_int(randevu_due_company_id)
        partner_id = self._cast_as_int(kwargs.get("partner_id"))
        if company_id and partner_id:
            # payment_pay checked the link's token for the partner, amount and currency.
            partner_sudo = request.env["res.partner"].sudo().browse(partner_id)
            company_sudo = request.env["res.company"].sudo().browse(company_id)
            if not partner_sudo._randevu_due_to_pay(company_sudo):
                form_values["amount"] = 0.0
            form_values.update(
                transaction_route=f"/randevu/due/{company_id}/{partner_id}/transaction",
                access_token=partner_sudo._randevu_due_access_token(company_sudo),
            )
        return form_values

    @http.route("/randevu/due/<int:company_id>/<int:partner_id>/transaction", type="json", auth="public")
    def randevu_due_transaction(self, company_id, partner_id, access_token=None, **kwargs):
        """Create the transaction of what the customer owes at the branch and return its
        processing values.

        :raise ValidationError: on a wrong token, or nothing to pay
        """
        # Superuser: whoever holds the link reads no partner; the token is checked next.
        partner_sudo = request.env["res.partner"].sudo().browse(partner_id).exists()
        company_sudo = request.env["res.company"].sudo().browse(company_id).exists()
        if (
            not partner_sudo
            or not company_sudo
            or not consteq(access_token or "", partner_sudo._randevu_due_access_token(company_sudo))
        ):
            raise request.not_found()
        amount = partner_sudo._randevu_due_to_pay(company_sudo)
        if not amount:
            raise ValidationError(request.env._("There is nothing to pay."))
        self._validate_transaction_kwargs(kwargs)
        currency = company_sudo.currency_id
        kwargs.pop("csrf_token", None)
        kwargs.update(
            amount=amount,
            currency_id=currency.id,
            partner_id=partner_sudo.id,
            landing_route="/payment/confirmation",
        )
        tx_sudo = self._create_transaction(
            custom_create_values={"randevu_settle_due_company_id": company_sudo.id}, **kwargs
        )
        self._update_landing_route(tx_sudo, payment_utils.generate_access_token(partner_sudo.id, amount, currency.id))
        _logger.info("Due transaction %s created for partner %s at %s", tx_sudo.reference, partner_id, company_id)
        return tx_sudo._get_processing_values()
