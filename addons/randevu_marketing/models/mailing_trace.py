from odoo import fields, models
from odoo.tools import sql


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    failure_type = fields.Selection(
        selection_add=[
            ("mail_frequency_cap", "Frequency Cap Reached"),
            ("sms_frequency_cap", "Frequency Cap Reached (SMS)"),
        ]
    )

    def init(self):
        result = super().init()
        # A mailing's sending looks traces up by customer (frequency cap, SMS duplicates)
        # and by address (email duplicates), batch after batch: without these indexes each
        # batch scanned every trace ever written (it grew with the campaigns sent).
        sql.create_index(self.env.cr, "mailing_trace_randevu_res_id_index", self._table, ["res_id", "model"])
        sql.create_index(
            self.env.cr, "mailing_trace_randevu_mailing_email_index", self._table, ["mass_mailing_id", "email"]
        )
        return result
