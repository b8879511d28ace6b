from odoo import models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    def _randevu_lock(self):
        """Lock the cards' rows until the transaction ends (two tills spending one eWallet
        at once run one after the other: the second waits, then its snapshot is refused and
        the request is retried on the new balance) and read their points afresh."""
        if self:
            self.env.cr.execute("SELECT id FROM loyalty_card WHERE id IN %s FOR UPDATE", [tuple(self.ids)])
            self.invalidate_recordset(["points"])
