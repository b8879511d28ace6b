from odoo import fields, models


class ResPartner(models.Model):
    # Same model as res_partner.py, another concern (automations, issue 16).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # What an automation's message shows her: the personal code of her latest send
    # (birthday offer), e.g. {{ object.randevu_automation_code }} in its text.
    randevu_automation_code = fields.Char(
        "Personal Code", compute="_compute_randevu_automation_code", groups="randevu_calendar.group_randevu_user"
    )

    def _compute_randevu_automation_code(self):
        codes = {}
        # Superuser: rendering a message as the mailing's sender, who may not read the sends.
        sends = (
            self.env["randevu.marketing.automation.send"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("code", "!=", False)], order="id desc")
        )
        for send in sends:
            codes.setdefault(send.partner_id.id, send.code)
        for partner in self:
            partner.randevu_automation_code = codes.get(partner.id, False)
