from odoo import fields, models


class HrEmployee(models.Model):
    """What the website shows of a staff member: a short bio next to their photo and rating."""

    _inherit = "hr.employee"

    randevu_bio = fields.Text(
        string="Short Bio",
        translate=True,
        help="One or two sentences shown to customers on the website (booking and team).",
    )
