from odoo import fields, models


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

    _sql_constraints = [
        (
            "randevu_commission_range",
            "CHECK(randevu_commission_rate >= 0 AND randevu_commission_rate <= 100)",
            "A commission rate lies between 0 and 100%.",
        ),
    ]
