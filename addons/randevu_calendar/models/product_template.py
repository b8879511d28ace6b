from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    """A bookable service: a service product with the rules the calendar needs.

    Durations are in hours (Odoo's float_time widget shows them as HH:MM).
    A processing gap (colour developing) frees the staff member but keeps the
    chair: work from start to `processing_start`, then `processing_duration`
    hours of processing, then the rest of `duration`.
    """

    _inherit = "product.template"

    is_appointment_service = fields.Boolean(
        string="Appointment Service", help="Bookable in the Randevu calendar and online."
    )
    randevu_duration = fields.Float(string="Duration", default=1.0)
    randevu_buffer_before = fields.Float(
        string="Buffer Before", help="Preparation time before the start; the staff member and resources are busy."
    )
    randevu_buffer_after = fields.Float(
        string="Buffer After", help="Cleaning or notes time after the end; the staff member and resources are busy."
    )
    randevu_processing_start = fields.Float(
        string="Processing Starts After", help="Hours of work before the processing gap begins."
    )
    randevu_processing_duration = fields.Float(
        string="Processing Time",
        help="Gap in the middle of the service during which the staff member is free for other bookings "
        "while the resources stay taken.",
    )
    randevu_capacity = fields.Integer(
        string="Capacity", default=1, help="1 for an individual service, more for a group class."
    )
    randevu_resource_ids = fields.Many2many(
        "resource.resource",
        "randevu_service_resource_rel",
        "product_tmpl_id",
        "resource_id",
        string="Resources",
        domain=[("resource_type", "=", "material")],
        help="Rooms, chairs or equipment: each booking takes one free resource of this list.",
    )
    randevu_staff_line_ids = fields.One2many(
        "randevu.service.staff", "product_tmpl_id", string="Eligible Staff", copy=True
    )
    randevu_online = fields.Boolean(string="Bookable Online", default=True)
    randevu_deposit_type = fields.Selection(
        [("none", "No deposit"), ("fixed", "Fixed amount"), ("percent", "Percentage of the price")],
        string="Deposit",
        default="none",
        required=True,
    )
    randevu_deposit_value = fields.Float(string="Deposit Amount or %")
    randevu_rebook_days = fields.Integer(
        string="Rebooking Interval (days)", help="Remind the customer to book again after this many days."
    )
    randevu_color = fields.Integer(string="Calendar Colour")

    _sql_constraints = [
        ("randevu_duration_positive", "CHECK(randevu_duration >= 0)", "A service's duration cannot be negative."),
        (
            "randevu_buffers_positive",
            "CHECK(randevu_buffer_before >= 0 AND randevu_buffer_after >= 0)",
            "Buffers cannot be negative.",
        ),
        ("randevu_capacity_positive", "CHECK(randevu_capacity >= 1)", "The capacity must be at least 1."),
        (
            "randevu_processing_inside",
            "CHECK(randevu_processing_start >= 0 AND randevu_processing_duration >= 0 "
            "AND randevu_processing_start + randevu_processing_duration <= randevu_duration)",
            "The processing gap must lie inside the service's duration.",
        ),
        ("randevu_deposit_positive", "CHECK(randevu_deposit_value >= 0)", "A deposit cannot be negative."),
    ]

    @api.constrains("is_appointment_service", "randevu_duration")
    def _check_randevu_duration(self):
        invalid = self.filtered(lambda tmpl: tmpl.is_appointment_service and tmpl.randevu_duration <= 0)
        if invalid:
            raise ValidationError(
                self.env._("These appointment services need a duration: %s", ", ".join(invalid.mapped("name")))
            )

    @api.onchange("is_appointment_service")
    def _onchange_is_appointment_service(self):
        if self.is_appointment_service:
            self.type = "service"

    def _randevu_staff_line(self, employee):
        """The eligibility line of `employee` for this service (empty if not eligible)."""
        self.ensure_one()
        return self.randevu_staff_line_ids.filtered(lambda line: line.employee_id == employee)[:1]
