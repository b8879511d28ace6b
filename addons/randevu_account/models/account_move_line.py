from odoo import fields, models


class AccountMoveLine(models.Model):
    """A customer invoice's line of an appointment (Create Invoice on the appointment)."""

    _inherit = "account.move.line"

    randevu_appointment_id = fields.Many2one(
        "randevu.appointment",
        string="Appointment",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
