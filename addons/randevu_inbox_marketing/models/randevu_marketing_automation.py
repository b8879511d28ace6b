from odoo import api, fields, models


class RandevuMarketingAutomation(models.Model):
    """WhatsApp as an automation's channel (win-back, birthday): its message is a WhatsApp
    mailing (mailing.mailing of type WhatsApp, an approved marketing template of the
    branch's account), sent through the WhatsApp campaigns' own sending
    (`_randevu_send_whatsapp`: WhatsApp marketing consent for the current number, the
    frequency cap counted with every campaign and automation), by randevu_marketing's
    cron: quiet hours, once per episode, cancelled once the client has booked."""

    _inherit = "randevu.marketing.automation"

    channel = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
    whatsapp_template_id = fields.Many2one(
        "mail.whatsapp.template",
        string="WhatsApp Template",
        compute="_compute_whatsapp_template_id",
        inverse="_inverse_whatsapp_template_id",
        domain="[('state', '=', 'approved'), ('category', '=', 'marketing'), ('model', '=', 'res.partner')]",
        help="The approved marketing template of the branch's WhatsApp account the automation sends "
        "(its variables read the customer).",
    )

    # Superuser: the message (a mailing) is the automation's own, set up by managers who
    # need not be Email Marketing users (as randevu_marketing's _randevu_ensure_mailing).
    @api.depends("mailing_id")
    def _compute_whatsapp_template_id(self):
        for automation in self:
            automation.whatsapp_template_id = automation.sudo().mailing_id.randevu_whatsapp_template_id

    def _inverse_whatsapp_template_id(self):
        for automation in self:
            mailing = automation.sudo().mailing_id
            if mailing:
                mailing.randevu_whatsapp_template_id = automation.whatsapp_template_id

    def _randevu_select(self, batch_size, now):
        # Without an approved template there is nothing to send: nobody is picked (and so
        # nobody's episode is used up) until one is chosen.
        if self.channel == "whatsapp" and not self._randevu_whatsapp_ready():
            return 0, False
        return super()._randevu_select(batch_size, now)

    def _randevu_whatsapp_ready(self):
        self.ensure_one()
        template = self.sudo().mailing_id.randevu_whatsapp_template_id
        return bool(template) and template.state == "approved"

    def _randevu_send_mailing(self, mailing, partner_ids):
        if self.channel != "whatsapp":
            return super()._randevu_send_mailing(mailing, partner_ids)
        # Sends picked before the template was withdrawn get no trace: skipped, "Not sent".
        if self._randevu_whatsapp_ready():
            mailing._randevu_send_whatsapp(partner_ids)
        return None
