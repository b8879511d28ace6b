import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES, ATTENDEE_EXPECTED_STATES
from odoo.addons.randevu_calendar.tools.cron_batches import run_steps

_logger = logging.getLogger(__name__)

# Cancelled traces of a mailing: who the automation's send skipped, and why.
SKIPPED_STATUSES = ("cancel", "error", "bounce")


class RandevuMarketingAutomation(models.Model):
    """A marketing message that goes out by itself (issue 16), per branch:

    - *Win-back*: to the clients who came before and have had no completed appointment
      for N weeks, once per absence (a new visit starts a new one);
    - *Birthday offer*: to the clients whose birthday is today (or in N days), once a
      year, with a personal single-use code when the branch sells with codes
      (randevu_booking_marketing generates one loyalty coupon per recipient);
    - *Client reconnect*: no message of its own. While it is active, the core's
      rebooking reminder (randevu_calendar) waits for each client's own usual interval
      per service category (randevu.client.interval) instead of the service's fixed one.

    The message of a win-back or birthday automation is a mailing (mass_mailing, email
    or SMS) of its own, edited with the mailing editor and sent through it, so that it
    follows what every campaign follows: the marketing consent for its channel checked
    when it is sent, the branch's frequency cap (counted with the campaigns') and quiet
    hours. A client with an appointment to come is not messaged (and a nudge waiting for
    the end of the quiet hours is cancelled when she books). Each client is messaged at
    most once per episode (absence, birthday): a row of `randevu.marketing.automation.send`,
    unique per automation, client and episode, says so."""

    _name = "randevu.marketing.automation"
    _description = "Marketing Automation"
    _order = "company_id, kind, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [("win_back", "Win-back"), ("birthday", "Birthday Offer"), ("reconnect", "Client Reconnect")],
        required=True,
        default="win_back",
    )
    channel = fields.Selection([("mail", "Email"), ("sms", "SMS")], required=True, default="mail")
    weeks = fields.Integer(
        "Weeks Without a Visit", default=8, help="Win-back: clients with no completed appointment for this many weeks."
    )
    days_before = fields.Integer(
        "Days Before the Birthday", default=0, help="Birthday offer: sent this many days before the birthday."
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Message",
        ondelete="restrict",
        copy=False,
        groups="mass_mailing.group_mass_mailing_user",
        help="The message sent (subject, body, sender), edited with the mailing editor. "
        "Its statistics are the automation's.",
    )
    send_ids = fields.One2many("randevu.marketing.automation.send", "automation_id", string="Sends")
    sent_count = fields.Integer("Sent", compute="_compute_counts")
    skipped_count = fields.Integer("Skipped", compute="_compute_counts")

    _sql_constraints = [
        (
            "randevu_automation_ranges",
            "CHECK(weeks >= 0 AND days_before >= 0)",
            "Weeks and days cannot be negative.",
        ),
    ]

    @api.constrains("kind", "weeks")
    def _check_weeks(self):
        for automation in self:
            if automation.kind == "win_back" and automation.weeks < 1:
                raise ValidationError(self.env._("A win-back waits for one week at least."))

    @api.constrains("kind", "mailing_id", "company_id")
    def _check_mailing(self):
        for automation in self.sudo():
            mailing = automation.mailing_id
            if mailing and mailing.randevu_automation_id != automation:
                raise ValidationError(self.env._("The message of an automation belongs to it alone."))

    def _compute_counts(self):
        groups = self.env["randevu.marketing.automation.send"]._read_group(
            [("automation_id", "in", self.ids)], ["automation_id", "state"], ["__count"]
        )
        counts = {(automation.id, state): count for automation, state, count in groups}
        for automation in self:
            automation.sent_count = counts.get((automation.id, "sent"), 0)
            automation.skipped_count = sum(counts.get((automation.id, state), 0) for state in ("skipped", "cancelled"))

    @api.model_create_multi
    def create(self, vals_list):
        automations = super().create(vals_list)
        automations._randevu_ensure_mailing()
        return automations

    def write(self, vals):
        result = super().write(vals)
        if {"kind", "channel", "company_id"} & set(vals):
            self._randevu_ensure_mailing()
        return result

    def _randevu_ensure_mailing(self):
        """Each win-back or birthday automation gets its mailing (to contacts, its
        channel); its recipients are set by each send, never by hand."""
        partner_model = self.env["ir.model"]._get_id("res.partner")
        # Superuser: a manager sets automations up without being an Email Marketing user;
        # the mailing is the automation's and reached through it.
        for automation in self.sudo():
            if automation.kind == "reconnect":
                continue
            values = {"mailing_type": automation.channel, "mailing_model_id": partner_model}
            if automation.mailing_id:
                if automation.mailing_id.mailing_type != automation.channel:
                    automation.mailing_id.write(values)
                continue
            automation.mailing_id = (
                self.env["mailing.mailing"]
                .sudo()
                .create(
                    {
                        **values,
                        "subject": automation.name,
                        **automation._randevu_default_message(),
                        "mailing_domain": repr(expression.FALSE_DOMAIN),
                        "randevu_automation_id": automation.id,
                    }
                )
            )

    def _randevu_default_message(self):
        """A first text for a new automation's message, to be edited."""
        self.ensure_one()
        if self.kind == "birthday":
            text = self.env._("Happy birthday! A gift from us for your next visit.")
        else:
            text = self.env._("We miss you! It has been a while since your last visit: book your next one.")
        code_label = self.env._("Your personal code:")
        return {
            "body_html": f'<p>{text}</p><p t-if="object.randevu_automation_code">{code_label} '
            '<strong t-out="object.randevu_automation_code"/></p>',
            "body_plaintext": f"{text} {{{{ object.randevu_automation_code or '' }}}}",
        }

    def action_edit_message(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": self.mailing_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_sends(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "randevu.marketing.automation.send",
            "view_mode": "list,form",
            "domain": [("automation_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------ the cron
    @api.model
    def _cron_run(self, batch_size=500, limit=None, now=None, auto_commit=None):
        """Daily: compute the clients' usual intervals again (client reconnect), then for
        each active win-back and birthday automation, select the clients due (a send row
        each, *pending*) and send to the pending ones, batch after batch (one commit per
        batch; see randevu_calendar's tools/cron_batches)."""
        self.env["randevu.client.interval"]._randevu_refresh()
        automations = self.search([("kind", "in", ("win_back", "birthday"))])
        return automations._randevu_run(batch_size, limit, now, auto_commit)

    def _randevu_run(self, batch_size=500, limit=None, now=None, auto_commit=None):
        """Select and send for these automations (see _cron_run)."""
        now = now or fields.Datetime.now()
        steps = []
        for automation in self.filtered(lambda automation: automation.kind != "reconnect"):
            steps.append(lambda size, automation=automation: automation._randevu_select(size, now))
            steps.append(lambda size, automation=automation: automation._randevu_send_batch(size, now))
        return run_steps(self.env, steps, batch_size, limit, auto_commit)

    # ------------------------------------------------------------------ selection
    def _randevu_audience_domain(self, now):
        """The clients of the automation's branch it is for today with a consent for its
        channel, as ONE res.partner domain: built by a segment's own criteria
        (randevu.segment, not saved), without those who have something booked."""
        self.ensure_one()
        Segment = self.env["randevu.segment"]
        # Consent for the channel as the segment sees it now; checked again when sending.
        criteria = {"company_id": self.company_id.id, "consent_channel": self._randevu_consent_channel()}
        if self.kind == "win_back":
            # Those who came to this branch and have not come back (to any branch).
            criteria.update(no_visit_weeks=self.weeks, visited_branch_ids=self.company_id.ids)
        domain = Segment.new(criteria)._randevu_domain()
        if self.kind == "birthday":
            # The branch's clients: its own contacts and those who came to it.
            visited = Segment._randevu_appointment_partners(
                [("state", "=", "done"), ("company_id", "=", self.company_id.id)]
            )
            domain = expression.AND([domain, ["|", ("company_id", "=", self.company_id.id), ("id", "in", visited)]])
        if self.kind == "birthday":
            day = self._randevu_birthday_date(now)
            days = [day.day]
            if day.month == 2 and day.day == 28 and not _leap(day.year):
                days.append(29)  # born on 29 February: on the 28th in other years
            # ("day_of_month", "in", [...]) is not supported by the ORM: one "=" each.
            born = expression.OR([[("randevu_birthday.day_of_month", "=", number)] for number in days])
            domain = expression.AND([domain, [("randevu_birthday.month_number", "=", day.month)], born])
        return expression.AND([domain, [("id", "not in", self._randevu_booked_partners(now))]])

    def _randevu_consent_channel(self):
        """The consent channel (randevu.consent) of the automation's message channel
        (a mailing type: mail, sms, or whatsapp with randevu_inbox_marketing)."""
        self.ensure_one()
        return {"mail": "email"}.get(self.channel, self.channel)

    def _randevu_send_mailing(self, mailing, partner_ids):
        """Send the automation's `mailing` to `partner_ids` through the mailing's own
        sending (consent, frequency cap, traces). Extension point: a channel of its own
        (randevu_inbox_marketing: WhatsApp)."""
        self.ensure_one()
        if self.channel == "sms":
            mailing.action_send_sms(partner_ids)
        else:
            mailing.action_send_mail(partner_ids)

    def _randevu_birthday_date(self, now):
        return self.company_id._randevu_to_local(now).date() + timedelta(days=self.days_before)

    @api.model
    def _randevu_booked_partners(self, now):
        """SQL subquery: the customers with an appointment to come, or a seat in a class
        to come (at any branch)."""
        Segment = self.env["randevu.segment"]
        coming = Segment._randevu_appointment_partners(
            [("state", "in", list(APPOINTMENT_EXPECTED_STATES)), ("start", ">", now)]
        )
        seats = self.env["randevu.attendee"]._search(
            [
                ("partner_id", "!=", False),
                ("state", "in", list(ATTENDEE_EXPECTED_STATES)),
                ("appointment_id.state", "in", list(APPOINTMENT_EXPECTED_STATES)),
                ("appointment_id.start", ">", now),
            ]
        )
        seated = seats.subselect(SQL.identifier(seats.table, "partner_id"))
        return SQL("(%s UNION %s)", coming, seated)

    def _randevu_episode(self, now, partner_column):
        """SQL: the episode of the customer in `partner_column` a message is about: her
        last completed visit (win-back: a new visit starts a new absence), or the
        birthday (once a year)."""
        if self.kind == "birthday":
            return SQL("%s::timestamp", datetime.combine(self._randevu_birthday_date(now), time.min))
        return SQL(
            "(SELECT MAX(v.start) FROM randevu_appointment v WHERE v.partner_id = %s AND v.state = 'done')",
            partner_column,
        )

    def _randevu_select(self, batch_size, now):
        """Write a *pending* send for the next `batch_size` clients due who have none for
        this episode yet. Unique per automation, client and episode: two crons at once
        cannot both select a client (the later one fails to serialize and is retried,
        then finds the send)."""
        self.ensure_one()
        if not self.active or not self.sudo().mailing_id:
            return 0, False
        Partner = self.env["res.partner"]
        query = Partner._search(self._randevu_audience_domain(now))
        partner = SQL.identifier(query.table, "id")
        episode = self._randevu_episode(now, partner)
        query.add_where(
            SQL(
                """NOT EXISTS (SELECT 1 FROM randevu_marketing_automation_send sent
                                WHERE sent.automation_id = %s AND sent.partner_id = %s
                                  AND sent.episode >= %s)""",
                self.id,
                partner,
                episode,
            )
        )
        query.order = partner
        query.limit = batch_size
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO randevu_marketing_automation_send
                       (automation_id, company_id, partner_id, episode, state,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(automation)s, %(company)s, chosen.id, chosen.episode, 'pending',
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (%(chosen)s) chosen
                ON CONFLICT (automation_id, partner_id, episode) DO NOTHING
                RETURNING id
                """,
                automation=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                now=now,
                chosen=query.select(partner, SQL("%s AS episode", episode)),
            ),
            log_exceptions=False,  # concurrency errors: retried by run_steps
        )
        inserted = self.env.cr.fetchall()
        self.env["randevu.marketing.automation.send"].invalidate_model()
        return len(inserted), len(inserted) == batch_size

    # ------------------------------------------------------------------ sending
    def _randevu_send_batch(self, batch_size, now):
        """Send the automation's message to its next `batch_size` pending sends, unless
        the branch is in its quiet hours (then the cron is woken at their end). A client
        who booked meanwhile is cancelled; consent and the frequency cap are checked now,
        by the campaigns' own checks (the mailing checks them again when it sends)."""
        self.ensure_one()
        Send = self.env["randevu.marketing.automation.send"]
        until = self.company_id._randevu_quiet_hours_end(now)
        if until:
            if Send.search_count([("automation_id", "=", self.id), ("state", "=", "pending")], limit=1):
                self.env.ref("randevu_marketing.ir_cron_randevu_marketing_automation")._trigger(until)
            return 0, False
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM randevu_marketing_automation_send
             WHERE automation_id = %s AND state = 'pending'
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [self.id, batch_size],
            log_exceptions=False,
        )
        sends = Send.browse([row[0] for row in self.env.cr.fetchall()])
        if not sends:
            return 0, False
        if not self.active or not self.sudo().mailing_id:
            sends.write({"state": "cancelled", "reason": self.env._("Automation stopped")})
            return len(sends), len(sends) == batch_size
        sends._randevu_send(now)
        return len(sends), len(sends) == batch_size

    def _randevu_prepare_sends(self, sends):
        """Hook before the message goes to `sends` (all of this automation, all reachable):
        randevu_booking_marketing generates a personal code for each."""
        return sends


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
