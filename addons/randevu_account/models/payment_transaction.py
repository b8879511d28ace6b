from odoo import SUPERUSER_ID, fields, models


class PaymentTransaction(models.Model):
    """Deposits of appointments booked online: the transaction pays the appointments
    it is linked to, as sale orders' and invoices' transactions do."""

    _inherit = "payment.transaction"

    randevu_appointment_ids = fields.Many2many(
        "randevu.appointment",
        "randevu_appointment_transaction_rel",
        "transaction_id",
        "appointment_id",
        string="Appointments",
        readonly=True,
        copy=False,
    )

    def _post_process(self):
        """Once a transaction is done, its appointments record the deposit and, when
        they were held for it, are confirmed (and the customer told)."""
        result = super()._post_process()
        for transaction in self.filtered(lambda tx: tx.state == "done" and tx.operation != "validation"):
            transaction.randevu_appointment_ids._randevu_record_deposit(transaction)
        return result

    def _log_message_on_linked_documents(self, message):
        """Payment messages (sent, received, cancelled) in the appointments' chatter too."""
        result = super()._log_message_on_linked_documents(message)
        author = self.env.user.partner_id if self.env.uid == SUPERUSER_ID else self.partner_id
        for transaction in self:
            for appointment in transaction.randevu_appointment_ids:
                appointment.message_post(body=message, author_id=author.id)
        return result
