from odoo import api, fields, models

# A till order counted as a visit: paid (posted or invoiced since).
PAID_ORDER_STATES = ("paid", "done", "invoiced")


class ResPartner(models.Model):
    """A paid order at the till is a visit too: such a customer is no first visit
    (randevu_marketing's rule, shared by the website and the till). The till reads
    whether each customer it loads is a first visit, to offer first-visit programs
    only to them (checked again when the order is synced)."""

    _inherit = "res.partner"

    randevu_pos_first_visit = fields.Boolean(
        "First Visit",
        compute="_compute_randevu_pos_first_visit",
        help="Never came nor booked, at any branch: first-visit offers apply at the till.",
    )

    def _compute_randevu_pos_first_visit(self):
        returning = self._randevu_returning_ids()
        for partner in self:
            partner.randevu_pos_first_visit = partner.id not in returning

    def _randevu_returning_ids(self, exclude=None, exclude_order=None, exclude_seats=None):
        returning = super()._randevu_returning_ids(exclude, exclude_order, exclude_seats)
        rest = self.browse(set(self.ids) - returning)
        if not rest:
            return returning
        domain = [("partner_id", "in", rest.ids), ("state", "in", PAID_ORDER_STATES), ("amount_total", ">", 0)]
        if exclude_order:
            domain.append(("id", "not in", exclude_order.ids))
        # Superuser: every branch's orders count, whoever asks; only customer ids come out.
        groups = self.env["pos.order"].sudo()._read_group(domain, ["partner_id"])
        return returning | {partner.id for (partner,) in groups}

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [*super()._load_pos_data_fields(config_id), "randevu_pos_first_visit"]
