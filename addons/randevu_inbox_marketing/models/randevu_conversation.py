from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.randevu_inbox.models.randevu_assistant import LANG_CODES
from odoo.addons.randevu_inbox.tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi
from odoo.addons.randevu_marketing.models.randevu_consent import YES_WORDS, _reply_word

# The inbox's channels that are marketing consent channels too (Instagram is not one).
CONSENT_CHANNELS = ("sms", "whatsapp")
# The language a one-word reply is written in, when the conversation has none yet.
WORD_LANGS = {"EVET": "tr", "DUR": "tr", "YES": "en", "OUI": "fr", "ARRET": "fr"}


class RandevuConversation(models.Model):
    _inherit = "randevu.conversation"

    # The office's, as consents are (staff read the chat, not the customer's consents).
    marketing_consent_ids = fields.Many2many(
        "randevu.consent",
        compute="_compute_marketing_consent_ids",
        string="Marketing Consents",
        groups="randevu_calendar.group_randevu_user",
        help="The customer's marketing consents per channel, as recorded (the history is on the customer).",
    )

    @api.depends("partner_id")
    def _compute_marketing_consent_ids(self):
        Consent = self.env["randevu.consent"]
        for conversation in self:
            partner = conversation.partner_id
            consents = Consent.search([("partner_id", "=", partner.id)]) if partner else Consent
            conversation.marketing_consent_ids = consents

    # ------------------------------------------------------------------ language
    def _randevu_consent_lang(self, text=None):
        """The language to write to the customer in (an Odoo code): the conversation's,
        else the one of the reply word (EVET is Turkish, OUI French), else the customer's
        when it is one of tr/en/fr, else English."""
        self.ensure_one()
        if self.assistant_lang:
            return LANG_CODES[self.assistant_lang]
        word = _reply_word(text) if text else None
        if word in WORD_LANGS:
            return LANG_CODES[WORD_LANGS[word]]
        lang = self.partner_id.lang or ""
        return lang if lang in LANG_CODES.values() else "en_US"

    def _randevu_channel_label(self, env):
        return dict(self._fields["channel"]._description_selection(env))[self.channel]

    # ------------------------------------------------------------------ replies
    def _randevu_consent_reply(self, text):
        """The customer's message `text` on this SMS or WhatsApp conversation, passed to
        `randevu.consent._randevu_handle_reply`: when it confirmed or withdrew a consent,
        the chat notes it, the customer gets a short acknowledgement in their language and
        True is returned (the message is handled: the assistant leaves it)."""
        self.ensure_one()
        if self.channel not in CONSENT_CHANNELS:
            return False
        events = self.env["randevu.consent"]._randevu_handle_reply(self.phone, text, self.channel)
        if not events:
            return False
        label = self._randevu_channel_label(self.env)
        for event in events:
            if event.state == "granted":
                note = self.env._(
                    'Marketing consent by %(channel)s (%(address)s) confirmed: the customer replied "%(text)s".',
                    channel=label,
                    address=event.address,
                    text=event.text,
                )
            else:
                note = self.env._(
                    'Marketing consent by %(channel)s (%(address)s) withdrawn: the customer replied "%(text)s".',
                    channel=label,
                    address=event.address,
                    text=event.text,
                )
            self.with_context(randevu_inbound=True)._message_log(body=plaintext2html(note))
        lang = self._randevu_consent_lang(text)
        env = self.with_context(lang=lang).env
        values = {"company": self.company_id.name, "channel": self._randevu_channel_label(env)}
        if _reply_word(text) in YES_WORDS:
            answer = env._(
                "Thank you: you will receive offers and news from %(company)s by %(channel)s. "
                "Reply STOP at any time to stop them.",
                **values,
            )
        else:
            answer = env._(
                "Done: you will receive no more offers from %(company)s by %(channel)s. "
                "Messages about your appointments still come.",
                **values,
            )
        try:
            with self.env.cr.savepoint():
                self.env["randevu.assistant"].with_context(lang=lang)._randevu_say(
                    self.with_company(self.company_id), answer
                )
        except UserError as error:
            # The consent change stands (it is the customer's); only the acknowledgement failed.
            self.with_context(randevu_inbound=True)._message_log(
                body=plaintext2html(
                    self.env._("The acknowledgement could not be sent: %(reason)s", reason=str(error.args[0]))
                )
            )
        return True

    # ------------------------------------------------------------------ actions
    def _randevu_check_consent_channel(self):
        self.ensure_one()
        self.check_access("write")
        if self.channel not in CONSENT_CHANNELS:
            raise UserError(
                self.env._("Marketing consent is asked and recorded by SMS or WhatsApp only, not on this channel.")
            )

    def _randevu_consent_question(self, lang):
        """The double opt-in question sent on this conversation, in `lang`."""
        env = self.with_context(lang=lang).env
        return env._(
            "Would you like to receive offers and news from %(company)s by %(channel)s? Reply YES to agree. "
            "You can stop them at any time by replying STOP.",
            company=self.company_id.name,
            channel=self._randevu_channel_label(env),
        )

    def _randevu_consent_template(self):
        """The branch's approved consent question template, sent outside WhatsApp's 24-hour
        window; a clear error when there is none."""
        self.ensure_one()
        # sudo: the template and its account are the branch's configuration.
        template = self.company_id.sudo().randevu_whatsapp_consent_template_id
        if not template:
            raise UserError(
                self.env._(
                    "The customer last wrote more than 24 hours ago: WhatsApp then accepts only approved templates, "
                    "and %(branch)s has no consent question template (set one on the branch's form, Appointments tab). "
                    "Nothing was sent: ask when they next write, or record a consent they gave you in the chat.",
                    branch=self.company_id.name,
                )
            )
        if template.state != "approved":
            raise UserError(
                self.env._(
                    "The consent question template %(template)s is not approved by WhatsApp (status: %(state)s): "
                    "nothing was sent.",
                    template=template.name,
                    state=dict(template._fields["state"]._description_selection(self.env)).get(template.state),
                )
            )
        if self.gateway_id and template.gateway_id != self.gateway_id.sudo():
            raise UserError(
                self.env._(
                    "The consent question template %(template)s belongs to another WhatsApp account than this "
                    "conversation's: nothing was sent.",
                    template=template.name,
                )
            )
        return template

    def action_ask_marketing_consent(self):
        """Ask the customer on this channel whether they want marketing messages: a pending
        consent (source *Chat*, the exact question sent) waits for their "YES" (double
        opt-in, read by `_randevu_consent_reply`). On WhatsApp, outside the 24 hours after
        the customer's last message (WhatsApp takes only approved templates then), the
        branch's consent question template is sent, its text recorded as the question;
        without one (or not approved) refused, nothing recorded."""
        self._randevu_check_consent_channel()
        consent = self.env["randevu.consent"].search(
            [("partner_id", "=", self.partner_id.id), ("channel", "=", self.channel), ("purpose", "=", "marketing")],
            limit=1,
        )
        if consent.state == "granted" and consent.address == self.phone:
            raise UserError(
                self.env._(
                    "%(customer)s already agreed to marketing messages by %(channel)s.",
                    customer=self.partner_id.display_name,
                    channel=self._randevu_channel_label(self.env),
                )
            )
        if self.channel == "whatsapp" and not self._randevu_in_window():
            template = self._randevu_consent_template()
            bound = template.with_context(default_res_id=self.partner_id.id, default_res_ids=self.partner_id.ids)
            question = bound.render_body_message()
            self.env["randevu.consent"]._randevu_record(
                self.partner_id, self.channel, "granted", "chat", question, address=self.phone, double_opt_in=True
            )
            # A refusal raises: the pending consent goes with the transaction.
            try:
                WhatsAppCloudApi(template.gateway_id).send_template(
                    self.phone, template.template_name, template.language, bound.prepare_value_to_send()
                )
            except WhatsAppApiError as error:
                raise UserError(
                    self.env._("WhatsApp refused the consent question: %(reason)s", reason=str(error))
                ) from error
            self._randevu_log_outbound(question)
        else:
            lang = self._randevu_consent_lang()
            question = self._randevu_consent_question(lang)
            self.env["randevu.consent"]._randevu_record(
                self.partner_id, self.channel, "granted", "chat", question, address=self.phone, double_opt_in=True
            )
            # A refusal of the channel raises: the pending consent goes with the transaction.
            self.env["randevu.assistant"].with_context(lang=lang)._randevu_say(
                self.with_company(self.company_id), question
            )
        self._message_log(
            body=plaintext2html(
                self.env._(
                    "%(user)s asked the customer for marketing consent by %(channel)s: waiting for their YES.",
                    user=self.env.user.name,
                    channel=self._randevu_channel_label(self.env),
                )
            )
        )
        return True

    def action_record_marketing_consent(self):
        """Open the desk's *Record a consent* wizard for a consent the customer gave (or
        withdrew) in this chat: source *Chat*, this number, the text in the conversation's
        language, to be edited to what the customer was shown."""
        self._randevu_check_consent_channel()
        lang = self._randevu_consent_lang()
        text = self.env["randevu.consent"]._randevu_default_text(self.channel, company=self.company_id, lang=lang)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a consent given in the chat"),
            "res_model": "randevu.consent.record",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_channel": self.channel,
                "default_source": "chat",
                "default_address": self.phone,
                "default_text": text,
                "randevu_conversation_id": self.id,
            },
        }
