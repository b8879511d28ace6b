import logging

from odoo import api, fields, models

OVERLAP_CONSTRAINTS = (
    "randevu_appointment_segment_staff_no_overlap",
    "randevu_appointment_segment_resource_no_overlap",
)


class ExpectedOverlapFilter(logging.Filter):
    """Drop odoo.sql_db's "bad query" error for our EXCLUDE constraints.

    A booking that loses a race for a slot is an expected outcome, answered with a
    clear message (randevu.appointment._sync_segments), not a server error. A filter
    rather than odoo.tools.mute_logger: that one swaps the logger's handlers for the
    whole process, which threads interleaving in a server can leave muted for good.
    """

    def filter(self, record):
        if record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        return not any(name in message for name in OVERLAP_CONSTRAINTS)


logging.getLogger("odoo.sql_db").addFilter(ExpectedOverlapFilter())


class RandevuAppointmentSegment(models.Model):
    """The time an appointment holds a staff member or a resource.

    Derived from the appointment (buffers included; a processing gap splits the
    staff member's time in two while the resource stays held) and rewritten by
    it on every change. Only appointments that hold time (not cancelled, not
    no-show) have segments. The EXCLUDE constraints make PostgreSQL refuse two
    overlapping segments of one staff member or one resource, whatever the
    isolation level or the number of concurrent requests: a Python check cannot
    see rows that other transactions have not committed yet.

    The busy time tells no customer nor service: its name is "Busy" for everyone, and a
    staff member reads only the segments of their own appointments (record rules);
    the engine and the Day planner show the others' as anonymous busy time.
    """

    _name = "randevu.appointment.segment"
    _description = "Appointment Busy Time"
    _order = "start"
    _log_access = False

    appointment_id = fields.Many2one("randevu.appointment", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", ondelete="cascade", index=True)
    resource_id = fields.Many2one("resource.resource", ondelete="cascade", index=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)

    _sql_constraints = [
        ("stop_after_start", "CHECK(stop > start)", "A busy time must end after it starts."),
        (
            "one_holder",
            "CHECK((employee_id IS NULL) <> (resource_id IS NULL))",
            "A busy time holds either a staff member or a resource.",
        ),
        # int4range(x, x, '[]') WITH = is hr_work_entry's way to compare integers
        # in a GiST index without the btree_gist extension.
        (
            "staff_no_overlap",
            "EXCLUDE USING GIST (int4range(employee_id, employee_id, '[]') WITH =, tsrange(start, stop, '[)') WITH &&)"
            " WHERE (employee_id IS NOT NULL)",
            "This staff member already has an appointment at that time.",
        ),
        (
            "resource_no_overlap",
            "EXCLUDE USING GIST (int4range(resource_id, resource_id, '[]') WITH =, tsrange(start, stop, '[)') WITH &&)"
            " WHERE (resource_id IS NOT NULL)",
            "This resource is already taken at that time.",
        ),
    ]

    @api.depends_context("lang")
    def _compute_display_name(self):
        # Not the appointment's name ("Blow-dry - Burak Çelik"): busy time names no one.
        self.display_name = self.env._("Busy")
