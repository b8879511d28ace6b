from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import APPOINTMENT_EXPECTED_STATES, ATTENDEE_ATTENDED_STATES, ATTENDEE_EXPECTED_STATES
from ..tools.cron_batches import lock_due, run_steps
from .randevu_message import (
    FAILURE_WATCH,
    PERMANENT_FAILURES,
    REBOOKING_WINDOW,
    THANK_YOU_WINDOW,
)


class RandevuMessage(models.Model):
    """The crons of randevu.message and their selectors: each batch step picks the
    messages that are due (queued, failed, reminders, after-visit messages) and hands
    them to the outbox (`_randevu_insert`, `_randevu_dispatch`)."""

    # One model, one file per concern (issue 11): record and policy, senders, crons.
    _inherit = "randevu.message"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_send_reminders(self, batch_size=500, limit=None, now=None, auto_commit=None):
        """Reminder cron: look for failed sends (bounces, SMS errors) and queue them
        again with backoff, send the queued messages that are due (deferred by quiet
        hours, retries), then send every reminder rule that is due.

        Batches of `batch_size`, progress reported to ir.cron, one commit per batch
        (see _randevu_run_batches); `limit` caps the messages handled in one run.
        """
        now = now or fields.Datetime.now()
        position = {}  # where the last reminder batch of this run stopped (see _randevu_batch_reminders)
        return self._randevu_run_batches(
            [
                self._randevu_batch_failures,
                self._randevu_batch_queued,
                lambda size, now: self._randevu_batch_reminders(size, now, position=position),
            ],
            batch_size,
            limit,
            now,
            auto_commit,
        )

    @api.model
    def _cron_send_queued(self, batch_size=200, limit=None, now=None, auto_commit=None):
        """Outbox worker: render and send the queued messages that are due. A booking,
        a move or a cancellation only writes its message rows and triggers this cron
        (see _randevu_queue), which runs right after that transaction commits, in its
        own: the request is not slowed down by rendering, the .ics or the gateways,
        and a message that fails never undoes the change it is about.

        Batches of `batch_size`, one commit per batch (see _randevu_run_batches); a
        message that fails is retried with backoff (see _randevu_send_batch). The
        reminder cron sends what this one left (deferred by quiet hours, retries)."""
        now = now or fields.Datetime.now()
        return self._randevu_run_batches([self._randevu_batch_queued], batch_size, limit, now, auto_commit)

    @api.model
    def _cron_send_followups(self, batch_size=500, limit=None, now=None, auto_commit=None):
        """After-visit cron: the thank-you with a review request after a visit, and the
        rebooking reminder once a service's rebooking interval has passed while the
        customer has nothing booked."""
        now = now or fields.Datetime.now()
        return self._randevu_run_batches(
            [
                self._randevu_batch_thank_you,
                self._randevu_batch_attendee_thank_you,
                self._randevu_batch_rebooking,
                self._randevu_batch_attendee_rebooking,
            ],
            batch_size,
            limit,
            now,
            auto_commit,
        )

    @api.model
    def _randevu_run_batches(self, steps, batch_size, limit, now, auto_commit):
        """Run each step (a callable(batch_size, now) -> (handled, more)) batch after
        batch, through the crons' one batch-and-commit loop (tools/cron_batches.run_steps).

        Every batch is one unit: what it sends and the message rows that say so are
        written together, so a crash before its commit loses exactly one batch, whose
        messages the next run finds still due; a serialization failure (another worker
        took the same messages) retries the batch on a fresh snapshot.
        """
        return run_steps(
            self.env,
            [lambda size, step=step: step(size, now) for step in steps],
            batch_size,
            limit,
            auto_commit,
        )

    def _randevu_batch_failures(self, batch_size, now):
        """Recent sends whose email or text failed (mail.notification in exception or
        bounce): back to the queue with backoff, or failed and reported."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, n.notification_status, n.failure_type, n.failure_reason
                  FROM randevu_message m
                  JOIN mail_notification n ON n.mail_message_id = m.mail_message_id
                                          AND n.res_partner_id = m.partner_id
                 WHERE m.state = 'sent'
                   AND m.sent_date >= %(since)s
                   AND n.notification_status IN ('exception', 'bounce')
                 ORDER BY m.id
                 LIMIT %(limit)s
                   FOR UPDATE OF m SKIP LOCKED
                """,
                since=now - FAILURE_WATCH,
                limit=batch_size,
            ),
            log_exceptions=False,  # concurrency errors: retried by _randevu_run_batches
        )
        rows = self.env.cr.fetchall()
        failure_types = dict(self.env["mail.notification"]._fields["failure_type"]._description_selection(self.env))
        by_reason = defaultdict(list)
        for message_id, status, failure_type, failure_reason in rows:
            failure_type = "mail_bounce" if status == "bounce" and not failure_type else failure_type
            reason = failure_types.get(failure_type) or failure_reason or self.env._("Unknown error")
            by_reason[(reason, failure_type in PERMANENT_FAILURES)].append(message_id)
        for (reason, permanent), ids in by_reason.items():
            self.browse(ids)._randevu_failed(reason, now, permanent=permanent)
        return len(rows), len(rows) == batch_size

    def _randevu_batch_queued(self, batch_size, now):
        """Queued messages whose time has come (after quiet hours, retries)."""
        # Concurrency errors are not logged: retried by _randevu_run_batches.
        messages = self.browse(lock_due(self.env, "randevu_message", now, batch_size, log_exceptions=False))
        messages._randevu_dispatch(now)
        return len(messages), len(messages) == batch_size

    def _randevu_batch_reminders(self, batch_size, now, position=None):
        """The next `batch_size` (appointment, rule) pairs whose reminder is due.

        A reminder is due from `offset` before the start, and too late once less than
        half of the offset is left (the cron was down), or when it fell due before the
        appointment was booked or moved (the confirmation or change notice just told the
        customer). A service's own rules replace its branch's general ones. Pairs that
        already have their message (same rule, same start) are left out. A group class
        counts once per attendee with a seat (booked or confirmed): the pair is then
        (session, rule, attendee's partner), with a message each.

        `position` (a dict kept by the caller for one run, `now` being fixed) makes the
        next batch start after the last pair of this one, so that a batch reads only
        its own pairs instead of skipping all those handled before (keyset pagination).
        It is advanced only once the batch has gone through: a batch retried after a
        serialization failure starts from the same place.
        """
        self.env.flush_all()
        max_offset = (
            self.env["randevu.reminder.rule"].sudo().search([], order="offset_hours desc", limit=1).offset_hours
        )
        if not max_offset:
            return 0, False
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, r.id, a.start, COALESCE(t.partner_id, 0)
                  FROM randevu_appointment a
                  JOIN randevu_reminder_rule r ON r.company_id = a.company_id AND r.active
                  LEFT JOIN randevu_attendee t ON t.appointment_id = a.id AND t.state IN %(attendee_states)s
                 WHERE a.state IN %(states)s
                   AND (a.partner_id IS NOT NULL OR t.id IS NOT NULL)
                   AND a.start > %(now)s
                   AND a.start <= %(horizon)s
                   AND a.start - r.offset_hours * interval '1 hour' <= %(now)s
                   AND a.start - r.offset_hours * interval '30 minutes' > %(now)s
                   AND a.start - r.offset_hours * interval '1 hour' >= COALESCE(a.start_set_date, a.create_date)
                   AND (r.service_id = a.service_id
                        OR (r.service_id IS NULL AND NOT EXISTS (
                                SELECT 1 FROM randevu_reminder_rule o
                                 WHERE o.active AND o.company_id = a.company_id AND o.service_id = a.service_id)))
                   AND NOT EXISTS (
                        SELECT 1 FROM randevu_message m
                         WHERE m.appointment_id = a.id AND m.rule_id = r.id AND m.appointment_start = a.start
                           AND (t.id IS NULL OR m.partner_id = t.partner_id))
                   AND (a.start, a.id, r.id, COALESCE(t.partner_id, 0))
                       > (%(after_start)s, %(after_appointment)s, %(after_rule)s, %(after_partner)s)
                 ORDER BY a.start, a.id, r.id, COALESCE(t.partner_id, 0)
                 LIMIT %(limit)s
                """,
                states=APPOINTMENT_EXPECTED_STATES,
                attendee_states=ATTENDEE_EXPECTED_STATES,
                now=now,
                horizon=now + timedelta(hours=max_offset),
                after_start=(position or {}).get("start", now),
                after_appointment=(position or {}).get("appointment", 0),
                after_rule=(position or {}).get("rule", 0),
                after_partner=(position or {}).get("partner", 0),
                limit=batch_size,
            )
        )
        pairs = self.env.cr.fetchall()
        if not pairs:
            return 0, False
        appointments = self.env["randevu.appointment"].browse(
            {appointment_id for appointment_id, _rule, _start, _partner in pairs}
        )
        rules = self.env["randevu.reminder.rule"].browse({rule_id for _appointment, rule_id, _start, _partner in pairs})
        partners = self.env["res.partner"].browse({partner_id for *_pair, partner_id in pairs if partner_id})
        appointments.mapped("start")  # one read for the whole batch
        rules.mapped("offset_hours")
        rows = []
        for appointment_id, rule_id, _start, partner_id in pairs:
            appointment, rule = appointments.browse(appointment_id), rules.browse(rule_id)
            attendee = partners.browse(partner_id) if partner_id else None
            rows.append(
                {
                    "appointment": appointment,
                    "kind": "reminder",
                    "channel": rule.channel,
                    "rule_id": rule.id,
                    "key": self._randevu_key("reminder", rule.channel, appointment, rule, attendee=attendee),
                    "planned": appointment.start - timedelta(hours=rule.offset_hours),
                    "partner_id": partner_id or None,
                }
            )
        messages = self._randevu_insert(rows, now)
        messages._randevu_dispatch(now)
        if position is not None:
            last_appointment, last_rule, last_start, last_partner = pairs[-1]
            position.update(start=last_start, appointment=last_appointment, rule=last_rule, partner=last_partner)
        # Handled: the reminders this worker wrote; a pair another worker wrote meanwhile
        # (its key already taken, ON CONFLICT DO NOTHING) is not counted twice.
        return len(messages), len(pairs) == batch_size

    def _randevu_batch_thank_you(self, batch_size, now):
        """Visits done in the last two days without a thank-you yet."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id
                  FROM randevu_appointment a
                 WHERE a.state = 'done'
                   AND a.partner_id IS NOT NULL
                   AND a.stop <= %(now)s
                   AND a.stop > %(since)s
                   AND NOT EXISTS (SELECT 1 FROM randevu_message m
                                    WHERE m.appointment_id = a.id AND m.kind = 'thank_you')
                 ORDER BY a.stop, a.id
                 LIMIT %(limit)s
                """,
                now=now,
                since=now - THANK_YOU_WINDOW,
                limit=batch_size,
            )
        )
        appointments = self.env["randevu.appointment"].browse([row[0] for row in self.env.cr.fetchall()])
        appointments._randevu_prepare_rating()
        messages = self._randevu_notify(appointments, "thank_you", now, send_now=True)
        return len(appointments), len(appointments) == batch_size and bool(messages)

    def _randevu_batch_attendee_thank_you(self, batch_size, now):
        """Attendees who came to a group class done in the last two days, without a thank-you yet."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id
                  FROM randevu_attendee t
                  JOIN randevu_appointment a ON a.id = t.appointment_id
                 WHERE a.state = 'done'
                   AND t.state IN %(attended)s
                   AND a.stop <= %(now)s
                   AND a.stop > %(since)s
                   AND NOT EXISTS (SELECT 1 FROM randevu_message m
                                    WHERE m.appointment_id = a.id AND m.kind = 'thank_you'
                                      AND m.partner_id = t.partner_id)
                 ORDER BY a.stop, t.id
                 LIMIT %(limit)s
                """,
                attended=ATTENDEE_ATTENDED_STATES,
                now=now,
                since=now - THANK_YOU_WINDOW,
                limit=batch_size,
            )
        )
        attendees = self.env["randevu.attendee"].browse([row[0] for row in self.env.cr.fetchall()])
        attendees.appointment_id._randevu_prepare_rating(attendees=attendees)
        messages = self._randevu_notify_attendees(attendees, "thank_you", now, send_now=True)
        return len(attendees), len(attendees) == batch_size and bool(messages)

    def _randevu_batch_rebooking(self, batch_size, now):
        """Customers whose last visit for a service is older than the service's rebooking
        interval (in the last two weeks of it) and who have nothing booked: one
        rebooking reminder per customer and fortnight."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (a.partner_id) a.id
                  FROM randevu_appointment a
                  JOIN product_template s ON s.id = a.service_id
                 WHERE a.state = 'done'
                   AND a.partner_id IS NOT NULL
                   AND %(days)s > 0
                   AND a.stop + %(days)s * interval '1 day' <= %(now)s
                   AND a.stop + %(days)s * interval '1 day' > %(since)s
                   AND NOT EXISTS (SELECT 1 FROM randevu_appointment later
                                    WHERE later.partner_id = a.partner_id AND later.service_id = a.service_id
                                      AND later.state = 'done' AND later.start > a.start)
                   AND %(not_due_yet)s
                 ORDER BY a.partner_id, a.stop DESC, a.id
                 LIMIT %(limit)s
                """,
                now=now,
                since=now - REBOOKING_WINDOW,
                not_due_yet=self._randevu_rebooking_not_due(SQL.identifier("a", "partner_id"), now),
                days=self._randevu_rebook_days(SQL.identifier("a", "partner_id")),
                limit=batch_size,
            )
        )
        appointments = self.env["randevu.appointment"].browse([row[0] for row in self.env.cr.fetchall()])
        messages = self._randevu_notify(appointments, "rebooking", now, send_now=True)
        return len(appointments), len(appointments) == batch_size and bool(messages)

    @api.model
    def _randevu_rebook_days(self, partner):
        """SQL expression: after how many days the customer in column `partner` is
        reminded to book the service `s` again after her visit `a` (0 or NULL: never).
        Extension point: the service's fixed interval here; randevu_marketing uses the
        customer's own usual interval for the service's category when she has one."""
        return SQL.identifier("s", "randevu_rebook_days")

    @api.model
    def _randevu_rebooking_not_due(self, partner, now):
        """SQL condition on the customer in column `partner` (of the appointment `a`
        being looked at): nothing booked (no appointment, no seat in a class to come),
        and no rebooking reminder about `a` or in the last fortnight, nor held back by
        _randevu_rebooking_held."""
        return SQL(
            """NOT EXISTS (SELECT 1 FROM randevu_appointment coming
                            WHERE coming.partner_id = %(partner)s AND coming.state IN %(states)s
                              AND coming.start > %(now)s)
               AND NOT EXISTS (SELECT 1 FROM randevu_attendee seat
                                 JOIN randevu_appointment coming ON coming.id = seat.appointment_id
                                WHERE seat.partner_id = %(partner)s AND seat.state IN %(seat_states)s
                                  AND coming.state IN %(states)s AND coming.start > %(now)s)
               AND NOT EXISTS (SELECT 1 FROM randevu_message m
                                WHERE m.partner_id = %(partner)s AND m.kind = 'rebooking'
                                  AND (m.appointment_id = a.id OR m.create_date > %(since)s))
               AND NOT (%(held)s)""",
            partner=partner,
            held=self._randevu_rebooking_held(partner, now),
            states=APPOINTMENT_EXPECTED_STATES,
            seat_states=ATTENDEE_EXPECTED_STATES,
            now=now,
            since=now - REBOOKING_WINDOW,
        )

    @api.model
    def _randevu_rebooking_held(self, partner, now):
        """SQL condition on the customer in column `partner` (visit `a`, service `s`):
        true when her rebooking reminder must wait for now (it is looked at again by the
        next runs, while its two weeks last). Extension point: never here;
        randevu_marketing holds the client reconnect nudge of a customer at her branch's
        marketing frequency cap."""
        return SQL("FALSE")

    def _randevu_batch_attendee_rebooking(self, batch_size, now):
        """The rebooking reminder for customers whose last class of a service (attended)
        is older than its rebooking interval, like _randevu_batch_rebooking: nothing
        booked (no appointment, no seat in a class to come), once per fortnight."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (t.partner_id) t.id
                  FROM randevu_attendee t
                  JOIN randevu_appointment a ON a.id = t.appointment_id
                  JOIN product_template s ON s.id = a.service_id
                 WHERE a.state = 'done'
                   AND t.state IN %(attended)s
                   AND %(days)s > 0
                   AND a.stop + %(days)s * interval '1 day' <= %(now)s
                   AND a.stop + %(days)s * interval '1 day' > %(since)s
                   AND NOT EXISTS (SELECT 1 FROM randevu_attendee later_seat
                                     JOIN randevu_appointment later ON later.id = later_seat.appointment_id
                                    WHERE later_seat.partner_id = t.partner_id AND later_seat.state IN %(attended)s
                                      AND later.service_id = a.service_id AND later.state = 'done'
                                      AND later.start > a.start)
                   AND %(not_due_yet)s
                 ORDER BY t.partner_id, a.stop DESC, t.id
                 LIMIT %(limit)s
                """,
                attended=ATTENDEE_ATTENDED_STATES,
                now=now,
                since=now - REBOOKING_WINDOW,
                not_due_yet=self._randevu_rebooking_not_due(SQL.identifier("t", "partner_id"), now),
                days=self._randevu_rebook_days(SQL.identifier("t", "partner_id")),
                limit=batch_size,
            )
        )
        attendees = self.env["randevu.attendee"].browse([row[0] for row in self.env.cr.fetchall()])
        messages = self._randevu_notify_attendees(attendees, "rebooking", now, send_now=True)
        return len(attendees), len(attendees) == batch_size and bool(messages)
