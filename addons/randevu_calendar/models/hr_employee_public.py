from odoo import fields, models


class HrEmployeePublic(models.Model):
    """The public profile every internal user reads an employee through (hr's fetch()
    for users without HR rights): Randevu's public fields of a staff member."""

    _inherit = "hr.employee.public"

    randevu_color = fields.Integer(string="Calendar Colour", readonly=True)
    randevu_bookable = fields.Boolean(string="Takes Appointments", readonly=True)
