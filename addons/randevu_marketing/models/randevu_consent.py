import time
import unicodedata

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .randevu_consent_event import CHANNELS, PURPOSES, SOURCES, STATES

# Sources where the customer typed the address herself on the web: a grant there waits
# for her confirmation (double opt-in) before it counts.
DOUBLE_OPT_IN_SOURCES = ("booking_form", "portal")
CONFIRM_VALIDITY = 7 * 24 * 3600  # seconds a confirmation link works
YES_WORDS = {"EVET", "YES", "OUI"}
STOP_WORDS = {"STOP", "DUR", "ARRET"}


def _reply_word(text):
    """The reply's single word, upper case without accents ("arrêt" -> "ARRET",
    "evet." -> "EVET"); None when the reply is more than one word."""
    words = (text or "").strip().strip(".!").split()
    if len(words) != 1:
        return None
    word = unicodedata.normalize("NFKD", words[0].replace("ı", "i").replace("İ", "I"))  # noqa: RUF001
    return "".join(char for char in word if not unicodedata.combining(char)).upper()


class RandevuConsent(models.Model):
    """A customer's consent for one channel and purpose (email, SMS or WhatsApp, for
    marketing). Its state, address, date and source are those of its latest event: they
    change only by appending an event (`_randevu_record`), never by writing them. It
    applies only to the address it was given for: once the customer's email or phone
    changes, it no longer covers the new one."""

    _name = "randevu.consent"
    _description = "Marketing consent"
    _order = "partner_id, channel, purpose"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="restrict")
    channel = fields.Selection(CHANNELS, required=True)
    purpose = fields.Selection(PURPOSES, required=True, default="marketing")
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    event_ids = fields.One2many("randevu.consent.event", "consent_id", string="History")
    state = fields.Selection(STATES, compute="_compute_from_last_event", store=True)
    address = fields.Char(compute="_compute_from_last_event", store=True, help="The address the consent was given for.")
    date = fields.Datetime("Last change", compute="_compute_from_last_event", store=True)
    source = fields.Selection(SOURCES, compute="_compute_from_last_event", store=True)
    current_address = fields.Char(compute="_compute_applies", help="The customer's address for this channel today.")
    applies = fields.Boolean(
        "Can be messaged",
        compute="_compute_applies",
        help="Granted, for the customer's current address: marketing messages on this channel may be sent.",
    )

    _sql_constraints = [
        (
            "partner_channel_purpose_unique",
            "UNIQUE(partner_id, channel, purpose)",
            "A customer has one consent per channel and purpose.",
        )
    ]

    @api.depends("event_ids")
    def _compute_from_last_event(self):
        for consent in self:
            last = consent.event_ids.sorted(lambda event: (event.date, event.id))[-1:]
            consent.state = last.state
            consent.address = last.address
            consent.date = last.date
            consent.source = last.source

    @api.depends("state", "address", "channel", "partner_id.email", "partner_id.phone", "partner_id.mobile")
    def _compute_applies(self):
        for consent in self:
            consent.current_address = self._randevu_partner_address(consent.partner_id, consent.channel)
            consent.applies = (
                consent.state == "granted" and bool(consent.address) and consent.address == consent.current_address
            )

    def write(self, vals):
        kept = {"state", "address", "date", "source", "partner_id", "channel", "purpose"} & set(vals)
        if kept:
            self.check_access("write")  # no right: the access error, as for any model
            raise UserError(
                self.env._("A consent changes only by recording a new consent or withdrawal, never by editing it.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_with_history(self):
        if self.event_ids:
            raise UserError(self.env._("A consent with a history is kept as proof: it cannot be deleted."))

    # ------------------------------------------------------------------ addresses
    @api.model
    def _randevu_partner_address(self, partner, channel):
        """The partner's address for `channel`: normalized email, or phone in E.164."""
        if not partner:
            return False
        if channel == "email":
            return partner.email_normalized or False
        return partner.phone_sanitized or False

    @api.model
    def _randevu_normalize_address(self, channel, address, partner=None):
        if not address:
            return False
        if channel == "email":
            return tools.email_normalize(address) or False
        partner = partner or self.env["res.partner"]
        return partner._phone_format(number=address, country=partner.country_id or self.env.company.country_id) or False

    @api.model
    def _randevu_default_text(self, channel, company=None, lang=None):
        """The sentence shown to a customer asked for marketing consent on `channel`."""
        env = self.with_context(lang=lang).env if lang else self.env
        company = company or env.company
        label = dict(self.with_env(env)._fields["channel"]._description_selection(env))[channel]
        return env._(
            "I agree to receive offers and news from %(company)s by %(channel)s. I can withdraw at any time.",
            company=company.name,
            channel=label,
        )

    # ------------------------------------------------------------------ demo data
    @api.model
    def _randevu_demo_consents(self):
        """Demo data only: consents of every kind on the demo customers, recorded as the
        real paths record them (the till, the booking form with its double opt-in, a reply
        by message, an import). Idempotent: customers who have a consent are left alone."""
        ref = self.env.ref
        customers = {
            key: ref(f"randevu_calendar.randevu_customer_{key}", raise_if_not_found=False)
            for key in ("zeynep", "deniz", "selin", "chloe", "manon")
        }
        if not all(customers.values()) or self.search_count(
            [("partner_id", "in", [partner.id for partner in customers.values()])]
        ):
            return
        kadikoy = ref("randevu_calendar.randevu_branch_kadikoy")
        paris = ref("randevu_calendar.randevu_branch_paris")

        def text(channel, branch, lang):
            return self._randevu_default_text(channel, company=branch, lang=lang)

        zeynep, deniz, selin = customers["zeynep"], customers["deniz"], customers["selin"]
        self._randevu_record(zeynep, "email", "granted", "till", text("email", kadikoy, "tr_TR"))
        # SMS from the booking form: pending, then confirmed by "EVET".
        self._randevu_record(
            zeynep,
            "sms",
            "granted",
            "booking_form",
            text("sms", kadikoy, "tr_TR"),
            ip_address="85.105.12.7",
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1)",
        )
        self._randevu_handle_reply(zeynep.phone, "EVET", "sms")
        # WhatsApp given at the till, withdrawn later by "DUR".
        self._randevu_record(deniz, "whatsapp", "granted", "till", text("whatsapp", kadikoy, "tr_TR"))
        self._randevu_handle_reply(deniz.phone, "DUR", "whatsapp")
        # Email from the booking form, never confirmed: pending, not messaged.
        self._randevu_record(
            selin,
            "email",
            "granted",
            "booking_form",
            text("email", kadikoy, "tr_TR"),
            ip_address="88.230.44.19",
            user_agent="Mozilla/5.0 (Linux; Android 15)",
        )
        self._randevu_record(customers["chloe"], "email", "granted", "till", text("email", paris, "fr_FR"))
        self._randevu_record(
            customers["manon"],
            "email",
            "granted",
            "import",
            "Imported from the salon's previous booking system: newsletter opt-in of 2 March 2026.",
        )

    # ------------------------------------------------------------------ recording
    @api.model
    def _randevu_get(self, partner, channel, purpose="marketing"):
        """The consent of `partner` for `channel` and `purpose`, created when missing.
        Two requests recording the first consent at once (a double click) must not
        fail on the unique constraint: INSERT ... ON CONFLICT DO NOTHING, then read."""
        domain = [("partner_id", "=", partner.id), ("channel", "=", channel), ("purpose", "=", purpose)]
        consent = self.search(domain, limit=1)
        if consent:
            return consent
        self.check_access("create")
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_consent
                       (partner_id, channel, purpose, company_id, create_uid, create_date, write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC')
                ON CONFLICT (partner_id, channel, purpose) DO NOTHING
                """,
                partner.id,
                channel,
                purpose,
                partner.company_id.id or None,
                self.env.uid,
                self.env.uid,
            )
        )
        return self.search(domain, limit=1)

    @api.model
    def _randevu_record(
        self,
        partner,
        channel,
        state,
        source,
        text,
        address=None,
        purpose="marketing",
        ip_address=None,
        user_agent=None,
        user=None,
        double_opt_in=None,
    ):
        """Append an event to `partner`'s consent for `channel` and return it. A grant
        from the web (DOUBLE_OPT_IN_SOURCES, unless `double_opt_in` says otherwise) is
        recorded as pending and asks the customer to confirm: by email a signed link; by
        SMS/WhatsApp the customer answers "EVET"/"YES"/"OUI" (`_randevu_handle_reply`)."""
        if channel not in dict(CHANNELS) or state not in dict(STATES) or source not in dict(SOURCES):
            raise UserError(self.env._("Unknown consent channel, state or source."))
        if not (text or "").strip():
            raise UserError(self.env._("Record the exact text the customer was shown."))
        address = self._randevu_normalize_address(channel, address, partner) if address else False
        address = address or self._randevu_partner_address(partner, channel)
        if not address:
            raise UserError(
                self.env._(
                    "%(customer)s has no valid address for %(channel)s: add it before recording a consent.",
                    customer=partner.display_name,
                    channel=dict(self._fields["channel"]._description_selection(self.env))[channel],
                )
            )
        if double_opt_in is None:
            double_opt_in = source in DOUBLE_OPT_IN_SOURCES
        if state == "granted" and double_opt_in:
            state = "pending"
        consent = self._randevu_get(partner, channel, purpose)
        vals = {
            "consent_id": consent.id,
            "partner_id": partner.id,
            "channel": channel,
            "purpose": purpose,
            "company_id": partner.company_id.id,
            "state": state,
            "source": source,
            "text": text,
            "address": address,
            "ip_address": ip_address,
            "user_agent": (user_agent or "")[:500] or False,
        }
        if user:
            vals["user_id"] = user.id
        event = self.env["randevu.consent.event"].create(vals)
        consent.invalidate_recordset(["state", "address", "date", "source"])
        if state == "pending" and channel == "email":
            consent._randevu_send_confirmation_email()
        return event

    # ------------------------------------------------------------------ double opt-in
    def _randevu_sign(self, scope, *parts):
        # Superuser environment: tools.hmac reads the database secret.
        return tools.hmac(self.env(su=True), scope, "|".join(str(part) for part in parts))

    def _randevu_confirm_token(self, expiry=None):
        self.ensure_one()
        expiry = int(expiry if expiry is not None else time.time() + CONFIRM_VALIDITY)
        signature = self._randevu_sign("randevu_consent_confirm", self.id, self.address, expiry)
        return f"{self.id}-{expiry}-{signature}"

    @api.model
    def _randevu_check_confirm_token(self, token):
        """The pending consent `token` confirms, or an empty recordset when the token is
        forged, expired, or no longer matches a pending consent for the same address."""
        try:
            consent_id, expiry, signature = token.split("-", 2)
            consent_id, expiry = int(consent_id), int(expiry)
        except ValueError:
            return self.browse()
        consent = self.browse(consent_id).exists()
        if not consent or expiry < time.time() or consent.state != "pending":
            return self.browse()
        expected = self._randevu_sign("randevu_consent_confirm", consent.id, consent.address, expiry)
        return consent if tools.consteq(expected, signature) else self.browse()

    def _randevu_send_confirmation_email(self):
        """Queue the double opt-in email with its signed link (mail queue: sent by the
        mail cron, after the commit)."""
        self.ensure_one()
        partner = self.partner_id
        env = self.with_context(lang=partner.lang or self.env.lang).env
        company = partner.company_id or env.company
        url = f"{self.get_base_url()}/randevu/consent/confirm/{self._randevu_confirm_token()}"
        body = Markup("<p>{}</p><p><a href='{}'>{}</a></p><p>{}</p>").format(
            env._(
                "Please confirm that you want to receive offers and news from %(company)s by email.",
                company=company.name,
            ),
            url,
            env._("Yes, I confirm"),
            env._("If you did not ask for it, ignore this message: you will receive nothing."),
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": env._("Confirm your subscription to %(company)s", company=company.name),
                "body_html": body,
                "email_to": self.address,
                "email_from": company.email_formatted or self.env.company.email_formatted or False,
                "auto_delete": False,
            }
        )
        return url

    # ------------------------------------------------------------------ message replies
    @api.model
    def _randevu_handle_reply(self, phone, text, channel="sms"):
        """Called by the inbox with an incoming SMS or WhatsApp message: "EVET", "YES"
        or "OUI" confirms a pending consent of that number; "STOP", "DUR" or "ARRET"
        withdraws it. Returns the events recorded (empty when the text is neither)."""
        events = self.env["randevu.consent.event"]
        word = _reply_word(text)
        if channel not in ("sms", "whatsapp") or word not in YES_WORDS | STOP_WORDS:
            return events
        number = self._randevu_normalize_address(channel, phone)
        if not number:
            return events
        consents = self.search([("channel", "=", channel), ("address", "=", number)])
        for consent in consents:
            if word in YES_WORDS and consent.state == "pending":
                new_state = "granted"
            elif word in STOP_WORDS and consent.state in ("pending", "granted"):
                new_state = "withdrawn"
            else:
                continue
            events |= self._randevu_record(
                consent.partner_id,
                channel,
                new_state,
                "message_reply",
                text.strip(),
                address=number,
                purpose=consent.purpose,
                double_opt_in=False,
            )
        return events

    @api.model
    def _randevu_withdraw_blacklisted(self, channel, addresses):
        """Odoo's blacklists (an SMS mailing's unsubscribe link, a blacklist entry made
        in the backend) are withdrawals too: record one on each granted or pending
        consent of `channel` for those addresses."""
        consents = self.search([("channel", "=", channel), ("address", "in", addresses), ("state", "!=", "withdrawn")])
        for consent in consents:
            lang = consent.partner_id.lang or self.env.lang
            self._randevu_record(
                consent.partner_id,
                channel,
                "withdrawn",
                "blacklist",
                self.with_context(lang=lang).env._("Address added to the blacklist"),
                address=consent.address,
                purpose=consent.purpose,
            )
        return consents

    # ------------------------------------------------------------------ unsubscribe
    @api.model
    def _randevu_unsubscribe_token(self, partner_id, channel, address):
        return self._randevu_sign("randevu_consent_unsubscribe", partner_id, channel, address)

    @api.model
    def _randevu_unsubscribe_url(self, partner_id, channel, address):
        from werkzeug.urls import url_encode

        token = self._randevu_unsubscribe_token(partner_id, channel, address)
        query = url_encode({"address": address, "token": token})
        return f"{self.get_base_url()}/randevu/consent/unsubscribe/{partner_id}/{channel}?{query}"

    # ------------------------------------------------------------------ sending
    @api.model
    def _randevu_reachable_partner_ids(self, channel, partner_ids, purpose="marketing"):
        """The ids among `partner_ids` whose consent for `channel` and `purpose` is
        granted for their current address (one query)."""
        if not partner_ids:
            return set()
        self.env["res.partner"].flush_model(["email_normalized", "phone_sanitized"])
        self.flush_model(["state", "address", "partner_id", "channel", "purpose"])
        column = SQL.identifier("email_normalized" if channel == "email" else "phone_sanitized")
        self.env.cr.execute(
            SQL(
                """
                SELECT partner.id
                  FROM res_partner partner
                  JOIN randevu_consent consent ON consent.partner_id = partner.id
                 WHERE partner.id = ANY(%s)
                   AND consent.channel = %s AND consent.purpose = %s
                   AND consent.state = 'granted'
                   AND consent.address = partner.%s
                """,
                list(partner_ids),
                channel,
                purpose,
                column,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def action_view_history(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consent history"),
            "res_model": "randevu.consent.event",
            "view_mode": "list,form",
            "domain": [("consent_id", "=", self.id)],
        }
