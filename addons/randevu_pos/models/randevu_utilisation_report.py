from odoo import fields, models


class RandevuUtilisationReport(models.TransientModel):
    """One staff member's day at one branch: the hours the availability engine gives
    them (working hours minus breaks, leave and closures), the hours booked within
    them, and the no-shows of that day. Built for a period and branches by the
    report wizard (`randevu.report.wizard`): available hours come from the schedules,
    computed in Python day by day in the branch's timezone, so they cannot be a SQL
    view; transient, they are recomputed each time and vacuumed by Odoo."""

    _name = "randevu.utilisation.report"
    _description = "Staff Utilisation"
    _order = "date, company_id, employee_id"
    _rec_name = "employee_id"

    wizard_id = fields.Many2one("randevu.report.wizard", string="Report", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Branch", required=True, readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Staff", required=True, readonly=True)
    date = fields.Date(string="Day", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    available_hours = fields.Float(readonly=True, digits=(16, 2))
    booked_hours = fields.Float(readonly=True, digits=(16, 2))
    free_hours = fields.Float(readonly=True, digits=(16, 2))
    no_show_count = fields.Integer(string="No-shows", readonly=True)
    no_show_cost = fields.Monetary(string="No-show Cost", readonly=True, currency_field="currency_id")
