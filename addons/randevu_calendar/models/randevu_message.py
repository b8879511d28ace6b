import logging
from collections import defaultdict
from datetime import timedelta

import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..const import APPOINTMENT_EXPECTED_STATES, ATTENDEE_ATTENDED_STATES, ATTENDEE_EXPECTED_STATES

_logger = logging.getLogger(__name__)

KINDS = [
    ("confirmation", "Confirmation"),
    ("reminder", "Reminder"),
    ("reschedule", "Change"),
    ("cancellation", "Cancellation"),
    ("thank_you", "Thank You"),
    ("rebooking", "Rebooking Reminder"),
]
# Messages about an appointment still to come: pointless once it has started.
BEFORE_KINDS = ("confirmation", "reminder", "reschedule", "cancellation")
# Sent on every channel the customer can be reached on; the other kinds go on the first one only.
EVERY_CHANNEL_KINDS = ("confirmation", "reschedule", "cancellation")
# After a failed send: wait this long before the next try; once they are used up, report.
RETRY_DELAYS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
# Failures that another try cannot fix: reported at once.
PERMANENT_FAILURES = {
    "mail_bounce",
    "mail_email_invalid",
    "mail_email_missing",
    "sms_number_missing",
    "sms_number_format",
    "sms_country_not_supported",
    "sms_invalid_destination",
    "sms_not_allowed",
    "sms_rejected",
}
# Failures (bounces, delivery reports) are looked for this long after a send.
FAILURE_WATCH = timedelta(days=3)
# After-visit messages are not sent for visits older than this (e.g. right after install).
THANK_YOU_WINDOW = timedelta(days=2)
REBOOKING_WINDOW = timedelta(days=14)


class RandevuMessage(models.Model):
    """One message to a customer about an appointment, on one channel: the outbox and
    the log of everything Randevu sends.

    A row is queued in the transaction of the change it is about (a booking, a move,
    a cancellation) and sent by the outbox worker (`_cron_send_queued`, triggered to
    run right after that commit), which marks it sent in the same transaction as what
    it sends (the mail.mail or sms.sms queue rows and the chatter message), the
    queued rows taken FOR UPDATE SKIP LOCKED. `key` is unique per appointment (a
    PostgreSQL UNIQUE constraint): a reminder is keyed by rule and appointment start,
    a confirmation by channel. Two workers, or a cron re-run after dying mid-batch,
    can therefore never send the same message twice; a moved appointment
    has a new start, so a new key, so its reminder goes out again at the new time.

    A group class (service capacity > 1) has no customer of its own: its messages go
    to each attendee (randevu.attendee), with the attendee's partner on the row and
    in the key (suffix `:p<partner id>`), so that every attendee gets each message once.
    Templates render with the appointment as object and the message's partner as
    recipient (see randevu.appointment.msg_customer and `_randevu_render_layers`).

    Channels are pluggable; see "Channel interface" in the addon README. A channel
    `<c>` is a value of the `channel` selection (extended with selection_add on this
    model and on randevu.reminder.rule), a batch sender `_randevu_send_<c>`, a
    reachability check `_randevu_unreachable_<c>`, default templates in
    `_randevu_kind_templates` and its quiet-hours flag in
    `_randevu_channel_respects_quiet_hours`.
    """

    _name = "randevu.message"
    _description = "Appointment Message"
    _order = "id desc"
    _check_company_auto = True

    appointment_id = fields.Many2one(
        "randevu.appointment", required=True, ondelete="cascade", index=True, readonly=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index="btree_not_null")
    kind = fields.Selection(KINDS, required=True, readonly=True)
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], required=True, readonly=True)
    rule_id = fields.Many2one(
        "randevu.reminder.rule", string="Reminder Rule", readonly=True, ondelete="set null", index="btree_not_null"
    )
    appointment_start = fields.Datetime(readonly=True, help="The start time the message is about.")
    planned_date = fields.Datetime(string="Planned", readonly=True, help="When it became due.")
    next_try = fields.Datetime(readonly=True, help="Queued messages go out from this time on.")
    sent_date = fields.Datetime(string="Sent", readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("error", "Failed"),
            ("skipped", "Not Sent"),
            ("cancelled", "Withdrawn"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    error = fields.Char(string="Reason", readonly=True, help="Why it failed, was not sent or was withdrawn.")
    mail_message_id = fields.Many2one("mail.message", string="Chatter Message", readonly=True, ondelete="set null")
    key = fields.Char(required=True, readonly=True)

    _sql_constraints = [
        (
            "key_unique",
            "UNIQUE(appointment_id, key)",
            "This message was already sent for this appointment.",
        ),
    ]

    def init(self):
        # The queue (queued rows by due time) and the failure watch (recent sends).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS randevu_message_queued_idx ON randevu_message (next_try) WHERE state = 'queued'"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS randevu_message_sent_idx ON randevu_message (sent_date) WHERE state = 'sent'"
        )

    @api.depends("kind", "channel", "appointment_id.name")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for message in self:
            message.display_name = f"{kinds.get(message.kind)} ({channels.get(message.channel)})"

    # ------------------------------------------------------------------ channel interface
    @api.model
    def _randevu_channels(self):
        """Every channel, in order of preference (kinds sent on one channel take the first reachable)."""
        return [value for value, _label in self._fields["channel"].selection]

    @api.model
    def _randevu_channel_respects_quiet_hours(self, channel):
        """Messages on `channel` wait for the end of the branch's quiet hours (texts: yes, email: no)."""
        return channel == "sms"

    @api.model
    def _randevu_kind_templates(self):
        """{(kind, channel): xml id of the default template}. A kind goes out on the
        channels listed for it; add a channel's templates here to plug it in."""
        return {
            ("confirmation", "email"): "randevu_calendar.mail_template_randevu_confirmation",
            ("reminder", "email"): "randevu_calendar.mail_template_randevu_reminder",
            ("reschedule", "email"): "randevu_calendar.mail_template_randevu_reschedule",
            ("cancellation", "email"): "randevu_calendar.mail_template_randevu_cancellation",
            ("thank_you", "email"): "randevu_calendar.mail_template_randevu_thank_you",
            ("rebooking", "email"): "randevu_calendar.mail_template_randevu_rebooking",
            ("confirmation", "sms"): "randevu_calendar.sms_template_randevu_confirmation",
            ("reminder", "sms"): "randevu_calendar.sms_template_randevu_reminder",
            ("reschedule", "sms"): "randevu_calendar.sms_template_randevu_reschedule",
            ("cancellation", "sms"): "randevu_calendar.sms_template_randevu_cancellation",
            ("rebooking", "sms"): "randevu_calendar.sms_template_randevu_rebooking",
        }

    @api.model
    def _randevu_default_template(self, kind, channel):
        xmlid = self._randevu_kind_templates().get((kind, channel))
        if not xmlid:
            return False
        # The xmlid's cached lookup, without env.ref's existence query on every message
        # (deleting a record deletes its xmlid and clears that cache).
        model, res_id = self.env["ir.model.data"]._xmlid_to_res_model_res_id(xmlid)
        return self.env[model].browse(res_id) if model else False

    def _randevu_template(self):
        """The template this message is rendered with: its rule's, else the default one."""
        self.ensure_one()
        if self.rule_id:
            return self.rule_id._randevu_template()
        return self._randevu_default_template(self.kind, self.channel)

    def _randevu_by_template(self):
        """{template: messages of `self` rendered with it}, resolving each template once."""
        result = defaultdict(lambda: self.browse())
        for (rule, kind, channel), messages in self.grouped(lambda msg: (msg.rule_id, msg.kind, msg.channel)).items():
            template = rule._randevu_template() if rule else self._randevu_default_template(kind, channel)
            result[template] |= messages
        return result

    @api.model
    def _randevu_unreachable(self, channel, partners):
        """{partner id: reason} for the customers of `partners` that `channel` cannot reach."""
        return getattr(self, f"_randevu_unreachable_{channel}")(partners)

    @api.model
    def _randevu_unreachable_email(self, partners):
        reasons = {}
        for partner in partners:
            if partner.randevu_email_opt_out:
                reasons[partner.id] = self.env._("The customer turned off emails.")
            elif not partner.email_normalized:
                reasons[partner.id] = self.env._("The customer has no email address.")
            elif partner.is_blacklisted:
                reasons[partner.id] = self.env._("The customer's email address is blacklisted.")
        return reasons

    @api.model
    def _randevu_unreachable_sms(self, partners):
        reasons = {}
        for partner in partners:
            if partner.randevu_sms_opt_out:
                reasons[partner.id] = self.env._("The customer turned off text messages.")
            elif not self._randevu_mobile_number(partner):
                reasons[partner.id] = self.env._("The customer has no mobile number.")
            elif partner.phone_sanitized_blacklisted:
                reasons[partner.id] = self.env._("The customer's phone number is blacklisted.")
        return reasons

    @api.model
    def _randevu_mobile_number(self, partner):
        """The partner's mobile number in E.164 (mobile, else phone), or False when
        neither is a number that can take texts. Numbers are read as everywhere
        (res.partner._randevu_normalize_phone), in the partner's country's plan."""
        Partner = self.env["res.partner"]
        for number in (partner.mobile, partner.phone):
            try:
                e164 = Partner._randevu_normalize_phone(number, partner.country_id)
            except ValidationError:
                continue
            # phone_validation formats numbers but does not tell a mobile from a landline.
            kind = e164 and phonenumbers.number_type(phonenumbers.parse(e164))
            if kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
                return e164
        return False

    def _randevu_is_attendee_message(self):
        """Whether this message goes to an attendee of a group class (an appointment
        without a customer of its own) rather than to the appointment's customer."""
        self.ensure_one()
        return bool(self.partner_id) and not self.appointment_id.partner_id

    # ------------------------------------------------------------------ planning
    @api.model
    def _randevu_key(self, kind, channel, appointment, rule=None, attendee=None):
        """The unique key of a message: what makes two sends the same message.

        A message to an `attendee` of a group class (a randevu.attendee, or its
        partner for reminders) ends in `:p<partner id>`; its confirmation and
        cancellation notice also carry the seat's join order, so that a customer who
        cancels and joins again is told again.
        """
        key = self._randevu_base_key(kind, channel, appointment, rule)
        if not attendee:
            return key
        if attendee._name == "res.partner":
            return f"{key}:p{attendee.id}"
        key = f"{key}:p{attendee.partner_id.id}"
        if kind in ("confirmation", "cancellation"):
            key = f"{key}:{attendee.sequence}"
        return key

    @api.model
    def _randevu_base_key(self, kind, channel, appointment, rule=None):
        start = fields.Datetime.to_string(appointment.start)
        if kind == "reminder":
            return f"reminder:{rule.id}:{start}"
        if kind == "reschedule":
            return f"reschedule:{channel}:{start}:{appointment.employee_id.id}"
        if kind == "cancellation":
            return f"cancellation:{channel}:{start}"
        if kind in EVERY_CHANNEL_KINDS:
            return f"{kind}:{channel}"
        return kind

    @api.model
    def _randevu_insert(self, rows, now):
        """Create the messages `rows` ({'appointment', 'kind', 'channel', 'key', 'rule_id',
        'planned', 'partner_id'}) that do not exist yet, in one statement. The recipient
        is the row's `partner_id` (an attendee of a group class), else the appointment's
        customer.

        ON CONFLICT DO NOTHING: a key another transaction has written is skipped (after
        that transaction commits; under REPEATABLE READ, one committed after this
        transaction began raises a serialization failure instead, and the batch is
        retried on a fresh snapshot). Returns only the messages this call created.
        """
        if not rows:
            return self.browse()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_message (appointment_id, company_id, partner_id, kind, channel, rule_id,
                                             appointment_start, planned_date, next_try, state, attempts, key,
                                             create_uid, create_date, write_uid, write_date)
                SELECT a.id, a.company_id, COALESCE(v.partner_id, a.partner_id), v.kind, v.channel, v.rule_id,
                       a.start, v.planned, v.planned, 'queued', 0, v.key, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(appointment_ids)s::int[], %(kinds)s::varchar[], %(channels)s::varchar[],
                              %(keys)s::varchar[], %(rule_ids)s::int[], %(planned)s::timestamp[],
                              %(partner_ids)s::int[])
                       WITH ORDINALITY AS v(appointment_id, kind, channel, key, rule_id, planned, partner_id,
                                            position)
                  JOIN randevu_appointment a ON a.id = v.appointment_id
                 ORDER BY v.position
                    ON CONFLICT (appointment_id, key) DO NOTHING
                RETURNING id
                """,
                uid=self.env.uid,
                now=now,
                appointment_ids=[row["appointment"].id for row in rows],
                kinds=[row["kind"] for row in rows],
                channels=[row["channel"] for row in rows],
                keys=[row["key"] for row in rows],
                rule_ids=[row.get("rule_id") for row in rows],
                planned=[row.get("planned") or now for row in rows],
                partner_ids=[row.get("partner_id") for row in rows],
            ),
            log_exceptions=False,  # concurrency errors: retried by _randevu_run_batches
        )
        messages = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        # Rows written in SQL: the appointments' cached message lists are stale.
        self.env["randevu.appointment"].browse({row["appointment"].id for row in rows}).invalidate_recordset(
            ["randevu_message_ids"]
        )
        return messages

    @api.model
    def _randevu_notify(self, appointments, kind, now=None, send_now=False):
        """Queue the `kind` message of each of `appointments`. Confirmations and change
        notices go on every channel that reaches the customer, the other kinds on the
        first one; a customer reached by none gets a 'Not Sent' row saying why.

        Only the rows are written, in the caller's transaction (nothing is queued if it
        rolls back): rendering and sending (email body, .ics, text) is the outbox
        worker's (`_cron_send_queued`), triggered to run right after the commit.
        `send_now`: the caller is a worker itself (a cron), the rows are sent at once.
        """
        appointments = appointments.filtered("partner_id")
        return self._randevu_notify_recipients(
            [(appointment, appointment.partner_id, None) for appointment in appointments], kind, now, send_now
        )

    @api.model
    def _randevu_notify_attendees(self, attendees, kind, now=None, send_now=False):
        """Like _randevu_notify, for attendees of group classes: each gets the `kind`
        message about their session, addressed to them."""
        return self._randevu_notify_recipients(
            [(attendee.appointment_id, attendee.partner_id, attendee) for attendee in attendees], kind, now, send_now
        )

    @api.model
    def _randevu_notify_recipients(self, recipients, kind, now=None, send_now=False):
        """Queue the `kind` message of each (appointment, partner, attendee or None) of
        `recipients` (see _randevu_notify)."""
        now = now or fields.Datetime.now()
        channels = [channel for channel in self._randevu_channels() if self._randevu_default_template(kind, channel)]
        if not recipients or not channels:
            return self.browse()
        partners = self.env["res.partner"].union(*(partner for _appointment, partner, _attendee in recipients))
        unreachable = {channel: self._randevu_unreachable(channel, partners) for channel in channels}
        rows = []
        for appointment, partner, attendee in recipients:
            reachable = [channel for channel in channels if partner.id not in unreachable[channel]]
            if kind not in EVERY_CHANNEL_KINDS:
                reachable = reachable[:1]
            for channel in reachable or channels[:1]:
                rows.append(
                    {
                        "appointment": appointment,
                        "kind": kind,
                        "channel": channel,
                        "key": self._randevu_key(kind, channel, appointment, attendee=attendee),
                        "partner_id": partner.id if attendee else None,
                    }
                )
        return self._randevu_queue(rows, now, send_now)

    @api.model
    def _randevu_queue(self, rows, now, send_now=False):
        """Write the messages `rows` (see _randevu_insert) and have them sent: at once
        when `send_now` (inside a worker), else by the outbox worker right after the
        caller's commit. Returns the messages created."""
        messages = self._randevu_insert(rows, now)
        if send_now:
            messages._randevu_dispatch(now)
        elif messages:
            self._randevu_trigger_outbox()
        return messages

    @api.model
    def _randevu_trigger_outbox(self, at=None):
        """Have the outbox worker run once the current transaction commits (at `at`)."""
        cron = self.env.ref("randevu_calendar.ir_cron_randevu_outbox", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    # ------------------------------------------------------------------ dispatch
    def _randevu_dispatch(self, now):
        """Send the queued messages of `self` now, defer them, or drop them.

        In order: messages no longer true (appointment cancelled, moved, started) are
        withdrawn; customers the channel cannot reach (opted out, no address,
        blacklisted) get 'Not Sent'; texts inside the branch's quiet hours wait for
        the morning (or are dropped when the morning is after the start); the rest is
        sent, one batch call per channel (see _randevu_send_batch: a message that
        fails is retried later with backoff, the others still go).
        Returns the messages sent.
        """
        messages = self.filtered(lambda msg: msg.state == "queued")
        updates = defaultdict(lambda: self.browse())  # frozen values -> messages to write them on
        stale = messages._randevu_stale(now)
        for message, reason in stale.items():
            updates[(("state", "cancelled"), ("error", reason), ("next_try", False))] |= message
        live = messages.filtered(lambda msg: msg not in stale)
        to_send = self.browse()
        quiet_ends = {}
        for channel, channel_messages in live.grouped("channel").items():
            unreachable = self._randevu_unreachable(channel, channel_messages.partner_id)
            respects_quiet_hours = self._randevu_channel_respects_quiet_hours(channel)
            for message in channel_messages:
                if message.partner_id.id in unreachable:
                    reason = unreachable[message.partner_id.id]
                    updates[(("state", "skipped"), ("error", reason), ("next_try", False))] |= message
                    continue
                if respects_quiet_hours:
                    branch = message.company_id
                    if branch not in quiet_ends:
                        quiet_ends[branch] = branch._randevu_quiet_hours_end(now)
                    quiet_end = quiet_ends[branch]
                    if quiet_end and message.kind in BEFORE_KINDS and quiet_end >= message.appointment_id.start:
                        reason = self.env._("Quiet hours at the branch last until after the start.")
                        updates[(("state", "skipped"), ("error", reason), ("next_try", False))] |= message
                        continue
                    if quiet_end:
                        updates[(("next_try", quiet_end),)] |= message
                        continue
                to_send |= message
        for values, records in updates.items():
            records.write(dict(values))
        to_send.appointment_id._randevu_ensure_access_tokens()
        sent = self.browse()
        for channel, channel_messages in to_send.grouped("channel").items():
            sent |= channel_messages._randevu_send_batch(channel, now)
        return sent

    def _randevu_send_batch(self, channel, now):
        """Send these messages of `channel` in one batch call; when the batch raises,
        it is rolled back to its savepoint and each message is sent alone, so that a
        message that fails (a broken template, a bad address) is marked failed with its
        error (retried with backoff, see _randevu_failed) while the others still go.
        Returns the messages sent."""
        try:
            with self.env.cr.savepoint():
                logged = getattr(self, f"_randevu_send_{channel}")()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:  # one broken message must not block the queue
            if len(self) == 1:
                _logger.exception("Randevu: sending %s message %s failed", channel, self.id)
                self._randevu_failed(str(error), now, new_attempt=True)
                return self.browse()
            _logger.info("Randevu: sending %s messages %s failed, sending them one by one", channel, self.ids)
            sent = self.browse()
            for message in self:
                sent |= message._randevu_send_batch(channel, now)
            return sent
        self._randevu_mark_sent(logged, now)
        return self

    def _randevu_stale(self, now):
        """{message: reason} for those of `self` that are no longer true or timely."""
        reasons = {}
        rebooking = self.filtered(lambda msg: msg.kind == "rebooking")
        booked_partners = set()
        if rebooking:
            booked_partners = {
                partner.id
                for [partner] in self.env["randevu.appointment"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "in", rebooking.partner_id.ids),
                        ("state", "in", APPOINTMENT_EXPECTED_STATES),
                        ("start", ">", now),
                    ],
                    ["partner_id"],
                )
            }
            # A seat in a group class still to come is something booked too.
            booked_partners |= {
                partner.id
                for [partner] in self.env["randevu.attendee"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "in", rebooking.partner_id.ids),
                        ("state", "in", ATTENDEE_EXPECTED_STATES),
                        ("appointment_id.state", "in", APPOINTMENT_EXPECTED_STATES),
                        ("appointment_id.start", ">", now),
                    ],
                    ["partner_id"],
                )
            }
        attendee_messages = self.filtered(lambda msg: msg._randevu_is_attendee_message())
        attendee_states = {}
        if attendee_messages:
            # One read for the batch: the seat of each attendee message's recipient.
            attendee_states = {
                (appointment.id, partner.id): state
                for appointment, partner, state in self.env["randevu.attendee"]
                .sudo()
                ._read_group(
                    [
                        ("appointment_id", "in", attendee_messages.appointment_id.ids),
                        ("partner_id", "in", attendee_messages.partner_id.ids),
                    ],
                    ["appointment_id", "partner_id", "state"],
                )
            }
        for message in self:
            appointment = message.appointment_id
            kind = message.kind
            if message in attendee_messages:
                reason = message._randevu_attendee_stale(attendee_states.get((appointment.id, message.partner_id.id)))
                if reason:
                    reasons[message] = reason
                    continue
            if kind in BEFORE_KINDS and appointment.start <= now:
                reasons[message] = self.env._("Too late: the appointment has started.")
            elif (
                kind in ("confirmation", "reminder", "reschedule")
                and appointment.state not in APPOINTMENT_EXPECTED_STATES
            ):
                reasons[message] = self.env._("The appointment is no longer booked.")
            elif kind in ("reminder", "reschedule") and appointment.start != message.appointment_start:
                reasons[message] = self.env._("The appointment was moved.")
            elif kind == "cancellation" and appointment.state != "cancelled" and message not in attendee_messages:
                reasons[message] = self.env._("The appointment was booked again.")
            elif kind == "thank_you" and appointment.state != "done":
                reasons[message] = self.env._("The visit is no longer done.")
            elif kind == "rebooking" and message.partner_id.id in booked_partners:
                reasons[message] = self.env._("The customer has booked again.")
        return reasons

    def _randevu_attendee_stale(self, attendee_state):
        """Why this attendee message is no longer true (`attendee_state`: the state of
        the recipient's seat, None when they left the class), or False."""
        self.ensure_one()
        kind = self.kind
        if kind in ("confirmation", "reminder", "reschedule") and attendee_state not in ATTENDEE_EXPECTED_STATES:
            return self.env._("The customer no longer has a seat in the class.")
        if kind == "cancellation" and self.appointment_id.state != "cancelled" and attendee_state != "cancelled":
            return self.env._("The appointment was booked again.")
        if kind in ("thank_you", "rebooking") and attendee_state not in ATTENDEE_ATTENDED_STATES:
            return self.env._("The customer did not attend the class.")
        return False

    def _randevu_mark_sent(self, logged, now):
        """Mark `self` sent, with their chatter messages `logged` ({id: mail.message id}), in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE randevu_message m
                   SET state = 'sent', sent_date = %(now)s, attempts = m.attempts + 1, error = NULL,
                       next_try = NULL, mail_message_id = v.mail_message_id,
                       write_date = %(now)s, write_uid = %(uid)s
                  FROM unnest(%(ids)s::int[], %(mail_message_ids)s::int[]) AS v(id, mail_message_id)
                 WHERE m.id = v.id
                """,
                now=now,
                uid=self.env.uid,
                ids=self.ids,
                mail_message_ids=[logged.get(message_id) for message_id in self.ids],
            )
        )
        self.invalidate_recordset()

    def _randevu_failed(self, reason, now, new_attempt=False, permanent=False):
        """A send of these messages failed (`new_attempt`: in this very call, so it
        counts as an attempt): queue them again after the next backoff delay or, once
        the delays are used up (at once for a `permanent` failure), mark them failed
        and report them on their appointment."""
        updates = defaultdict(lambda: self.browse())
        for message in self:
            attempts = message.attempts + (1 if new_attempt else 0)
            if permanent or attempts > len(RETRY_DELAYS):
                updates[("error", attempts, False)] |= message
            else:
                updates[("queued", attempts, now + RETRY_DELAYS[max(attempts, 1) - 1])] |= message
        for (state, attempts, next_try), messages in updates.items():
            messages.write({"state": state, "attempts": attempts, "error": reason, "next_try": next_try})
        self.filtered(lambda msg: msg.state == "queued")._randevu_log_failures(reason, final=False)
        self.filtered(lambda msg: msg.state == "error")._randevu_log_failures(reason, final=True)

    def _randevu_log_failures(self, reason, final):
        """Say in each appointment's chatter that a message failed; when it is final, also
        give whoever booked it (or the staff member) an activity to reach the customer."""
        if not self:
            return
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        bodies = defaultdict(list)
        for message in self:
            label = self.env._("%(kind)s (%(channel)s)", kind=kinds[message.kind], channel=channels[message.channel])
            if final:
                bodies[message.appointment_id.id].append(
                    self.env._(
                        "%(message)s could not be delivered: %(reason)s. Please contact the customer.",
                        message=label,
                        reason=reason,
                    )
                )
            else:
                bodies[message.appointment_id.id].append(
                    self.env._(
                        "%(message)s could not be delivered: %(reason)s. Next try: %(when)s.",
                        message=label,
                        reason=reason,
                        when=message.appointment_id._randevu_local_label(message.next_try),
                    )
                )
        bodies = {appointment_id: " ".join(texts) for appointment_id, texts in bodies.items()}
        appointments = self.appointment_id
        appointments._message_log_batch(bodies)
        if not final:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for appointment in appointments:
            user = appointment.create_uid
            if not user or user.share or not user.active or user._is_superuser():
                user = appointment.employee_id.user_id
            if todo and user:
                appointment.activity_schedule(
                    activity_type_id=todo.id,
                    summary=self.env._("Message to the customer failed"),
                    note=bodies[appointment.id],
                    user_id=user.id,
                )

    def _randevu_withdraw(self, reason, kinds=BEFORE_KINDS):
        """Stop what these messages would still send: queued ones are withdrawn, and
        emails or texts of sent ones still waiting in Odoo's queues are cancelled."""
        messages = self.filtered(lambda msg: msg.kind in kinds and msg.state in ("queued", "sent"))
        if not messages:
            return
        chatter = messages.filtered(lambda msg: msg.state == "sent").mail_message_id
        waiting = self.browse()
        if chatter:
            mails = (
                self.env["mail.mail"]
                .sudo()
                .search([("mail_message_id", "in", chatter.ids), ("state", "=", "outgoing")])
            )
            texts = (
                self.env["sms.sms"].sudo().search([("mail_message_id", "in", chatter.ids), ("state", "=", "outgoing")])
            )
            mails.cancel()
            self.env["mail.notification"].sudo().search([("mail_mail_id", "in", mails.ids)]).write(
                {"notification_status": "canceled"}
            )
            texts.action_set_canceled()
            left_waiting = set((mails.mail_message_id | texts.mail_message_id).ids)
            waiting = messages.filtered(lambda msg: msg.mail_message_id.id in left_waiting)
        (messages.filtered(lambda msg: msg.state == "queued") | waiting).write(
            {"state": "cancelled", "error": reason, "next_try": False}
        )
