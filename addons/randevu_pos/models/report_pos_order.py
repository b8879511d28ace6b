from odoo import fields, models

# Orders that count as revenue: paid at the till (posted with the session, or invoiced).
PAID_ORDER_STATES = ("paid", "done", "invoiced")


class ReportPosOrder(models.Model):
    """Odoo's POS analysis, one row per order line, with who performed the line (not
    the cashier) and whether it checked an appointment out or sold a service."""

    _inherit = "report.pos.order"

    randevu_employee_id = fields.Many2one("hr.employee", string="Performed By", readonly=True)
    randevu_is_appointment = fields.Boolean(string="From an Appointment", readonly=True)
    randevu_is_service = fields.Boolean(string="Appointment Service", readonly=True)

    def _select(self):
        return (
            super()._select()
            + """,
                l.randevu_employee_id AS randevu_employee_id,
                l.randevu_appointment_id IS NOT NULL AS randevu_is_appointment,
                COALESCE(pt.is_appointment_service, FALSE) AS randevu_is_service
            """
        )
