from odoo import models


class RandevuSegment(models.Model):
    _inherit = "randevu.segment"

    def action_new_whatsapp_campaign(self):
        """A new WhatsApp campaign (an approved marketing template) to this segment."""
        action = self.action_new_campaign()
        action["name"] = self.env._("New WhatsApp Campaign")
        action["context"] = dict(action["context"], default_mailing_type="whatsapp")
        return action
