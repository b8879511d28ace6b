from odoo import fields, models


class HrEmployeePublic(models.Model):
    """The public profile every internal user reads an employee through (hr's fetch()
    for users without HR rights): the bio the website shows anyway. Without it, reading
    any employee as a POS cashier prefetched the bio and failed."""

    _inherit = "hr.employee.public"

    randevu_bio = fields.Text(string="Short Bio", translate=True, readonly=True)
