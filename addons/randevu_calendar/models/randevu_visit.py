from odoo import api, fields, models


class RandevuVisit(models.Model):
    """One customer's consecutive appointments at a branch (a package, or a cut booked
    right after a colour): one arrival, one bill.

    Appointments join a visit when they are created (see randevu.appointment.create):
    an appointment of a customer that starts when another of their active appointments
    at the same branch ends (or ends when it starts) shares its visit. Moving one
    regroups it (randevu.appointment._regroup_visits).
    """

    _name = "randevu.visit"
    _description = "Visit"
    _order = "start desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, default=lambda self: self.env.company, index=True
    )
    appointment_ids = fields.One2many("randevu.appointment", "visit_id", string="Appointments")
    appointment_count = fields.Integer(compute="_compute_appointment_count")
    start = fields.Datetime(compute="_compute_times", store=True, index=True)
    stop = fields.Datetime(compute="_compute_times", store=True)
    amount = fields.Monetary(
        compute="_compute_amount", store=True, help="Prices of its appointments, cancelled ones excepted."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("no_show", "No-show"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )

    @api.depends("partner_id.name", "start", "company_id")
    def _compute_display_name(self):
        for visit in self:
            if not visit.start:
                visit.display_name = visit.partner_id.name or ""
                continue
            local_start = visit.company_id._randevu_to_local(visit.start)
            visit.display_name = f"{visit.partner_id.name} ({local_start:%a %d %b %H:%M})"

    @api.depends("appointment_ids")
    def _compute_appointment_count(self):
        counts = {
            visit.id: count
            for visit, count in self.env["randevu.appointment"]._read_group(
                [("visit_id", "in", self.ids)], ["visit_id"], ["__count"]
            )
        }
        for visit in self:
            visit.appointment_count = counts.get(visit.id, 0)

    @api.depends("appointment_ids.start", "appointment_ids.stop")
    def _compute_times(self):
        for visit in self:
            appointments = visit.appointment_ids
            visit.start = min(appointments.mapped("start"), default=False)
            visit.stop = max(appointments.mapped("stop"), default=False)

    @api.depends("appointment_ids.price", "appointment_ids.state")
    def _compute_amount(self):
        for visit in self:
            visit.amount = sum(visit.appointment_ids.filtered(lambda appt: appt.state != "cancelled").mapped("price"))

    @api.depends("appointment_ids.state")
    def _compute_state(self):
        """Cancelled when every appointment is; otherwise from the others: no-show when
        all are no-shows, done when all are done (or no-shows), in progress once the
        customer has arrived or one is done, booked before."""
        for visit in self:
            states = set(visit.appointment_ids.mapped("state")) - {"cancelled"}
            if not states:
                visit.state = "cancelled"
            elif states == {"no_show"}:
                visit.state = "no_show"
            elif states <= {"done", "no_show"}:
                visit.state = "done"
            elif states & {"arrived", "in_progress", "done"}:
                visit.state = "in_progress"
            else:
                visit.state = "booked"

    def action_open_appointments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appointments"),
            "res_model": "randevu.appointment",
            "view_mode": "list,form",
            "domain": [("visit_id", "=", self.id)],
            "context": {"create": False},
        }
