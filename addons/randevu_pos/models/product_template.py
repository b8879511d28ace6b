from odoo import api, fields, models
from odoo.exceptions import ValidationError

COURSE_FIELDS = {"randevu_course_service_id", "randevu_course_sessions"}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    randevu_course_service_id = fields.Many2one(
        "product.template",
        string="Course of",
        domain=[("is_appointment_service", "=", True), ("randevu_capacity", "=", 1)],
        index="btree_not_null",
        help="Selling this product gives the customer a course of sessions of this service: each booking of "
        "it uses one. The sale is deferred revenue until the sessions are performed.",
    )
    randevu_course_sessions = fields.Integer(string="Sessions", default=1)
    randevu_course_validity_months = fields.Integer(
        string="Valid For (Months)", default=12, help="The course expires this many months after it is sold."
    )

    _sql_constraints = [
        (
            "randevu_course_sessions_positive",
            "CHECK(randevu_course_service_id IS NULL OR (randevu_course_sessions > 0 "
            "AND randevu_course_validity_months > 0))",
            "A course needs at least one session and a validity of at least one month.",
        ),
    ]

    @api.constrains("randevu_course_service_id", "is_appointment_service")
    def _check_randevu_course_service(self):
        invalid = self.filtered(lambda tmpl: tmpl.randevu_course_service_id and tmpl.is_appointment_service)
        if invalid:
            raise ValidationError(
                self.env._(
                    "A course is sold, not booked: %(products)s cannot be an appointment service too.",
                    products=", ".join(invalid.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates.filtered("randevu_course_service_id")._randevu_setup_course_accounts()
        return templates

    def write(self, vals):
        result = super().write(vals)
        if "randevu_course_service_id" in vals:
            self.filtered("randevu_course_service_id")._randevu_setup_course_accounts()
        return result

    def _randevu_setup_course_accounts(self):
        """A course sold is owed to the customer until its sessions are performed: the
        course products' income account is the chart's "Deferred revenue (courses)"
        liability, in every company of their chart (every company for a product shared
        by all), so that the till's closing credits the liability, not revenue."""
        for template in self:
            # sudo: product accounts and the chart are the accountant's; a manager
            # configuring a course sets this one mapping, for every branch.
            companies_sudo = self.env["res.company"].sudo()
            if template.company_id:
                companies_sudo = companies_sudo.search([("id", "child_of", template.company_id.root_id.ids)])
            else:
                companies_sudo = companies_sudo.search([])
            for company in companies_sudo:
                account = company._randevu_course_account()
                if account:
                    template.sudo().with_company(company).property_account_income_id = account
