from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL, split_every

MANAGER = "randevu_calendar.group_randevu_manager"
# Recipients per SMS composer (see action_send_sms); system parameter
# randevu_marketing.sms_batch_size to change it.
SMS_BATCH_SIZE = 1000
# Traces that count toward the frequency cap (queued ones too; not cancelled, failed, bounced).
CAP_TRACE_STATUSES = ("outgoing", "process", "pending", "sent", "open", "reply")


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # A campaign to a saved segment: its recipients are the segment's customers as they are
    # when the mailing is sent (the domain names the segment, not a list of ids), still
    # filtered by consent (res.partner's opt-out hooks), the frequency cap and quiet hours.
    randevu_segment_id = fields.Many2one(
        "randevu.segment",
        string="Segment",
        index="btree_not_null",
        ondelete="restrict",
        groups="randevu_calendar.group_randevu_user",
        help="Send to the customers of this saved segment, as they are when the mailing goes out. "
        "Only those with a marketing consent for the channel receive it.",
    )

    # What this mailing brought (managers): the appointments attributed to its own utm
    # source (mass_mailing gives each mailing one, carried by its links as utm_source).
    randevu_booking_count = fields.Integer(
        "Bookings",
        compute="_compute_randevu_bookings",
        groups=MANAGER,
        help="Appointments booked through this mailing's links, not cancelled.",
    )
    randevu_booked_revenue = fields.Monetary(
        "Booked Revenue",
        compute="_compute_randevu_bookings",
        currency_field="randevu_currency_id",
        groups=MANAGER,
        help="Price of the appointments booked through this mailing's links, not cancelled, in the current "
        "branch's currency (other currencies converted at today's rate).",
    )
    randevu_currency_id = fields.Many2one(
        "res.currency", "Currency", compute="_compute_randevu_currency_id", groups=MANAGER
    )

    @api.depends_context("company")
    def _compute_randevu_currency_id(self):
        self.randevu_currency_id = self.env.company.currency_id

    # Per user (record rules), allowed branches and current branch (its currency).
    @api.depends("source_id")
    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_randevu_bookings(self):
        """One grouped query for all the mailings shown, by source and branch; no query
        per mailing."""
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        counts, revenues = {}, {}
        sources = self.source_id
        if sources:
            groups = self.env["randevu.appointment"]._read_group(
                [("source_id", "in", sources.ids), ("state", "!=", "cancelled")],
                ["source_id", "company_id"],
                ["__count", "price:sum"],
            )
            for source, branch, count, price in groups:
                counts[source.id] = counts.get(source.id, 0) + count
                revenues[source.id] = revenues.get(source.id, 0.0) + branch.currency_id._convert(
                    price, currency, self.env.company, today
                )
        for mailing in self:
            mailing.randevu_booking_count = counts.get(mailing.source_id.id, 0)
            mailing.randevu_booked_revenue = revenues.get(mailing.source_id.id, 0.0)

    def action_randevu_bookings(self):
        """The appointments booked through this mailing's links (cancelled ones filtered
        out by default, as in the counts)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_marketing.randevu_campaign_bookings_action")
        action["domain"] = [("source_id", "=", self.source_id.id)]
        action["context"] = {"search_default_randevu_not_cancelled": 1, "create": False}
        return action

    @api.constrains("randevu_segment_id", "mailing_model_id")
    def _check_randevu_segment_model(self):
        # Only a segment the user may read (her branches'): the recipients are computed
        # as superuser afterwards.
        # (The field itself is the team's: read as superuser, so that other mailing users
        # may still change the recipients of mailings without a segment.)
        segments = self.env["randevu.segment"].browse(self.sudo().randevu_segment_id.ids)
        if segments:
            segments.check_access("read")
        for mailing in self.sudo():
            if mailing.randevu_segment_id and mailing.mailing_model_id.model != "res.partner":
                raise ValidationError(self.env._("A mailing to a segment is sent to contacts (Recipients: Contact)."))

    @api.model_create_multi
    def create(self, vals_list):
        partner_model = self.env["ir.model"]._get_id("res.partner")
        for vals in vals_list:
            if vals.get("randevu_segment_id") and not vals.get("mailing_model_id"):
                vals["mailing_model_id"] = partner_model
        return super().create(vals_list)

    @api.onchange("randevu_segment_id")
    def _onchange_randevu_segment_id(self):
        if self.randevu_segment_id:
            self.mailing_model_id = self.env["ir.model"]._get("res.partner")

    @api.depends("mailing_model_id", "contact_list_ids", "mailing_type", "mailing_filter_id", "randevu_segment_id")
    def _compute_mailing_domain(self):
        result = super()._compute_mailing_domain()
        # Superuser: the segment is only read for its id (the field is the team's).
        for mailing in self.sudo():
            if mailing.randevu_segment_id and mailing.mailing_model_id.model == "res.partner":
                segment_domain = [("randevu_segment_ids", "in", mailing.randevu_segment_id.ids)]
                mailing.mailing_domain = repr(expression.AND([mailing._get_default_mailing_domain(), segment_domain]))
        return result

    def _randevu_company(self):
        """The branch whose marketing rules (frequency cap, quiet hours) the mailing follows:
        its segment's, else its responsible's current branch."""
        self.ensure_one()
        return self.sudo().randevu_segment_id.company_id or self.user_id.company_id or self.env.company

    # ------------------------------------------------------------------ sending
    def _action_send_mail(self, res_ids=None):
        # The same body's links are shortened once per sending, not once per recipient
        # (see mail.render.mixin): one dict for this call only.
        # Its emails go in batches of mail.compose.message's MAILING_BATCH_SIZE.
        if "randevu_shorten_cache" not in self.env.context:
            self = self.with_context(randevu_shorten_cache={})
        return super(MailingMailing, self.with_context(randevu_mailing_batches=True))._action_send_mail(res_ids=res_ids)

    def action_send_sms(self, res_ids=None):
        """mass_mailing_sms gives every recipient to one composer, which keeps their ids as
        the text of a list and reads it back with `literal_eval`, refused beyond Odoo's
        buffer limit: an SMS campaign to 50,000 customers failed. The recipients go to
        composers of SMS_BATCH_SIZE each (same texts, traces and filters: consent and
        frequency cap are per composer, one query each)."""
        if "randevu_shorten_cache" not in self.env.context:
            self = self.with_context(randevu_shorten_cache={})
        param = self.env["ir.config_parameter"].sudo().get_param("randevu_marketing.sms_batch_size")
        size = int(param or 0) or SMS_BATCH_SIZE
        for mailing in self:
            recipients = res_ids or mailing._get_remaining_recipients()
            for batch in split_every(size, recipients, list):
                super(MailingMailing, mailing).action_send_sms(res_ids=batch)
        return True

    # ------------------------------------------------------------------ duplicates
    # mass_mailing cancels a recipient whose address (email) or record (SMS) the mailing
    # already reached. It read all of them at each batch, a list as long as the campaign
    # so far searched once per recipient: the batches of a large campaign slowed down as it
    # went. The composers name the batch (context keys `randevu_seen_emails`,
    # `randevu_mailing_batch_ids`): only the batch's addresses / records are looked up,
    # the outcome is the same (indexes in mailing.trace.init).
    def _get_seen_list(self):
        emails = self.env.context.get("randevu_seen_emails")
        # (An addon adding its own conditions to mass_mailing's query keeps mass_mailing's.)
        if emails is None or any(self._get_seen_list_extra()):
            return super()._get_seen_list()
        self.ensure_one()
        if not emails:
            return set()
        if self.ab_testing_enabled:
            mailing_filter = SQL("s.campaign_id = %s", self.campaign_id.id)
        else:
            mailing_filter = SQL("s.mass_mailing_id = %s AND s.model = %s", self.id, self.mailing_model_real)
        self.env.cr.execute(
            SQL(
                """
                SELECT s.email
                  FROM mailing_trace s
                  JOIN %s t ON (s.res_id = t.id)
                 WHERE s.email = ANY(%s)
                   AND %s
                """,
                SQL.identifier(self.env[self.mailing_model_real]._table),
                list(emails),
                mailing_filter,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _get_seen_list_sms(self):
        batch_ids = self.env.context.get("randevu_mailing_batch_ids")
        target = self.env[self.mailing_model_real]
        if batch_ids is None or not isinstance(target, self.pool["mail.thread.phone"]):
            return super()._get_seen_list_sms()
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                SELECT target.id, target.phone_sanitized
                  FROM mailing_trace trace
                  JOIN %s target ON (trace.res_id = target.id)
                 WHERE target.phone_sanitized IS NOT NULL
                   AND trace.res_id = ANY(%s)
                   AND trace.model = %s
                   AND trace.mass_mailing_id = %s
                """,
                SQL.identifier(target._table),
                list(batch_ids),
                target._name,
                self.id,
            )
        )
        rows = self.env.cr.fetchall()
        return list({row[0] for row in rows}), list({row[1] for row in rows})

    # ------------------------------------------------------------------ quiet hours
    def _randevu_postpone_quiet_hours(self):
        """Move the departure of the mailings whose departure (their schedule date, or now)
        falls in their branch's quiet hours to the end of them, and wake the queue then.
        Returns the mailings postponed."""
        now = fields.Datetime.now()
        postponed = self.browse()
        for mailing in self:
            departure = max(mailing.schedule_date or now, now)
            until = mailing._randevu_company()._randevu_quiet_hours_end(departure)
            if until:
                mailing.write({"schedule_type": "scheduled", "schedule_date": until})
                postponed |= mailing
        if postponed:
            self.env.ref("mass_mailing.ir_cron_mass_mailing_queue")._trigger(set(postponed.mapped("schedule_date")))
        return postponed

    def action_put_in_queue(self):
        res = super().action_put_in_queue()
        self._randevu_postpone_quiet_hours()
        return res

    @api.model
    def _process_mass_mailing_queue(self):
        # Mailings due now but inside their branch's quiet hours wait for the end of them
        # (the queue below only takes those whose schedule date has passed).
        due = self.search(
            [
                ("state", "in", ("in_queue", "sending")),
                "|",
                ("schedule_date", "<", fields.Datetime.now()),
                ("schedule_date", "=", False),
            ]
        )
        due._randevu_postpone_quiet_hours()
        return super()._process_mass_mailing_queue()

    # ------------------------------------------------------------------ frequency cap
    # What counts toward a customer's cap: the traces of every mailing that reached her
    # (email, SMS, WhatsApp; to her as a contact, or to a mailing list contact with her
    # exact email or phone number) and the core's rebooking reminders sent to her as the
    # client reconnect nudge (randevu.message.randevu_marketing_nudge). A list contact
    # whose address is no customer's is counted by its address.
    @api.model
    def _randevu_cap_reached_sql(self, target, since, exclude_mailing_id=0):
        """SQL: the rows (key, message) of the marketing messages that reached the people
        of `target` since `since`, `target` being a FROM item with the columns key,
        partner_id (the customer, or NULL for a list contact), email and phone (normalized
        email, sanitized phone). `exclude_mailing_id`: the mailing being sent."""
        trace_ok = SQL(
            """trace.mass_mailing_id != %(exclude)s AND trace.trace_status IN %(statuses)s
               AND COALESCE(trace.sent_datetime, trace.create_date) >= %(since)s""",
            exclude=exclude_mailing_id or 0,
            statuses=CAP_TRACE_STATUSES,
            since=since,
        )
        return SQL(
            """
            SELECT target.key, 'mailing-' || trace.mass_mailing_id AS message
              FROM %(target)s target
              JOIN mailing_trace trace ON trace.model = 'res.partner' AND trace.res_id = target.partner_id
             WHERE %(trace_ok)s
            UNION ALL
            SELECT target.key, 'mailing-' || trace.mass_mailing_id
              FROM %(target)s target
              JOIN res_partner customer
                ON target.partner_id IS NULL
               AND (customer.email_normalized = target.email OR customer.phone_sanitized = target.phone)
              JOIN mailing_trace trace ON trace.model = 'res.partner' AND trace.res_id = customer.id
             WHERE %(trace_ok)s
            UNION ALL
            SELECT target.key, 'mailing-' || trace.mass_mailing_id
              FROM %(target)s target
              JOIN mailing_contact contact
                ON contact.email_normalized = target.email OR contact.phone_sanitized = target.phone
              JOIN mailing_trace trace ON trace.model = 'mailing.contact' AND trace.res_id = contact.id
             WHERE %(trace_ok)s
            UNION ALL
            SELECT target.key, 'nudge-' || nudge.id
              FROM %(target)s target
              JOIN res_partner customer
                ON customer.id = target.partner_id
                OR (target.partner_id IS NULL
                    AND (customer.email_normalized = target.email OR customer.phone_sanitized = target.phone))
              JOIN randevu_message nudge ON nudge.partner_id = customer.id
             WHERE nudge.randevu_marketing_nudge AND nudge.state IN ('queued', 'sent')
               AND COALESCE(nudge.sent_date, nudge.create_date) >= %(since)s
            """,
            target=target,
            trace_ok=trace_ok,
            since=since,
        )

    def _randevu_capped_partner_ids(self, partner_ids):
        """The contacts among `partner_ids` who already received as many marketing messages
        as their branch allows in its window (see _randevu_cap_reached_sql: every other
        mailing's traces, email, SMS and WhatsApp, not cancelled, failed nor bounced, to
        them or to a list contact with their address, and the reconnect nudges). One
        query for the whole batch."""
        self.ensure_one()
        company = self._randevu_company()
        limit, days = company.randevu_marketing_cap_count, company.randevu_marketing_cap_days
        if not limit or not partner_ids or self.mailing_model_real != "res.partner":
            return set()
        self.env.flush_all()
        # The CTE rewrites the batch's rows of the cap's lock (randevu.marketing.cap.mark):
        # a mailing sending to the same customers at the same moment makes this statement
        # fail to serialize (retried by Odoo's request loop, or the queue's next run).
        target = SQL(
            """(SELECT p.id AS key, p.id AS partner_id, p.email_normalized AS email, p.phone_sanitized AS phone
                  FROM res_partner p WHERE p.id = ANY(%s))""",
            list(partner_ids),
        )
        return self._randevu_capped_keys(
            SQL(
                """INSERT INTO randevu_marketing_cap_mark (partner_id, marked_at)
                   SELECT partner_id, now() AT TIME ZONE 'UTC' FROM unnest(%s::integer[]) AS partner_id
                   ON CONFLICT (partner_id) DO UPDATE SET marked_at = EXCLUDED.marked_at""",
                sorted(partner_ids),
            ),
            target,
            limit,
            days,
        )

    def _randevu_capped_contact_ids(self, contact_ids):
        """The mailing list contacts among `contact_ids` (mailing.contact) who already
        received as many marketing messages as the mailing's branch allows in its window:
        a contact is the customers with its exact email or phone number (as the consent
        filter maps it), or, when it is nobody's, its address alone. One query."""
        self.ensure_one()
        company = self._randevu_company()
        limit, days = company.randevu_marketing_cap_count, company.randevu_marketing_cap_days
        if not limit or not contact_ids or self.mailing_model_real != "mailing.contact":
            return set()
        self.env.flush_all()
        # The customers behind the contacts are marked in the cap's lock table, as for a
        # mailing to contacts (a contact that is no customer's is not locked).
        mark = SQL(
            """INSERT INTO randevu_marketing_cap_mark (partner_id, marked_at)
               SELECT DISTINCT customer.id, now() AT TIME ZONE 'UTC'
                 FROM mailing_contact contact
                 JOIN res_partner customer
                   ON customer.email_normalized = contact.email_normalized
                   OR customer.phone_sanitized = contact.phone_sanitized
                WHERE contact.id = ANY(%s)
                ORDER BY customer.id
               ON CONFLICT (partner_id) DO UPDATE SET marked_at = EXCLUDED.marked_at""",
            list(contact_ids),
        )
        target = SQL(
            """(SELECT c.id AS key, NULL::integer AS partner_id, c.email_normalized AS email,
                       c.phone_sanitized AS phone
                  FROM mailing_contact c WHERE c.id = ANY(%s))""",
            list(contact_ids),
        )
        return self._randevu_capped_keys(mark, target, limit, days)

    def _randevu_capped_keys(self, mark, target, limit, days):
        self.env.cr.execute(
            SQL(
                """
                WITH marked AS (%(mark)s)
                SELECT reached.key
                  FROM (%(reached)s) reached
              GROUP BY reached.key
                HAVING COUNT(DISTINCT reached.message) >= %(limit)s
                """,
                mark=mark,
                reached=self._randevu_cap_reached_sql(
                    target, fields.Datetime.now() - timedelta(days=days), exclude_mailing_id=self.id
                ),
                limit=limit,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ demo data
    def _randevu_demo_results(self):
        """Demo data: the results of a campaign to a segment as if it had been sent a few
        days before its recipients' latest visits: a trace per customer of the segment
        (those without an email consent opted out, the others sent, most opened, some
        clicked) and the latest visits of two recipients in three attributed to the
        mailing's campaign, source and medium (the bookings it brought). Does nothing the
        second time. (Demo data: run when the module is installed, not on update.)"""
        Appointment = self.env["randevu.appointment"].sudo()
        now = fields.Datetime.now()
        for mailing in self.sudo():
            if mailing.mailing_trace_ids or not mailing.randevu_segment_id:
                continue
            partners = mailing.randevu_segment_id._randevu_partners().sorted("id")
            reachable = self.env["randevu.consent"]._randevu_reachable_partner_ids("email", partners.ids)
            recipients = partners.filtered(lambda partner, reachable=reachable: partner.id in reachable)
            # The visits it brought: the latest visit of two recipients in three.
            booked = Appointment
            for index, partner in enumerate(recipients):
                if index % 3 != 2:
                    booked |= Appointment.search(
                        [("partner_id", "=", partner.id), ("state", "=", "done")], order="start desc", limit=1
                    )
            sent = min(booked.mapped("start") or [now]) - timedelta(days=2)
            traces = []
            for index, partner in enumerate(partners):
                values = {
                    "mass_mailing_id": mailing.id,
                    "model": "res.partner",
                    "res_id": partner.id,
                    "email": partner.email,
                    "trace_type": "mail",
                }
                if partner not in recipients:
                    values.update(trace_status="cancel", failure_type="mail_optout")
                else:
                    clicked = partner in booked.partner_id or index % 4 == 0
                    opened = clicked or index % 3 != 1
                    values.update(
                        trace_status="open" if opened else "sent",
                        sent_datetime=sent,
                        open_datetime=opened and sent + timedelta(hours=2),
                        links_click_datetime=clicked and sent + timedelta(hours=2, minutes=1),
                    )
                traces.append(values)
            self.env["mailing.trace"].create(traces)
            booked.write(
                {
                    "campaign_id": mailing.campaign_id.id,
                    "source_id": mailing.source_id.id,
                    "medium_id": mailing.medium_id.id,
                }
            )
            mailing.write({"state": "done", "sent_date": sent, "kpi_mail_required": False})

    # ------------------------------------------------------------------ unsubscribe
    # A mailing to contacts: its unsubscribe links (in the body and the List-Unsubscribe
    # header, RFC 8058 one-click) withdraw the contact's marketing consent by email.
    def _get_unsubscribe_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)

    def _get_unsubscribe_oneclick_url(self, email_to, res_id):
        if self.mailing_model_real != "res.partner":
            return super()._get_unsubscribe_oneclick_url(email_to, res_id)
        return self.env["randevu.consent"]._randevu_unsubscribe_url(res_id, "email", email_to)
