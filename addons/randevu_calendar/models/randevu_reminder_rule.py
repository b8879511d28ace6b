from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The rules every branch starts with (see res.company.create and data/randevu_reminder_rule_data.xml):
# an email the day before, an SMS two hours before.
DEFAULT_RULES = (
    {"offset_hours": 24.0, "channel": "email"},
    {"offset_hours": 2.0, "channel": "sms"},
)


class RandevuReminderRule(models.Model):
    """When and how customers are reminded of an appointment: `offset_hours` before its
    start, on `channel`, with the channel's template (the default reminder template
    when empty).

    Rules belong to a branch. Rules that name a service replace the branch's general
    rules for that service (a service with rules of its own gets only those).
    The reminder cron (randevu.message._cron_send_reminders) sends each rule at most
    once per appointment and start time.
    """

    _name = "randevu.reminder.rule"
    _description = "Reminder Rule"
    _order = "company_id, service_id, offset_hours desc, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Branch",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        ondelete="cascade",
    )
    service_id = fields.Many2one(
        "product.template",
        domain=[("is_appointment_service", "=", True)],
        check_company=True,
        index="btree_not_null",
        ondelete="cascade",
        help="Only for this service; its rules replace the branch's general rules.",
    )
    offset_hours = fields.Float(
        string="Before the Start (hours)", required=True, default=24.0, help="How long before the start it is sent."
    )
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], required=True, default="email")
    email_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "randevu.appointment")],
        help="Empty: the default reminder email.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "randevu.appointment")],
        help="Empty: the default reminder SMS.",
    )

    _sql_constraints = [
        ("offset_positive", "CHECK(offset_hours > 0)", "A reminder goes out before the start: its offset is positive."),
    ]

    @api.depends("offset_hours", "channel", "service_id.name")
    def _compute_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for rule in self:
            hours = rule.offset_hours
            when = f"{hours:g} h" if hours < 48 or hours % 24 else f"{hours / 24:g} d"
            rule.name = " · ".join(part for part in (when, channels.get(rule.channel), rule.service_id.name) if part)

    @api.constrains("channel", "email_template_id", "sms_template_id")
    def _check_template_model(self):
        wrong = self.filtered(
            lambda rule: any(
                template and template.model != "randevu.appointment"
                for template in (rule.email_template_id, rule.sms_template_id)
            )
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "These reminder rules use a template of another document type: %s",
                    ", ".join(wrong.mapped("name")),
                )
            )

    def _randevu_template(self):
        """The template of this rule's channel (`<channel>_template_id`), falling back on
        the default reminder template of that channel."""
        self.ensure_one()
        field = f"{self.channel}_template_id"
        template = self[field] if field in self._fields else False
        return template or self.env["randevu.message"]._randevu_default_template("reminder", self.channel)

    @api.model
    def _randevu_create_defaults(self, branches=None):
        """Give every branch of `branches` (default: all companies) without any reminder
        rule the default ones. Called at install and for every new branch."""
        branches = branches if branches is not None else self.env["res.company"].search([])
        covered = set(self.with_context(active_test=False).search([("company_id", "in", branches.ids)]).company_id.ids)
        return self.sudo().create(
            [
                dict(values, company_id=branch.id)
                for branch in branches
                if branch.id not in covered
                for values in DEFAULT_RULES
            ]
        )
