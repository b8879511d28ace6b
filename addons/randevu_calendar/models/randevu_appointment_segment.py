from odoo import fields, models


class RandevuAppointmentSegment(models.Model):
    """The time an appointment holds a staff member or a resource.

    Derived from the appointment (buffers included; a processing gap splits the
    staff member's time in two while the resource stays held) and rewritten by
    it on every change. Only appointments that hold time (not cancelled, not
    no-show) have segments. The EXCLUDE constraints make PostgreSQL refuse two
    overlapping segments of one staff member or one resource, whatever the
    isolation level or the number of concurrent requests: a Python check cannot
    see rows that other transactions have not committed yet.
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
