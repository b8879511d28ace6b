from odoo import fields, models

from ..tools.rating_stats import randevu_rating_stats


class HrEmployee(models.Model):
    """Staff: working hours are the employee's `resource_calendar_id` (breaks are
    gaps between attendances), leave is `resource.calendar.leaves` on the
    employee's resource, blocked personal time is a leave or a customer-less
    appointment."""

    _inherit = "hr.employee"

    randevu_service_line_ids = fields.One2many("randevu.service.staff", "employee_id", string="Services")
    randevu_color = fields.Integer(string="Calendar Colour")
    randevu_commission_rate = fields.Float(string="Commission Rate (%)", help="Used by Randevu POS.")
    randevu_bookable = fields.Boolean(
        string="Takes Appointments", default=True, help="Shown in the calendar and offered by the availability engine."
    )

    randevu_rating_avg = fields.Float(
        string="Average Rating",
        compute="_compute_randevu_rating",
        digits=(3, 2),
        help="Out of 5, from customers' reviews.",
    )
    randevu_rating_count = fields.Integer(string="Reviews", compute="_compute_randevu_rating")

    _sql_constraints = [
        (
            "randevu_commission_range",
            "CHECK(randevu_commission_rate >= 0 AND randevu_commission_rate <= 100)",
            "A commission rate lies between 0 and 100%.",
        ),
    ]

    def _compute_randevu_rating(self):
        stats = randevu_rating_stats(self.env, "employee_id", self.ids)
        for employee in self:
            employee.randevu_rating_avg, employee.randevu_rating_count = stats.get(employee.id, (0.0, 0))
