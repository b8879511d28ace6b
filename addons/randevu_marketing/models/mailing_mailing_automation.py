from odoo import fields, models


class MailingMailing(models.Model):
    """The mailing of a marketing automation (randevu.marketing.automation): sent again
    and again to the clients each run picks, under the automation's branch's frequency
    cap and quiet hours."""

    # Same model as mailing_mailing.py, another concern (automations, issue 16).
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    randevu_automation_id = fields.Many2one(
        "randevu.marketing.automation",
        string="Automation",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
        groups="randevu_calendar.group_randevu_user",
    )

    def _randevu_company(self):
        automation = self.sudo().randevu_automation_id
        return automation.company_id if automation else super()._randevu_company()

    # An automation messages a client once per episode (its sends say so), and again the
    # next one (next absence, next birthday): mass_mailing's "already reached by this
    # mailing" must not skip her then.
    def _get_seen_list(self):
        if self.sudo().randevu_automation_id:
            return set()
        return super()._get_seen_list()

    def _get_seen_list_sms(self):
        if self.sudo().randevu_automation_id:
            return [], []
        return super()._get_seen_list_sms()
