from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Frequency cap (issue 16): at most N marketing messages (mailings by email and SMS,
    # every campaign together) per customer in D days; the next ones skip her.
    randevu_marketing_cap_count = fields.Integer(
        string="Marketing Messages at Most",
        default=0,
        help="A customer who already received this many marketing messages (email and SMS, all campaigns) "
        "in the period below is skipped by the next ones. 0: no limit.",
    )
    randevu_marketing_cap_days = fields.Integer(
        string="Per (days)", default=7, help="The period of the frequency cap, in days."
    )
    # The branch's quiet hours (randevu_calendar) hold marketing mailings back too.
    randevu_quiet_start = fields.Float(
        help="Local time from which no text message (SMS, WhatsApp) and no marketing mailing (email or SMS) "
        "is sent; they wait for the end of the quiet hours. Transactional emails are not held back."
    )
    randevu_quiet_end = fields.Float(
        help="Local time at which held-back text messages and marketing mailings go out. "
        "Same as the start: no quiet hours."
    )

    _sql_constraints = [
        (
            "randevu_marketing_cap_positive",
            "CHECK(randevu_marketing_cap_count >= 0 AND randevu_marketing_cap_days > 0)",
            "The frequency cap cannot be negative and its period must be at least one day.",
        ),
    ]
