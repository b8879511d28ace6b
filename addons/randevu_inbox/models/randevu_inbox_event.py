import json
import logging
from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.instagram_api import InstagramApi
from ..tools.media import DEFAULT_MAX_BYTES, MediaRefused
from ..tools.whatsapp_api import WhatsAppApiError, WhatsAppCloudApi

_logger = logging.getLogger(__name__)


class RandevuInboxEvent(models.Model):
    """One inbound WhatsApp message as Meta delivered it: the webhook's queue.

    The webhook writes a row per message and nothing else (INSERT ... ON CONFLICT DO
    NOTHING on the message's WhatsApp id, unique in PostgreSQL: Meta delivers a message
    again when an answer is slow or lost, and two deliveries racing on two workers
    store it once), then triggers the inbox worker (`_cron_process`), which takes the
    queued rows FOR UPDATE SKIP LOCKED and files each message in its conversation."""

    _name = "randevu.inbox.event"
    _description = "Inbound WhatsApp Message"
    _order = "id"

    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("sms", "SMS"), ("instagram", "Instagram")],
        default="whatsapp",
        required=True,
        readonly=True,
    )
    gateway_id = fields.Many2one("mail.gateway", readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Branch", required=True, readonly=True, index=True)
    wa_message_id = fields.Char(string="WhatsApp Message ID", required=True, readonly=True)
    sender = fields.Char(
        readonly=True, help="The sender's WhatsApp number (E.164 digits), phone, or Instagram-scoped id."
    )
    profile_name = fields.Char(readonly=True)
    payload = fields.Text(readonly=True, help="The message as the webhook received it (JSON).")
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("error", "Failed")],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    error = fields.Char(readonly=True)
    conversation_id = fields.Many2one("randevu.conversation", readonly=True, ondelete="set null")
    assistant_state = fields.Selection(
        [("pending", "To Answer"), ("answered", "Answered"), ("person", "Left to a Person"), ("error", "Failed")],
        string="Assistant",
        readonly=True,
        index="btree_not_null",
        help="Empty when the branch's assistant does not answer.",
    )

    _sql_constraints = [
        ("wa_message_id_unique", "UNIQUE(wa_message_id)", "This WhatsApp message was already received."),
    ]

    @api.model
    def _randevu_store(self, gateway, message, profile_name=None):
        """Queue the webhook's `message` (a dict of Meta's format) unless its id was stored
        before; returns the new row, or an empty recordset for a duplicate delivery."""
        if not message.get("id") or not message.get("from"):
            return self.browse()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_inbox_event (channel, gateway_id, company_id, wa_message_id, sender,
                                                 profile_name, payload, state,
                                                 create_uid, create_date, write_uid, write_date)
                VALUES ('whatsapp', %(gateway)s, %(company)s, %(wamid)s, %(sender)s, %(name)s, %(payload)s,
                        'queued', %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (wa_message_id) DO NOTHING
                RETURNING id
                """,
                gateway=gateway.id,
                company=gateway.company_id.id or self.env.company.id,
                wamid=str(message["id"]),
                sender=str(message["from"]),
                name=profile_name,
                payload=json.dumps(message),
                uid=self.env.uid,
                now=now,
            ),
            # Under REPEATABLE READ, a duplicate committed after this transaction began is a
            # serialization failure, not a conflict: the request is retried (Odoo's retrying)
            # on a fresh snapshot, where ON CONFLICT drops it. Not an error to log.
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _randevu_store_instagram(self, gateway, item):
        """Queue the Instagram webhook's messaging `item` (sender.id, recipient.id, timestamp,
        message.mid/text/attachments) unless its mid was stored before (the unique column
        holds "ig:<mid>"); returns the new row, or an empty recordset for a duplicate."""
        message = item.get("message") or {}
        sender = (item.get("sender") or {}).get("id")
        if not message.get("mid") or not sender:
            return self.browse()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_inbox_event (channel, gateway_id, company_id, wa_message_id, sender, payload,
                                                 state, create_uid, create_date, write_uid, write_date)
                VALUES ('instagram', %(gateway)s, %(company)s, %(key)s, %(sender)s, %(payload)s, 'queued',
                        %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (wa_message_id) DO NOTHING
                RETURNING id
                """,
                gateway=gateway.id,
                company=gateway.company_id.id or self.env.company.id,
                key=f"ig:{message['mid']}",
                sender=str(sender),
                payload=json.dumps(item),
                uid=self.env.uid,
                now=now,
            ),
            # As _randevu_store: a racing duplicate is a retried serialization failure.
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _randevu_store_sms(self, company, message_id, sender, text):
        """Queue an inbound text of `company`'s SMS gateway unless its id was stored before
        (the unique column holds "sms:<branch>:<gateway's id>", so ids of two gateways never
        meet); returns the new row, or an empty recordset for a duplicate delivery."""
        if not message_id or not sender:
            return self.browse()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_inbox_event (channel, company_id, wa_message_id, sender, payload, state,
                                                 create_uid, create_date, write_uid, write_date)
                VALUES ('sms', %(company)s, %(key)s, %(sender)s, %(payload)s, 'queued',
                        %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (wa_message_id) DO NOTHING
                RETURNING id
                """,
                company=company.id,
                key=f"sms:{company.id}:{message_id}",
                sender=str(sender),
                payload=json.dumps({"id": str(message_id), "from": str(sender), "text": text or ""}),
                uid=self.env.uid,
                now=now,
            ),
            # As _randevu_store: a racing duplicate is a retried serialization failure.
            log_exceptions=False,
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _randevu_trigger(self):
        """Have the inbox worker run right after the current transaction commits."""
        self.env.ref("randevu_inbox.ir_cron_randevu_inbox").sudo()._trigger()

    @api.model
    def _cron_process(self, limit=200):
        """File the queued messages in their conversations, oldest first; a message that
        fails is marked failed with its reason and the others still go."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM randevu_inbox_event WHERE state = 'queued' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                limit,
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        handled = self.browse()
        for event in events:
            try:
                with self.env.cr.savepoint():
                    event.write({"conversation_id": event._randevu_process().id, "state": "done"})
                    if event._randevu_handle_filed():
                        handled |= event
            except Exception as error:  # one bad message must not block the queue
                _logger.exception("Randevu inbox: message %s failed", event.wa_message_id)
                event.write({"state": "error", "error": str(error)[:500]})
        to_answer = (events - handled).filtered(
            lambda event: (
                event.state == "done"
                and (event.company_id.randevu_assistant_answers or event.company_id.randevu_assistant_acts)
            )
        )
        if to_answer:
            to_answer.write({"assistant_state": "pending"})
            self.env.ref("randevu_inbox.ir_cron_randevu_assistant").sudo()._trigger()
        return events

    def _randevu_handle_filed(self):
        """Extension point, called by the worker once this message is filed in its
        conversation (in the same savepoint): return True when the message was fully
        handled here, so that the assistant does not also answer it. Nothing here;
        randevu_inbox_marketing reads marketing consent replies ("EVET", "STOP")."""
        self.ensure_one()
        return False

    @api.model
    def _cron_assistant(self, limit=100):
        """Have the assistant answer the filed messages waiting for it, oldest first; what it
        does not answer (anything but a read-only question) is left to a person."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM randevu_inbox_event WHERE assistant_state = 'pending' ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                limit,
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        Assistant = self.env["randevu.assistant"]
        for event in events:
            try:
                with self.env.cr.savepoint():
                    replied = event._randevu_replied_appointment()
                    answered = Assistant.with_context(randevu_replied_appointment_id=replied.id)._randevu_answer(
                        event.conversation_id, event._randevu_text()
                    )
                    event.assistant_state = "answered" if answered else "person"
            except Exception as error:  # one failing answer must not block the others
                _logger.exception("Randevu assistant: message %s failed", event.wa_message_id)
                event.write({"assistant_state": "error", "error": str(error)[:500]})
        return events

    def _randevu_replied_appointment(self):
        """The appointment of the outbox message (a reminder...) this WhatsApp message replies
        to: Meta gives the replied message's wamid as `context.id` (a reply button's tap, a
        template's quick reply, a swiped reply); an empty recordset otherwise."""
        self.ensure_one()
        if self.channel != "whatsapp":
            return self.env["randevu.appointment"]
        replied_to = (json.loads(self.payload).get("context") or {}).get("id")
        if not replied_to:
            return self.env["randevu.appointment"]
        # sudo: the worker reads the outbox of every branch; the dialogue checks the
        # appointment is the conversation's customer's before acting on it.
        message = (
            self.env["randevu.message"]
            .sudo()
            .search([("whatsapp_message_id", "=", replied_to), ("company_id", "=", self.company_id.id)], limit=1)
        )
        return message.appointment_id

    def _randevu_text(self):
        """The customer's text of this message; a WhatsApp reply button or list row the
        assistant sent is read as the choice it offered: the number of that choice in the
        current list, or a yes / no in the conversation's language."""
        self.ensure_one()
        message = json.loads(self.payload)
        if self.channel == "sms":
            return message.get("text") or ""
        interactive = (message.get("interactive") or {}) if message.get("type") == "interactive" else {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        chosen = reply.get("id") and self.conversation_id and self.conversation_id._randevu_reply_choice(reply["id"])
        return chosen or self._randevu_body(message)

    def _randevu_process(self):
        """File this message in its conversation (found or created with its customer)."""
        self.ensure_one()
        message = json.loads(self.payload)
        Conversation = self.env["randevu.conversation"]
        if self.channel == "sms":
            sender = self.sender.strip()
            if sender.startswith("00"):
                sender = f"+{sender[2:]}"
            elif sender.isdigit() and len(sender) > 10 and not sender.startswith("0"):
                sender = f"+{sender}"
            phone = self.env["res.partner"]._randevu_normalize_phone(sender, self.company_id.country_id)
            # A text has no sender name to tell people sharing a phone apart: the oldest
            # customer with this number (E.164, exactly) is the one; else a new one.
            # sudo: the worker files messages for every branch.
            partner = self.env["res.partner"].sudo()._randevu_customers_by_contact(phone)[:1]
            conversation = Conversation._randevu_get(
                self.company_id, "sms", phone, self.env["mail.gateway"], partner=partner or None
            )
            conversation._randevu_receive(message.get("text") or "", self.create_date or fields.Datetime.now())
            return conversation
        if self.channel == "instagram":
            return self._randevu_process_instagram(message)
        phone = self.env["res.partner"]._randevu_normalize_phone(f"+{self.sender}", self.company_id.country_id)
        conversation = Conversation._randevu_get(
            self.company_id, "whatsapp", phone, self.gateway_id, name=self.profile_name
        )
        when = datetime.fromtimestamp(int(message.get("timestamp") or 0), UTC).replace(tzinfo=None)
        if not message.get("timestamp"):
            when = fields.Datetime.now()
        files, refused = [], []
        kind = message.get("type")
        media_id = (message.get(kind) or {}).get("id") if kind in ("image", "document") else None
        if media_id:
            media = message[kind]
            try:
                content, mimetype = self._randevu_whatsapp_api().download_media(media_id, self._randevu_max_bytes())
                files.append((media.get("filename") or f"{kind}-{media_id}", content, mimetype))
            except MediaRefused as error:
                refused.append((media.get("filename") or kind, str(error)))
            except WhatsAppApiError as error:
                refused.append((media.get("filename") or kind, str(error)))
        body = self._randevu_body(message) if not files else (message.get(kind) or {}).get("caption") or ""
        conversation._randevu_receive(body, when, files=files, refused=refused)
        return conversation

    def _randevu_whatsapp_api(self):
        # sudo: the gateway holds the account's token; the worker reads it for the adapter.
        return WhatsAppCloudApi(self.gateway_id.sudo())

    @api.model
    def _randevu_max_bytes(self):
        """The largest photo or PDF the inbox keeps (system parameter, bytes)."""
        # sudo: a technical setting read by the worker.
        value = self.env["ir.config_parameter"].sudo().get_param("randevu_inbox.media_max_bytes")
        return int(value) if value and str(value).isdigit() else DEFAULT_MAX_BYTES

    def _randevu_process_instagram(self, item):
        """File an Instagram message in the customer's Instagram conversation (matched by the
        Instagram-scoped id), with its photos and PDFs."""
        message = item.get("message") or {}
        api = InstagramApi(self.gateway_id.sudo())  # sudo: the gateway's token, for the adapter
        Conversation = self.env["randevu.conversation"]
        conversation = Conversation.sudo().search(
            [("company_id", "=", self.company_id.id), ("channel", "=", "instagram"), ("phone", "=", self.sender)],
            limit=1,
        )
        if not conversation:
            name = api.profile_name(self.sender) or self.env._("Instagram %(id)s", id=self.sender)
            conversation = Conversation._randevu_get(
                self.company_id, "instagram", self.sender, self.gateway_id, name=name
            )
        when = fields.Datetime.now()
        if item.get("timestamp"):
            # Instagram's timestamps are milliseconds since the epoch.
            when = datetime.fromtimestamp(int(item["timestamp"]) / 1000.0, UTC).replace(tzinfo=None, microsecond=0)
        files, refused, links = [], [], []
        for index, attachment in enumerate(message.get("attachments") or []):
            kind = attachment.get("type") or "file"
            url = (attachment.get("payload") or {}).get("url")
            if not url:
                continue
            if kind not in ("image", "file"):
                links.append(f"[{kind}] {url}")
                continue
            try:
                content, mimetype = api.download(url, self._randevu_max_bytes())
                files.append((f"{kind}-{index + 1}", content, mimetype))
            except MediaRefused as error:
                refused.append((kind, str(error)))
        text = "\n".join(filter(None, [message.get("text") or "", *links]))
        conversation._randevu_receive(text, when, files=files, refused=refused)
        return conversation

    @api.model
    def _randevu_body(self, message):
        """The text of a message: its body, the title of the button or list row chosen, or
        a caption; for media that could not be kept, a placeholder says what came."""
        kind = message.get("type")
        if message.get("text"):
            return message["text"].get("body") or ""
        if kind == "button":
            return (message.get("button") or {}).get("text") or ""
        if kind == "interactive":
            interactive = message.get("interactive") or {}
            reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
            return reply.get("title") or ""
        media = message.get(kind) if isinstance(message.get(kind), dict) else {}
        caption = media.get("caption") or ""
        return self.env._("[%(kind)s received] %(caption)s", kind=kind or "?", caption=caption).strip()
