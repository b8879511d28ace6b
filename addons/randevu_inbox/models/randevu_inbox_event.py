import json
import logging
from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL

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
        [("whatsapp", "WhatsApp"), ("sms", "SMS")], default="whatsapp", required=True, readonly=True
    )
    gateway_id = fields.Many2one("mail.gateway", readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Branch", required=True, readonly=True, index=True)
    wa_message_id = fields.Char(string="WhatsApp Message ID", required=True, readonly=True)
    sender = fields.Char(readonly=True, help="The sender's WhatsApp number (E.164 digits).")
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
        for event in events:
            try:
                with self.env.cr.savepoint():
                    event.write({"conversation_id": event._randevu_process().id, "state": "done"})
            except Exception as error:  # one bad message must not block the queue
                _logger.exception("Randevu inbox: message %s failed", event.wa_message_id)
                event.write({"state": "error", "error": str(error)[:500]})
        to_answer = events.filtered(lambda event: event.state == "done" and event.company_id.randevu_assistant_answers)
        if to_answer:
            to_answer.write({"assistant_state": "pending"})
            self.env.ref("randevu_inbox.ir_cron_randevu_assistant").sudo()._trigger()
        return events

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
                    answered = Assistant._randevu_answer(event.conversation_id, event._randevu_text())
                    event.assistant_state = "answered" if answered else "person"
            except Exception as error:  # one failing answer must not block the others
                _logger.exception("Randevu assistant: message %s failed", event.wa_message_id)
                event.write({"assistant_state": "error", "error": str(error)[:500]})
        return events

    def _randevu_text(self):
        """The customer's text of this message."""
        self.ensure_one()
        message = json.loads(self.payload)
        if self.channel == "sms":
            return message.get("text") or ""
        return self._randevu_body(message)

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
        phone = self.env["res.partner"]._randevu_normalize_phone(f"+{self.sender}", self.company_id.country_id)
        conversation = Conversation._randevu_get(
            self.company_id, "whatsapp", phone, self.gateway_id, name=self.profile_name
        )
        when = datetime.fromtimestamp(int(message.get("timestamp") or 0), UTC).replace(tzinfo=None)
        if not message.get("timestamp"):
            when = fields.Datetime.now()
        conversation._randevu_receive(self._randevu_body(message), when)
        return conversation

    @api.model
    def _randevu_body(self, message):
        """The text of a message: its body, the title of the button or list row chosen, or
        a caption; media themselves are not fetched in this slice (a placeholder says so)."""
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
