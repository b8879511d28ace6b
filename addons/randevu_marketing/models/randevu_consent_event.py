from odoo import api, fields, models
from odoo.exceptions import UserError

CHANNELS = [("email", "Email"), ("sms", "SMS"), ("whatsapp", "WhatsApp")]
PURPOSES = [("marketing", "Marketing")]
STATES = [("pending", "Waiting for confirmation"), ("granted", "Granted"), ("withdrawn", "Withdrawn")]
SOURCES = [
    ("booking_form", "Booking form"),
    ("portal", "Customer portal"),
    ("chat", "Chat"),
    ("till", "At the till"),
    ("import", "Import"),
    ("backend", "Backend"),
    ("email_link", "Link in an email"),
    ("message_reply", "Reply by message"),
    ("blacklist", "Blacklist"),
]


class RandevuConsentEvent(models.Model):
    """One change of a customer's consent, kept as proof: what state, when, where it was
    given (source), the exact text the customer was shown, the address it applies to,
    who recorded it and, on the web, the IP address and browser. Append-only: no group
    may write or delete one, and a PostgreSQL trigger refuses UPDATE and DELETE on the
    table whoever asks (the superuser included)."""

    _name = "randevu.consent.event"
    _description = "Consent history"
    _order = "date desc, id desc"
    _rec_name = "consent_id"

    consent_id = fields.Many2one("randevu.consent", required=True, index=True, ondelete="restrict", readonly=True)
    # Copied from the consent at creation (not related/computed: a computed stored value
    # would be written by an UPDATE, which the table refuses).
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="restrict", readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    purpose = fields.Selection(PURPOSES, required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    state = fields.Selection(STATES, required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    source = fields.Selection(SOURCES, required=True, readonly=True)
    text = fields.Text("Text shown", required=True, readonly=True, help="The exact words the customer was shown.")
    address = fields.Char(required=True, readonly=True, help="The email address or phone number (E.164) it applies to.")
    user_id = fields.Many2one("res.users", string="Recorded by", readonly=True, ondelete="restrict")
    ip_address = fields.Char("IP address", readonly=True)
    user_agent = fields.Char(readonly=True)

    def init(self):
        # The history is proof: the database itself refuses to change or delete it.
        self.env.cr.execute(
            """
            CREATE OR REPLACE FUNCTION randevu_consent_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'randevu_consent_event is append-only: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS randevu_consent_event_append_only ON randevu_consent_event;
            CREATE TRIGGER randevu_consent_event_append_only
                BEFORE UPDATE OR DELETE ON randevu_consent_event
                FOR EACH ROW EXECUTE FUNCTION randevu_consent_event_append_only();
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Customer, channel, purpose and branch are the consent's, whatever is passed.
            consent = self.env["randevu.consent"].browse(vals.get("consent_id")).exists()
            if consent:
                vals.update(
                    partner_id=consent.partner_id.id,
                    channel=consent.channel,
                    purpose=consent.purpose,
                    company_id=consent.partner_id.company_id.id,
                )
            # The time and the recorder are the server's, never the caller's; a public
            # flow (sudo) passes the user it acts for.
            vals["date"] = fields.Datetime.now()
            if not self.env.su or not vals.get("user_id"):
                vals["user_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.check_access("write")  # no right: the access error, as for any model
            raise UserError(self.env._("The consent history is kept as proof: it cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The consent history is kept as proof: it cannot be deleted."))
