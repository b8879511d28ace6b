from odoo import models


class MailingMailing(models.Model):
    """A campaign (utm.campaign) whose mailing is sent moves on from its first stage
    ("New") to the stage meaning sent (utm.campaign's _randevu_sent_stage)."""

    # Same model as mailing_mailing.py, another concern (the campaign's stage).
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done":
            # Superuser: the stage follows the mailing whoever sends it (a user, the queue's
            # cron); the campaign's other fields are untouched.
            self.sudo().campaign_id._randevu_mark_sent()
        return result
