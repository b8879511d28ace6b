import mimetypes
from datetime import UTC, datetime, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import html2plaintext, plaintext2html

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES

from ..tools.instagram_api import InstagramApi, InstagramApiError
from ..tools.whatsapp_api import MAX_BUTTONS, WhatsAppApiError, WhatsAppCloudApi
from .randevu_assistant import LANG_CODES
from .randevu_assistant_dialogue import CHOICE_PREFIX, CONFIRM_IDS, CONFIRM_WORDS, REMINDER_IDS, REMINDER_WORDS

# WhatsApp's customer service window: free-form messages only this long after the
# customer's last message; templates only outside it.
SERVICE_WINDOW = timedelta(hours=24)


class RandevuConversation(models.Model):
    """The chat with one customer on one channel at one branch (matched by the customer's
    E.164 phone); its chatter is the chat. A reply posted as a message (not a note) goes
    out on the channel, through the adapter, and is refused outside WhatsApp's 24-hour
    window; the customer's messages come in through the inbox worker."""

    _name = "randevu.conversation"
    _description = "Conversation"
    _inherit = ["mail.thread"]
    _order = "waiting desc, last_customer_message_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("sms", "SMS"), ("instagram", "Instagram")],
        required=True,
        default="whatsapp",
        readonly=True,
    )
    phone = fields.Char(
        string="Number or Account",
        required=True,
        readonly=True,
        help="The customer's number on the channel (E.164), or on Instagram their Instagram-scoped id.",
    )
    gateway_id = fields.Many2one("mail.gateway", string="Account", readonly=True, ondelete="set null")
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        index="btree_not_null",
    )
    last_customer_message_at = fields.Datetime(string="Customer's Last Message", readonly=True)
    last_reply_at = fields.Datetime(string="Last Reply", readonly=True)
    customer_seen_at = fields.Datetime(
        string="Seen by the Customer", readonly=True, help="When the customer last read the chat (Instagram)."
    )
    unread_count = fields.Integer(string="Unread", readonly=True)
    waiting = fields.Boolean(
        string="Waiting for a Reply", readonly=True, index=True, help="The customer wrote last and nobody answered."
    )
    upcoming_appointment_ids = fields.Many2many(
        "randevu.appointment", compute="_compute_upcoming_appointment_ids", string="Upcoming Appointments"
    )
    noshow_count = fields.Integer(related="partner_id.randevu_noshow_count", string="No-shows")

    # The assistant's dialogue (issue 14): what it is in the middle of with the customer.
    # Written by the assistant (the inbox's cron); a receptionist hands a conversation back.
    assistant_lang = fields.Selection(
        [("tr", "Turkish"), ("en", "English"), ("fr", "French")],
        string="Conversation Language",
        readonly=True,
        help="The language the assistant speaks here: the customer's last message long enough to tell.",
    )
    assistant_intent = fields.Selection(
        [("book", "Booking"), ("cancel", "Cancellation"), ("reschedule", "Move")],
        string="Assistant's Pending Request",
        readonly=True,
    )
    assistant_step = fields.Selection(
        [
            ("service", "Asked the Service"),
            ("day", "Asked the Day"),
            ("slot", "Offered Times"),
            ("confirm", "Asked to Confirm"),
            ("identify", "Asked Whose Appointment"),
            ("code", "Asked the One-Time Code"),
        ],
        string="Assistant's Question",
        readonly=True,
    )
    assistant_service_id = fields.Many2one("product.template", string="Service Asked", readonly=True)
    assistant_employee_id = fields.Many2one("hr.employee", string="Staff Asked", readonly=True)
    assistant_date = fields.Date(string="Day Asked", readonly=True)
    assistant_time = fields.Char(string="Time Asked", readonly=True, help="HH:MM, local time of the branch.")
    assistant_slot_start = fields.Datetime(string="Time Chosen", readonly=True)
    assistant_proposals = fields.Char(
        string="Choices Offered",
        readonly=True,
        help="What the numbered list offered: service ids, or start times (UTC, ISO), comma-separated.",
    )
    assistant_appointment_id = fields.Many2one(
        "randevu.appointment", string="Appointment Concerned", readonly=True, ondelete="set null"
    )
    # Verifying another number (issue 14): a one-time code sent to the phone of the customer
    # the sender names; right, it lets this conversation change that customer's appointments.
    assistant_code_partner_id = fields.Many2one(
        "res.partner", string="Customer Being Verified", readonly=True, ondelete="set null"
    )
    # Keyed with the database's secret (odoo.tools.hmac): the code cannot be found from it.
    assistant_code_hash = fields.Char(
        string="One-Time Code (hashed)", readonly=True, copy=False, groups="base.group_system"
    )
    assistant_code_expires = fields.Datetime(string="One-Time Code Valid Until", readonly=True, copy=False)
    assistant_code_attempts = fields.Integer(string="Wrong Codes", readonly=True, copy=False)
    assistant_code_sent_at = fields.Datetime(
        string="Last One-Time Code Sent",
        readonly=True,
        copy=False,
        help="One code per conversation every 10 minutes at most: a customer's phone is not flooded.",
    )
    assistant_verified_partner_id = fields.Many2one(
        "res.partner",
        string="Verified For",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The customer who confirmed with a one-time code that this conversation may move or cancel "
        "their appointments.",
    )
    assistant_verified_until = fields.Datetime(
        string="Verified Until",
        readonly=True,
        copy=False,
        help="The one-time code's verification lasts this long (24 hours); a receptionist may clear it sooner.",
    )
    assistant_customer_created = fields.Boolean(
        string="Customer Created from This Chat",
        readonly=True,
        copy=False,
        help="The customer was created when they first wrote here: their language follows the conversation's.",
    )
    assistant_misunderstandings = fields.Integer(
        string="Misunderstandings in a Row", readonly=True, help="Two in a row hand the conversation over."
    )
    assistant_handover = fields.Boolean(
        string="Waiting for a Person",
        readonly=True,
        index=True,
        help="The assistant handed the conversation over and stays silent until someone hands it back.",
    )
    assistant_handover_reason = fields.Selection(
        [
            ("request", "The customer asked for a person"),
            ("complaint", "Complaint"),
            ("misunderstood", "Not understood twice in a row"),
            ("unverified", "No appointment of this number to move or cancel"),
            ("no_time", "No free time found"),
            ("wrong_code", "Wrong or expired one-time code"),
            ("low_confidence", "Not sure enough of what the customer asked"),
        ],
        string="Handed Over Because",
        readonly=True,
    )
    assistant_handover_detail = fields.Char(
        string="Handover Details",
        readonly=True,
        help="What the assistant understood and how sure it was, when it handed over for a low confidence.",
    )

    _sql_constraints = [
        (
            "customer_channel_unique",
            "UNIQUE(company_id, channel, phone)",
            "There is already a conversation with this number on this channel at this branch.",
        ),
    ]

    @api.depends("partner_id.name", "channel")
    def _compute_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for conversation in self:
            conversation.name = f"{conversation.partner_id.name} ({channels.get(conversation.channel)})"

    @api.depends("partner_id", "company_id")
    def _compute_upcoming_appointment_ids(self):
        # With the reader's rights: staff see their own appointments with the customer.
        now = fields.Datetime.now()
        Appointment = self.env["randevu.appointment"]
        for conversation in self:
            conversation.upcoming_appointment_ids = (
                Appointment.search(
                    [
                        ("partner_id", "=", conversation.partner_id.id),
                        ("company_id", "=", conversation.company_id.id),
                        ("state", "in", APPOINTMENT_EXPECTED_STATES),
                        ("start", ">=", now),
                    ],
                    order="start",
                    limit=10,
                )
                if conversation.partner_id
                else Appointment
            )

    # ------------------------------------------------------------------ finding
    @api.model
    def _randevu_get(self, branch, channel, phone, gateway, name=None, partner=None):
        """The conversation with `phone` on `channel` at `branch`, created when new with
        its customer (`partner`, else found or created by the booking service's matching
        from `phone` and the sender's `name`)."""
        # sudo: called by the inbox worker and the outbox for every branch.
        Conversation = self.sudo()
        conversation = Conversation.search(
            [("company_id", "=", branch.id), ("channel", "=", channel), ("phone", "=", phone)], limit=1
        )
        if conversation:
            return conversation
        created = False
        if not partner:
            # An Instagram id is no phone: the core's matching then has only the name, and
            # creates a customer with only their Instagram name.
            details = {"name": name or phone, "phone": "" if channel == "instagram" else phone, "email": ""}
            booking = self.env["randevu.booking.service"].sudo()
            partner = booking._find_customer(branch, details)
            if not partner:
                partner = booking._find_or_create_customer(branch, details)
                created = True
        conversation = Conversation.create(
            {
                "partner_id": partner.id,
                "company_id": branch.id,
                "channel": channel,
                "phone": phone,
                "gateway_id": gateway.id,
                "assistant_customer_created": created,
            }
        )
        if not created and partner.lang and partner.lang != "en_US":
            # A known customer's language is the conversation's until they write otherwise
            # (Odoo's default, English, is no choice of theirs: their messages tell then).
            conversation.assistant_lang = conversation._randevu_partner_lang()
        return conversation

    # ------------------------------------------------------------------ inbound
    def _randevu_receive(self, text, when, files=(), refused=()):
        """File the customer's message `text` (received at `when`) in the chat, with its
        `files` ((name, content, mimetype): photos, PDFs) kept as attachments of the message
        and linked to the customer's next appointment at the branch; files not kept
        (`refused`: (name, reason)) are said in a note."""
        self.ensure_one()
        body = self.env["mail.gateway.whatsapp"]._whatsapp_to_html(text) if text else Markup()
        attachments = []
        for name, content, mimetype in files:
            extension = mimetypes.guess_extension(mimetype or "") or ""
            filename = name if not extension or name.lower().endswith(extension) else f"{name}{extension}"
            attachments.append((filename, content, {"mimetype": mimetype}))
        message = self.with_context(randevu_inbound=True).message_post(
            body=body,
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=attachments,
        )
        if message.attachment_ids:
            self._randevu_link_to_next_appointment(message.attachment_ids)
        for name, reason in refused:
            self.with_context(randevu_inbound=True)._message_log(
                body=plaintext2html(
                    self.env._(
                        "The customer sent a file that was not kept (%(name)s: %(reason)s). Only photos and "
                        "PDFs of at most %(size)s MB are kept; ask them for another one if it matters.",
                        name=name,
                        reason=reason,
                        size=round(self.env["randevu.inbox.event"]._randevu_max_bytes() / 1024 / 1024, 1),
                    )
                )
            )
        self.write(
            {
                "last_customer_message_at": max(when, self.last_customer_message_at or when),
                "unread_count": self.unread_count + 1,
                "waiting": True,
            }
        )
        # Writing to the business on WhatsApp is the customer's opt-in to its messages there.
        if self.channel == "whatsapp" and not self.partner_id.randevu_whatsapp_opt_in:
            self.partner_id.randevu_whatsapp_opt_in = True

    def _randevu_link_to_next_appointment(self, attachments):
        """Show the customer's files on their next appointment at the branch (if any)."""
        self.ensure_one()
        # sudo: the worker files messages for every branch.
        appointment = (
            self.env["randevu.appointment"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", APPOINTMENT_EXPECTED_STATES),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )
        if appointment:
            appointment.randevu_inbox_attachment_ids = [Command.link(attachment.id) for attachment in attachments]
        return appointment

    @api.model
    def _randevu_instagram_read(self, gateway, item):
        """Instagram's read receipt (messaging[].read): the customer saw the chat."""
        when = fields.Datetime.now()
        if item.get("timestamp"):
            when = datetime.fromtimestamp(int(item["timestamp"]) / 1000.0, UTC).replace(tzinfo=None, microsecond=0)
        # sudo: the webhook's user files receipts for the gateway's branch.
        conversation = self.sudo().search(
            [
                ("company_id", "=", gateway.company_id.id),
                ("channel", "=", "instagram"),
                ("phone", "=", str((item.get("sender") or {}).get("id") or "")),
            ],
            limit=1,
        )
        if conversation and (not conversation.customer_seen_at or conversation.customer_seen_at < when):
            conversation.customer_seen_at = when
        return conversation

    # ------------------------------------------------------------------ outbound
    def _randevu_reply_choice(self, reply_id):
        """What the assistant reads for a WhatsApp reply button or list row `reply_id` it
        sent: the number of the choice in the list it offered last ("2"), "yes" / "no" in
        the conversation's language; False for an id of no current choice (an older list:
        its title is read instead)."""
        self.ensure_one()
        lang = self.assistant_lang or self._randevu_partner_lang() or "en"
        for answer, ident in CONFIRM_IDS.items():
            if reply_id == ident:
                return CONFIRM_WORDS[answer].get(lang, CONFIRM_WORDS[answer]["en"])
        for answer, ident in REMINDER_IDS.items():
            if reply_id == ident:
                return REMINDER_WORDS[answer].get(lang, REMINDER_WORDS[answer]["en"])
        if reply_id.startswith(CHOICE_PREFIX):
            proposals = (self.assistant_proposals or "").split(",")
            value = reply_id[len(CHOICE_PREFIX) :]
            if value and value in proposals:
                return str(proposals.index(value) + 1)
        return False

    def _randevu_partner_lang(self):
        """The assistant's language (tr, en, fr) of the customer's language, or False."""
        self.ensure_one()
        code = (self.partner_id.lang or "").split("_")[0]
        return code if code in LANG_CODES else False

    def _randevu_in_window(self, now=None):
        """Whether a free-form message may go out now (WhatsApp's 24-hour window)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        return bool(self.last_customer_message_at) and now - self.last_customer_message_at < SERVICE_WINDOW

    def _randevu_api(self):
        self.ensure_one()
        gateway = self.gateway_id.sudo() or self.env["mail.gateway"]._randevu_whatsapp_gateway(self.company_id)
        if not gateway:
            raise UserError(self.env._("The branch %(branch)s has no WhatsApp account.", branch=self.company_id.name))
        return WhatsAppCloudApi(gateway)

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            not self.env.context.get("randevu_inbound")
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id != self.partner_id
        ):
            if self.channel == "sms":
                self._randevu_send_sms_reply(html2plaintext(message.body or ""), message)
            elif self.channel == "instagram":
                self._randevu_send_instagram_reply(html2plaintext(message.body or ""))
            else:
                self._randevu_send_reply(html2plaintext(message.body or ""))
        return message

    def _randevu_send_sms_reply(self, text, message):
        """Send a person's reply on an SMS conversation now, as a text of Odoo's SMS queue
        (so through the branch's SMS provider); refused (nothing posted) when it fails."""
        self.ensure_one()
        if not text.strip():
            return
        # sudo: texts are the SMS queue's rows; replying needs only write on the chat.
        sms_sudo = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": self.phone,
                    "body": text,
                    "partner_id": self.partner_id.id,
                    "mail_message_id": message.id,
                    "state": "outgoing",
                }
            )
        )
        sms_sudo.send(unlink_sent=False)
        if sms_sudo.state == "error":
            failures = dict(sms_sudo._fields["failure_type"]._description_selection(self.env))
            raise UserError(
                self.env._("The SMS could not be sent: %(reason)s", reason=failures.get(sms_sudo.failure_type, "?"))
            )
        # sudo: replying is posting on the chat; the counters are the inbox's bookkeeping.
        self.sudo().write({"last_reply_at": fields.Datetime.now(), "waiting": False, "unread_count": 0})

    def _randevu_send_reply(self, text, choices=None):
        """Send a person's free-form reply to the customer; refused (nothing posted) outside
        the 24-hour window or when WhatsApp refuses it. With `choices` (id, title,
        description), `text` goes as the body of an interactive message: reply buttons for
        up to 3 choices, a list message for more (up to 10)."""
        self.ensure_one()
        if not text.strip():
            return
        if not self._randevu_in_window():
            raise UserError(
                self.env._(
                    "The customer last wrote more than 24 hours ago: WhatsApp accepts only approved "
                    "templates until they write again."
                )
            )
        try:
            api = self._randevu_api()
            if choices and len(choices) <= MAX_BUTTONS:
                api.send_buttons(self.phone, text, [(ident, title) for ident, title, _description in choices])
            elif choices:
                api.send_list(self.phone, text, self.env._("Choose"), choices)
            else:
                api.send_text(self.phone, text)
        except WhatsAppApiError as error:
            raise UserError(self.env._("WhatsApp refused the message: %(reason)s", reason=str(error))) from error
        # sudo: replying is posting on the chat; the counters are the inbox's bookkeeping.
        self.sudo().write({"last_reply_at": fields.Datetime.now(), "waiting": False, "unread_count": 0})

    def _randevu_send_instagram_reply(self, text):
        """Send a person's reply on Instagram; refused (nothing posted) outside the 24-hour
        window (Instagram's standard messaging window) or when Instagram refuses it."""
        self.ensure_one()
        if not text.strip():
            return
        if not self._randevu_in_window():
            raise UserError(
                self.env._(
                    "The customer last wrote more than 24 hours ago: Instagram accepts messages only within "
                    "24 hours of theirs. Wait until they write again."
                )
            )
        # sudo: the gateway holds the account's token; only the adapter reads it.
        gateway = self.gateway_id.sudo()
        if not gateway:
            raise UserError(self.env._("This conversation has no Instagram account."))
        try:
            InstagramApi(gateway).send_text(self.phone, text)
        except InstagramApiError as error:
            raise UserError(self.env._("Instagram refused the message: %(reason)s", reason=str(error))) from error
        # sudo: replying is posting on the chat; the counters are the inbox's bookkeeping.
        self.sudo().write({"last_reply_at": fields.Datetime.now(), "waiting": False, "unread_count": 0})

    def _randevu_log_outbound(self, text):
        """Show a message the outbox sent (a reminder, a confirmation) in the chat."""
        self.ensure_one()
        return self.with_context(randevu_inbound=True)._message_log(
            body=plaintext2html(text), author_id=self.company_id.partner_id.id
        )

    # ------------------------------------------------------------------ actions
    def action_mark_read(self):
        self.write({"unread_count": 0})
        return True

    def action_assign_to_me(self):
        self.write({"user_id": self.env.user.id})
        return True

    def action_done(self):
        """Nothing more to answer: out of the Waiting filter."""
        self.write({"waiting": False, "unread_count": 0})
        return True

    def action_hand_back(self):
        """A person hands the conversation back to the assistant: it answers again, from scratch."""
        self.check_access("write")
        # sudo: clearing the pending one-time code's hash, a field for administrators only
        # (the person may write the conversation: checked above).
        self.sudo().write(
            {
                "assistant_handover": False,
                "assistant_handover_reason": False,
                "assistant_handover_detail": False,
                "assistant_misunderstandings": 0,
                **self._assistant_cleared(),
            }
        )
        for conversation in self:
            conversation._message_log(
                body=plaintext2html(
                    self.env._("%(user)s handed the conversation back to the assistant.", user=self.env.user.name)
                )
            )
        return True

    def action_clear_verification(self):
        """A receptionist withdraws what a one-time code allowed: this conversation may no
        longer move or cancel that customer's appointments."""
        self.check_access("write")
        for conversation in self.filtered("assistant_verified_partner_id"):
            customer = conversation.assistant_verified_partner_id
            # sudo: the verification is the assistant's state (readonly fields); the person
            # may write the conversation (checked above).
            conversation.sudo().write({"assistant_verified_partner_id": False, "assistant_verified_until": False})
            conversation._message_log(
                body=plaintext2html(
                    self.env._(
                        "%(user)s cleared the verification: this conversation may no longer move or cancel the "
                        "appointments of %(customer)s.",
                        user=self.env.user.name,
                        customer=customer.name,
                    )
                )
            )
        return True

    def _randevu_set_lang(self, lang):
        """The conversation's language is now `lang` (tr, en, fr); a customer created from
        this chat speaks it too (their confirmations and reminders are in it)."""
        self.ensure_one()
        if self.assistant_lang != lang:
            self.assistant_lang = lang
        code = LANG_CODES.get(lang)
        if (
            self.assistant_customer_created
            and code
            and self.partner_id.lang != code
            and self.env["res.lang"]._lang_get(code).active
        ):
            # sudo: the worker writes the customer it created from this chat.
            self.partner_id.sudo().lang = code

    @api.model
    def _assistant_cleared(self):
        """The values of a conversation with nothing pending for the assistant."""
        return {
            "assistant_intent": False,
            "assistant_step": False,
            "assistant_service_id": False,
            "assistant_employee_id": False,
            "assistant_date": False,
            "assistant_time": False,
            "assistant_slot_start": False,
            "assistant_proposals": False,
            "assistant_appointment_id": False,
            "assistant_code_partner_id": False,
            "assistant_code_hash": False,
            "assistant_code_expires": False,
            "assistant_code_attempts": 0,
        }
