from odoo import fields, models


class AccountAccount(models.Model):
    _inherit = "account.account"

    randevu_course_deferred = fields.Boolean(
        string="Deferred Revenue of Courses",
        readonly=True,
        copy=False,
        help="The liability holding what customers paid for course sessions not performed yet.",
    )
