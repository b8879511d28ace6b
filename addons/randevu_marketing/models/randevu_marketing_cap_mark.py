from odoo import fields, models


class RandevuMarketingCapMark(models.Model):
    """The frequency cap's lock: one row per customer a capped mailing reached for. Each
    batch rewrites its customers' rows in the same statement that counts their traces
    (mailing.mailing._randevu_capped_partner_ids), so that two mailings sending to the same
    customer at once cannot both count her traces before the other's are written: the later
    one fails to serialize and is retried, then sees the other's traces.

    Nobody reads or writes it through the ORM (no access rights but the system's read):
    only that statement writes it, whoever sends the mailing."""

    _name = "randevu.marketing.cap.mark"
    _description = "Frequency Cap Lock"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", readonly=True)
    marked_at = fields.Datetime(readonly=True)

    # The row the statement's INSERT ... ON CONFLICT (partner_id) rewrites.
    _sql_constraints = [("randevu_cap_mark_partner_unique", "UNIQUE(partner_id)", "One lock row per customer.")]
