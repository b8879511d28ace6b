from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .randevu_consent_event import CHANNELS

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]

# The fields a segment's customers depend on: the live count is recomputed when one changes.
CRITERIA = (
    "company_id",
    "tag_ids",
    "visits_min",
    "visits_max",
    "last_visit_after",
    "last_visit_before",
    "no_visit_weeks",
    "service_ids",
    "noshow_min",
    "visited_branch_ids",
    "birthday_month",
    "consent_channel",
)


class RandevuSegment(models.Model):
    """A saved, reusable group of customers defined by criteria a salon owner
    understands (tags, visits, last visit, services taken, no-shows, branch visited,
    birthday month, marketing consent). Its customers are ONE res.partner domain
    (`_randevu_domain`), made of subqueries: counting or listing them is one query
    whatever the number of customers. Campaigns take `_randevu_partners()` and still
    check consent when they send."""

    _name = "randevu.segment"
    _description = "Customer segment"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Branch",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        help="The branch the segment belongs to: its customers are this branch's and the shared ones.",
    )
    tag_ids = fields.Many2many(
        "res.partner.category",
        "randevu_segment_partner_category_rel",
        "segment_id",
        "category_id",
        string="Tags",
        help="Customers with at least one of these tags.",
    )
    visits_min = fields.Integer("At least (visits)", help="Completed appointments, at any branch. 0: no minimum.")
    visits_max = fields.Integer("At most (visits)", help="Completed appointments, at any branch. 0: no maximum.")
    last_visit_after = fields.Date("Last visit on or after")
    last_visit_before = fields.Date("Last visit before")
    no_visit_weeks = fields.Integer(
        "No visit for (weeks)",
        help="Customers who came before but have had no completed appointment for this many weeks. 0: not used.",
    )
    service_ids = fields.Many2many(
        "product.template",
        "randevu_segment_service_rel",
        "segment_id",
        "service_id",
        string="Services taken",
        domain=[("is_appointment_service", "=", True)],
        help="Customers who had at least one of these services (a completed appointment).",
    )
    noshow_min = fields.Integer("At least (no-shows)", help="Appointments missed without notice. 0: not used.")
    visited_branch_ids = fields.Many2many(
        "res.company",
        "randevu_segment_visited_branch_rel",
        "segment_id",
        "company_id",
        string="Visited branches",
        help="Customers with at least one completed appointment at one of these branches.",
    )
    birthday_month = fields.Selection(MONTHS, help="Customers whose birthday is in this month.")
    consent_channel = fields.Selection(
        CHANNELS,
        string="Consent for",
        help="Customers who gave their marketing consent on this channel, for their current address. "
        "Campaigns check it again when they send.",
    )
    partner_count = fields.Integer("Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "counts_not_negative",
            "CHECK(visits_min >= 0 AND visits_max >= 0 AND no_visit_weeks >= 0 AND noshow_min >= 0)",
            "Visits, weeks and no-shows cannot be negative.",
        ),
    ]

    @api.constrains("visits_min", "visits_max", "last_visit_after", "last_visit_before")
    def _check_ranges(self):
        for segment in self:
            if segment.visits_max and segment.visits_min > segment.visits_max:
                raise ValidationError(self.env._("The minimum number of visits is above the maximum."))
            if (
                segment.last_visit_after
                and segment.last_visit_before
                and segment.last_visit_after >= segment.last_visit_before
            ):
                raise ValidationError(self.env._("The last visit cannot be both after and before these dates."))

    @api.depends(*CRITERIA)
    def _compute_partner_count(self):
        Partner = self.env["res.partner"]
        for segment in self:
            segment.partner_count = Partner.search_count(segment._randevu_domain())

    # ------------------------------------------------------------------ the domain
    def _randevu_appointment_partners(self, domain, having=None):
        """SQL subquery: the customers of the appointments of `domain` (as the current
        user sees them), grouped by customer and kept when `having` holds."""
        query = self.env["randevu.appointment"]._search([("partner_id", "!=", False), *domain])
        partner_column = SQL.identifier(query.table, "partner_id")
        if having is not None:
            query.groupby = partner_column
            query.having = having
        return SQL("(%s)", query.select(partner_column))

    def _randevu_consent_partners(self, channel):
        """SQL subquery: the customers whose marketing consent for `channel` is granted
        for their current address (as `randevu.consent.applies`)."""
        Consent = self.env["randevu.consent"]
        Consent.flush_model(["address", "partner_id"])
        self.env["res.partner"].flush_model(["email_normalized", "phone_sanitized"])
        query = Consent._search([("channel", "=", channel), ("purpose", "=", "marketing"), ("state", "=", "granted")])
        partner = query.join(query.table, "partner_id", "res_partner", "id", "partner")
        column = "email_normalized" if channel == "email" else "phone_sanitized"
        query.add_where(SQL("%s = %s", SQL.identifier(query.table, "address"), SQL.identifier(partner, column)))
        return query.subselect(SQL.identifier(query.table, "partner_id"))

    def _randevu_segment_domain(self):
        """The list of res.partner domains whose intersection is the segment's
        customers. Extension point: an addon adds its criteria by extending the list
        (randevu_pos: spend, account credit, course balance)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        done = [("state", "=", "done")]
        domains = [
            Partner._randevu_client_domain(),
            ["|", ("company_id", "=", False), ("company_id", "=", self.company_id._origin.id)],
        ]
        if self.tag_ids:
            domains.append([("category_id", "in", self.tag_ids._origin.ids)])
        count = SQL("COUNT(*)")
        if self.visits_min:
            domains.append(
                [("id", "in", self._randevu_appointment_partners(done, SQL("%s >= %s", count, self.visits_min)))]
            )
        if self.visits_max:
            more = self._randevu_appointment_partners(done, SQL("%s > %s", count, self.visits_max))
            domains.append([("id", "not in", more)])
        before = []
        if self.last_visit_before:
            before.append(datetime.combine(self.last_visit_before, time.min))
        if self.no_visit_weeks:
            before.append(fields.Datetime.now() - timedelta(weeks=self.no_visit_weeks))
        if before:
            last = SQL("MAX(%s)", SQL.identifier("randevu_appointment", "start"))
            domains.append([("id", "in", self._randevu_appointment_partners(done, SQL("%s < %s", last, min(before))))])
        if self.last_visit_after:
            since = datetime.combine(self.last_visit_after, time.min)
            domains.append([("id", "in", self._randevu_appointment_partners([*done, ("start", ">=", since)]))])
        if self.service_ids:
            services = [*done, ("service_id", "in", self.service_ids._origin.ids)]
            domains.append([("id", "in", self._randevu_appointment_partners(services))])
        if self.noshow_min:
            noshows = SQL("%s >= %s", count, self.noshow_min)
            domains.append([("id", "in", self._randevu_appointment_partners([("state", "=", "no_show")], noshows))])
        if self.visited_branch_ids:
            visited = [*done, ("company_id", "in", self.visited_branch_ids._origin.ids)]
            domains.append([("id", "in", self._randevu_appointment_partners(visited))])
        if self.birthday_month:
            domains.append([("randevu_birthday.month_number", "=", int(self.birthday_month))])
        if self.consent_channel:
            domains.append([("id", "in", self._randevu_consent_partners(self.consent_channel))])
        return domains

    def _randevu_domain(self):
        """The segment's customers as ONE res.partner domain (subqueries, no list of ids)."""
        self.ensure_one()
        return expression.AND(self._randevu_segment_domain())

    def _randevu_partners(self):
        """The segment's customers today (for campaigns: consent is checked again when
        sending)."""
        self.ensure_one()
        return self.env["res.partner"].search(self._randevu_domain())

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("randevu_calendar.res_partner_view_list_randevu_client").id, "list"),
                (self.env.ref("randevu_calendar.res_partner_view_form_randevu_client").id, "form"),
            ],
            "search_view_id": [self.env.ref("randevu_calendar.res_partner_view_search_randevu_client").id],
            "domain": [("randevu_segment_ids", "=", self.id)],
            "context": {"create": False},
        }

    def action_new_campaign(self):
        """A new mailing (email; SMS from the same form) to this segment's customers."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Campaign"),
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_randevu_segment_id": self.id,
                "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_subject": self.name,
            },
        }
