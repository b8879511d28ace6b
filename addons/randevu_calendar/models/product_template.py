from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.held_time import NO_MARGINS, HeldMargins, held_intervals
from ..tools.rating_stats import randevu_rating_stats


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
    is_randevu_package = fields.Boolean(
        string="Appointment Package",
        help="Bundles several appointment services, booked one right after the other, possibly with different staff.",
    )
    randevu_package_line_ids = fields.One2many(
        "randevu.package.line", "package_tmpl_id", string="Package Services", copy=True
    )
    randevu_reminder_rule_ids = fields.One2many(
        "randevu.reminder.rule",
        "service_id",
        string="Reminder Rules",
        help="Rules of this service, per branch; they replace the branch's general rules.",
    )
    randevu_rating_avg = fields.Float(
        string="Average Rating",
        compute="_compute_randevu_rating",
        digits=(3, 2),
        help="Out of 5, from customers' reviews.",
    )
    randevu_rating_count = fields.Integer(string="Reviews", compute="_compute_randevu_rating")

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
        (
            "randevu_package_not_service",
            "CHECK(NOT (COALESCE(is_randevu_package, FALSE) AND COALESCE(is_appointment_service, FALSE)))",
            "A package cannot itself be an appointment service.",
        ),
    ]

    def _compute_randevu_rating(self):
        stats = randevu_rating_stats(self.env, "service_id", self.ids)
        for tmpl in self:
            tmpl.randevu_rating_avg, tmpl.randevu_rating_count = stats.get(tmpl.id, (0.0, 0))

    @api.constrains("is_appointment_service", "randevu_duration")
    def _check_randevu_duration(self):
        invalid = self.filtered(lambda tmpl: tmpl.is_appointment_service and tmpl.randevu_duration <= 0)
        if invalid:
            raise ValidationError(
                self.env._("These appointment services need a duration: %s", ", ".join(invalid.mapped("name")))
            )

    @api.constrains(
        "is_randevu_package", "is_appointment_service", "type", "randevu_capacity", "randevu_package_line_ids"
    )
    def _check_randevu_package(self):
        """A package is a service product, not an appointment service, and lists only
        appointment services; a service listed in a package stays an appointment service."""
        problems = []
        for tmpl in self.filtered("is_randevu_package"):
            if tmpl.is_appointment_service:
                problems.append(self.env._("%s is a package: it cannot itself be an appointment service.", tmpl.name))
            if tmpl.type != "service":
                problems.append(self.env._("%s is a package: it must be a service product.", tmpl.name))
            wrong = tmpl.randevu_package_line_ids.service_tmpl_id.filtered(
                lambda srv: not srv.is_appointment_service or srv.randevu_capacity > 1
            )
            if wrong:
                problems.append(
                    self.env._(
                        "%(package)s can only list individual appointment services, not %(services)s.",
                        package=tmpl.name,
                        services=", ".join(wrong.mapped("name")),
                    )
                )
        not_services = self.filtered(lambda tmpl: not tmpl.is_appointment_service or tmpl.randevu_capacity > 1)
        if not_services:
            used = self.env["randevu.package.line"].search([("service_tmpl_id", "in", not_services.ids)])
            for service, lines in used.grouped("service_tmpl_id").items():
                problems.append(
                    self.env._(
                        "%(service)s is part of %(packages)s: it must stay an individual appointment service.",
                        service=service.name,
                        packages=", ".join(lines.package_tmpl_id.mapped("name")),
                    )
                )
        if problems:
            raise ValidationError("\n".join(problems))

    @api.onchange("is_appointment_service")
    def _onchange_is_appointment_service(self):
        if self.is_appointment_service:
            self.type = "service"

    @api.onchange("is_randevu_package")
    def _onchange_is_randevu_package(self):
        if self.is_randevu_package:
            self.type = "service"
            self.is_appointment_service = False

    def _randevu_held_margins(self):
        """This service's buffers and processing gap as timedeltas (tools.held_time.HeldMargins);
        none for an empty recordset (an appointment without a service)."""
        if not self:
            return NO_MARGINS
        self.ensure_one()
        return HeldMargins(
            timedelta(hours=self.randevu_buffer_before),
            timedelta(hours=self.randevu_buffer_after),
            timedelta(hours=self.randevu_processing_start),
            timedelta(hours=self.randevu_processing_duration),
        )

    def _randevu_held_intervals(self, start, stop):
        """(staff parts, resource interval) a booking of this service from `start` to `stop`
        holds (see tools.held_time.held_intervals)."""
        return held_intervals(start, stop, self._randevu_held_margins())

    def _randevu_staff_line(self, employee):
        """The eligibility line of `employee` for this service (empty if not eligible)."""
        self.ensure_one()
        return self.randevu_staff_line_ids.filtered(lambda line: line.employee_id == employee)[:1]

    def _randevu_duration_price(self, employee):
        """(duration in hours, price) of this service with `employee`: their own when
        their eligibility line sets one, else the service's. What an appointment with
        them takes and costs (randevu.appointment computes both from it)."""
        self.ensure_one()
        line = self._randevu_staff_line(employee)
        if not line:
            return self.randevu_duration, self.list_price
        return line._effective_duration(), line._effective_price()

    def _randevu_package_lines(self):
        """The steps of this package, in booking order."""
        self.ensure_one()
        return self.randevu_package_line_ids.sorted(lambda line: (line.sequence, line.id))
