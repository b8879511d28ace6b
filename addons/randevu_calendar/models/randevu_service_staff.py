from odoo import api, fields, models


class RandevuServiceStaff(models.Model):
    """Who performs a service, with an optional duration and price of their own."""

    _name = "randevu.service.staff"
    _description = "Service Staff"
    _order = "sequence, id"

    sequence = fields.Integer(default=10, help="Order of preference when the customer picks 'anyone'.")
    product_tmpl_id = fields.Many2one("product.template", string="Service", required=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="employee_id.company_id", store=True)
    duration = fields.Float(help="Leave empty to use the service's duration.")
    price = fields.Float(digits="Product Price", help="Leave empty to use the service's price.")

    _sql_constraints = [
        (
            "service_employee_unique",
            "UNIQUE(product_tmpl_id, employee_id)",
            "A staff member is listed once per service.",
        ),
        ("duration_positive", "CHECK(duration >= 0)", "A duration cannot be negative."),
        ("price_positive", "CHECK(price >= 0)", "A price cannot be negative."),
    ]

    @api.depends("product_tmpl_id", "employee_id")
    def _compute_display_name(self):
        # Superuser: names the booking pages show, while staff, portal and public users may
        # read neither hr.employee nor every product.
        for line, line_sudo in zip(self, self.sudo(), strict=True):
            line.display_name = f"{line_sudo.product_tmpl_id.name} / {line_sudo.employee_id.name}"

    def _effective_duration(self):
        self.ensure_one()
        return self.duration or self.product_tmpl_id.randevu_duration

    def _effective_price(self):
        self.ensure_one()
        return self.price or self.product_tmpl_id.list_price
