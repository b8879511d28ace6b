from odoo import api, fields, models

from ..models.randevu_consent_event import CHANNELS


class RandevuConsentRecord(models.TransientModel):
    """Record a consent or a withdrawal at the desk or the till: the receptionist
    picks the channel and reads the text to the customer (or shows it), which is kept
    with the event."""

    _name = "randevu.consent.record"
    _description = "Record a marketing consent"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    channel = fields.Selection(CHANNELS, required=True, default="email")
    state = fields.Selection(
        [("granted", "Gives consent"), ("withdrawn", "Withdraws consent")],
        string="The customer",
        required=True,
        default="granted",
    )
    source = fields.Selection(
        [("till", "At the till"), ("backend", "Backend"), ("import", "Import")], required=True, default="till"
    )
    address = fields.Char(compute="_compute_address", store=True, readonly=False, required=True, precompute=True)
    text = fields.Text(
        "Text shown", compute="_compute_text", store=True, readonly=False, required=True, precompute=True
    )

    @api.depends("partner_id", "channel")
    def _compute_address(self):
        Consent = self.env["randevu.consent"]
        for wizard in self:
            wizard.address = Consent._randevu_partner_address(wizard.partner_id, wizard.channel)

    @api.depends("partner_id", "channel")
    def _compute_text(self):
        Consent = self.env["randevu.consent"]
        for wizard in self:
            wizard.text = Consent._randevu_default_text(
                wizard.channel, wizard.partner_id.company_id or self.env.company, lang=wizard.partner_id.lang
            )

    def action_record(self):
        for wizard in self:
            self.env["randevu.consent"]._randevu_record(
                wizard.partner_id, wizard.channel, wizard.state, wizard.source, wizard.text, address=wizard.address
            )
        return {"type": "ir.actions.act_window_close"}
