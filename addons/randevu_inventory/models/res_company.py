from odoo import api, fields, models


class ResCompany(models.Model):
    """A branch's stock: its warehouse, and the location its services' products go to."""

    _inherit = "res.company"

    randevu_consumption_location_id = fields.Many2one(
        "stock.location",
        string="Service Consumption Location",
        domain="[('usage', '=', 'inventory'), ('company_id', '=', id)]",
        help="Products used in this branch's services are moved here when an appointment is done. "
        "Set its incoming valuation account to an expense account (cost of consumables).",
    )
    randevu_consumables_moment = fields.Selection(
        [("done", "When the appointment is done"), ("paid", "When the done appointment is paid (checkout)")],
        string="Write Off Products",
        default="done",
        required=True,
        help="When the products an appointment used leave the branch's stock: as soon as it is done, or "
        "only once it is also paid (at the till, by invoice or online), so that the receptionist can still "
        "correct them at checkout.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._randevu_ensure_warehouses()
        return companies

    def _randevu_ensure_warehouses(self):
        """Give each of these branches a warehouse and a consumption location when it has
        none: idempotent, run for new branches and for existing ones on install."""
        # Superuser: a branch is created by a Randevu manager, who need not be an inventory manager.
        warehouses_sudo = self.env["stock.warehouse"].sudo()
        have = warehouses_sudo.with_context(active_test=False).search([("company_id", "in", self.ids)]).company_id
        missing = self - have
        if missing:
            warehouses_sudo.create(
                [
                    {
                        "name": branch.name,
                        "code": (branch.name or "WH")[:5],
                        "company_id": branch.id,
                        "partner_id": branch.partner_id.id,
                    }
                    for branch in missing
                ]
            )
        without_location = self.filtered(lambda branch: not branch.randevu_consumption_location_id)
        if without_location:
            parent = self.env.ref("stock.stock_location_locations_virtual", raise_if_not_found=False)
            locations = (
                self.env["stock.location"]
                .sudo()
                .create(
                    [
                        {
                            "name": self.env._("Service Consumption"),
                            "usage": "inventory",
                            "location_id": parent.id if parent else False,
                            "company_id": branch.id,
                        }
                        for branch in without_location
                    ]
                )
            )
            for branch, location in zip(without_location.sudo(), locations, strict=True):
                branch.randevu_consumption_location_id = location

    def _randevu_warehouse(self):
        """The branch's warehouse (the first one, when it has several)."""
        self.ensure_one()
        # Superuser: receptionists close appointments without being inventory users.
        return self.env["stock.warehouse"].sudo().search([("company_id", "=", self.id)], order="sequence, id", limit=1)
