import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from odoo.addons.randevu_inbox.tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi

_logger = logging.getLogger(__name__)


class MailingMailing(models.Model):
    """WhatsApp campaigns: a mailing of type *WhatsApp* to contacts (a segment's customers)
    sends an approved WhatsApp **marketing** template of the branch's account to each of
    them who has WhatsApp marketing consent for their current number, checked when it is
    sent. It goes through mass_mailing's own queue, so randevu_marketing's quiet hours
    (action_put_in_queue, _process_mass_mailing_queue) and frequency cap
    (_randevu_capped_partner_ids, counting every mailing's traces, email, SMS and WhatsApp
    together) apply to it as they are."""

    _inherit = "mailing.mailing"

    mailing_type = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
    randevu_whatsapp_template_id = fields.Many2one(
        "mail.whatsapp.template",
        string="WhatsApp Template",
        domain="[('state', '=', 'approved'), ('category', '=', 'marketing'), ('model', '=', 'res.partner')]",
        help="An approved marketing template of the branch's WhatsApp account, applying to Contacts "
        "(its variables read the customer).",
    )

    @api.constrains("mailing_type", "randevu_whatsapp_template_id", "mailing_model_id")
    def _check_randevu_whatsapp(self):
        for mailing in self.filtered(lambda mailing: mailing.mailing_type == "whatsapp"):
            template = mailing.sudo().randevu_whatsapp_template_id
            if mailing.mailing_model_real != "res.partner":
                raise ValidationError(self.env._("A WhatsApp campaign goes to contacts (customers)."))
            if template and (template.category != "marketing" or template.model != "res.partner"):
                raise ValidationError(
                    self.env._("A WhatsApp campaign sends a marketing template applying to Contacts.")
                )
            if template and template.company_id and template.company_id != mailing._randevu_company():
                raise ValidationError(
                    self.env._(
                        "The template belongs to the WhatsApp account of %(branch)s, not of the campaign's branch.",
                        branch=template.company_id.name,
                    )
                )

    def _get_default_mailing_domain(self):
        domain = super()._get_default_mailing_domain()
        if (
            self.mailing_type == "whatsapp"
            and "phone_sanitized_blacklisted" in self.env[self.mailing_model_name]._fields
        ):
            domain = expression.AND([domain, [("phone_sanitized_blacklisted", "=", False)]])
        return domain

    def _action_send_mail(self, res_ids=None):
        whatsapp = self.filtered(lambda mailing: mailing.mailing_type == "whatsapp")
        for mailing in whatsapp:
            mailing._randevu_send_whatsapp(res_ids)
        return super(MailingMailing, self - whatsapp)._action_send_mail(res_ids=res_ids)

    def _randevu_send_whatsapp(self, res_ids=None):
        """Send the template to the recipients not reached yet: one trace each (mass
        mailing's bookkeeping: the queue marks the mailing done once all have one), sent
        with its wamid, or cancelled for no consent or the frequency cap, or failed with
        WhatsApp's reason. Each message sent is shown in the customer's WhatsApp chat."""
        self.ensure_one()
        res_ids = res_ids or self._get_remaining_recipients()
        if not res_ids:
            return
        # sudo: the template and its account (token) are configuration; the queue runs as
        # the superuser, a manager's "Send now" reads them for her own branch's mailing.
        template = self.sudo().randevu_whatsapp_template_id
        if not template or template.state != "approved":
            raise ValidationError(self.env._("Choose an approved WhatsApp marketing template before sending."))
        gateway = template.gateway_id
        partners = self.env["res.partner"].sudo().browse(res_ids)
        consented = self.env["randevu.consent"]._randevu_reachable_partner_ids("whatsapp", partners.ids)
        capped = self._randevu_capped_partner_ids(sorted(consented))
        api = WhatsAppCloudApi(gateway)
        Conversation = self.env["randevu.conversation"]
        traces = []
        for partner in partners:
            values = {
                "trace_type": "whatsapp",
                "model": "res.partner",
                "res_id": partner.id,
                "mass_mailing_id": self.id,
                "sms_number": partner.phone_sanitized,
            }
            if partner.id not in consented:
                traces.append(dict(values, trace_status="cancel", failure_type="whatsapp_no_consent"))
                continue
            if partner.id in capped:
                traces.append(dict(values, trace_status="cancel", failure_type="whatsapp_frequency_cap"))
                continue
            bound = template.with_context(default_res_id=partner.id, default_res_ids=partner.ids)
            try:
                wamid = api.send_template(
                    partner.phone_sanitized, template.template_name, template.language, bound.prepare_value_to_send()
                )
            except WhatsAppApiError as error:
                _logger.info("WhatsApp campaign %s: %s refused: %s", self.id, partner.id, error)
                traces.append(
                    dict(values, trace_status="error", failure_type="whatsapp_error", failure_reason=str(error)[:500])
                )
                continue
            traces.append(
                dict(values, trace_status="sent", sent_datetime=fields.Datetime.now(), whatsapp_message_id=wamid)
            )
            conversation = Conversation._randevu_get(
                gateway.company_id, "whatsapp", partner.phone_sanitized, gateway, partner=partner
            )
            conversation._randevu_log_outbound(bound.render_body_message())
        self.env["mailing.trace"].sudo().create(traces)
