from odoo import api, fields, models


class RandevuAppointment(models.Model):
    _inherit = "randevu.appointment"

    # The photos and PDFs the customer sent on WhatsApp or Instagram before this visit (the
    # inbox worker links them to the customer's next appointment). The files belong to the
    # conversation's messages, so who may read them follows the conversation.
    randevu_inbox_attachment_ids = fields.Many2many(
        "ir.attachment",
        "randevu_appointment_inbox_attachment_rel",
        "appointment_id",
        "attachment_id",
        string="Customer's Files",
        groups="randevu_calendar.group_randevu_staff",
        readonly=True,
        copy=False,
    )
    randevu_inbox_attachment_count = fields.Integer(
        compute="_compute_randevu_inbox_attachment_count",
        string="Customer's Files Count",
        groups="randevu_calendar.group_randevu_staff",
    )

    @api.depends("randevu_inbox_attachment_ids")
    def _compute_randevu_inbox_attachment_count(self):
        for appointment in self:
            appointment.randevu_inbox_attachment_count = len(appointment.randevu_inbox_attachment_ids)

    def action_view_randevu_inbox_attachments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer's Files"),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", self.randevu_inbox_attachment_ids.ids)],
            "context": {"create": False},
        }

    def action_randevu_send_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Document"),
            "res_model": "randevu.send.document",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appointment_id": self.id},
        }
