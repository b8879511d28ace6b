from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


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
    randevu_barcode_prefix = fields.Char(
        string="Barcode Prefix",
        help="Leading digits of the EAN-13 barcodes given to products without one: your GS1 company "
        "prefix (e.g. 869… in Türkiye) or an in-store prefix from 20 to 29. A branch without one uses "
        "its main company's.",
    )
    randevu_barcode_on_create = fields.Boolean(
        string="Barcode on Creation",
        help="Give every new good a barcode from the prefix when it is created without one.",
    )
    randevu_stock_manager_id = fields.Many2one(
        "res.users",
        string="Stock Alerts To",
        help="Who gets an activity when a product falls below its minimum at this branch "
        "(by default a Randevu manager of the branch).",
    )
    randevu_low_stock_count = fields.Integer(
        string="Low Stock", compute="_compute_randevu_low_stock_count", groups="stock.group_stock_user"
    )

    @api.constrains("randevu_barcode_prefix")
    def _check_randevu_barcode_prefix(self):
        for company in self:
            prefix = company.randevu_barcode_prefix
            if prefix and not (prefix.isdigit() and 2 <= len(prefix) <= 10):
                raise ValidationError(self.env._("A barcode prefix is 2 to 10 digits (e.g. 20 or 8690000)."))

    def _compute_randevu_low_stock_count(self):
        groups = self.env["stock.warehouse.orderpoint"]._read_group(
            [("randevu_low_stock", "=", True), ("company_id", "in", self.ids)], ["company_id"], ["__count"]
        )
        counts = {company.id: count for company, count in groups}
        for company in self:
            company.randevu_low_stock_count = counts.get(company.id, 0)

    def action_randevu_low_stock(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_inventory.action_randevu_low_stock")
        action["domain"] = [("company_id", "in", self.ids), ("randevu_low_stock", "=", True)]
        return action

    def _randevu_barcode_sequence(self):
        """The company's sequence of barcode numbers (created on first use)."""
        self.ensure_one()
        # Superuser: whoever assigns barcodes need not manage sequences.
        sequences = self.env["ir.sequence"].sudo()
        sequence = sequences.search([("code", "=", "randevu_inventory.barcode"), ("company_id", "=", self.id)], limit=1)
        return sequence or sequences.create(
            {
                "name": self.env._("Barcodes of %(company)s", company=self.name),
                "code": "randevu_inventory.barcode",
                "company_id": self.id,
                "implementation": "standard",
                "padding": 1,
            }
        )

    def _randevu_stock_manager(self):
        """Who hears of this branch's low stock."""
        self.ensure_one()
        if self.randevu_stock_manager_id:
            return self.randevu_stock_manager_id
        managers = self.env.ref("randevu_calendar.group_randevu_manager").sudo().users
        return (
            managers.filtered(lambda user: user.company_id == self and not user.share)[:1]
            or managers.filtered(lambda user: self in user.company_ids and not user.share)[:1]
            or self.env.ref("base.user_admin", raise_if_not_found=False)
            or self.env.ref("base.user_root")
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._randevu_ensure_warehouses()
        return companies

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._randevu_check_nothing_in_transit()
        return super().write(vals)

    def _randevu_check_nothing_in_transit(self, warehouses=None):
        """Refuse to close (archive) a branch, or its warehouse (`warehouses`: only the
        receipts into those), while goods sent to it by another branch wait in transit: once
        closed, nobody could receive them any more (its receipt types and stock location are
        archived with it)."""
        domain = [
            ("company_id", "in", self.ids),
            ("randevu_transfer_from_id", "!=", False),
            ("picking_type_code", "=", "incoming"),
            ("state", "not in", ("done", "cancel")),
        ]
        if warehouses is not None:
            domain.append(("picking_type_id.warehouse_id", "in", warehouses.ids))
        # Superuser: whoever closes the branch sees the pending receipts' names and senders only.
        receipts = self.env["stock.picking"].sudo().search(domain, order="company_id, id")
        if receipts:
            raise UserError(
                self.env._(
                    "%(branches)s cannot be closed: goods sent by another branch are still in transit to it "
                    "(%(receipts)s). Receive them first (a partial receipt leaves the rest to receive), "
                    "or cancel those receipts if the goods will not come.",
                    branches=", ".join(receipts.company_id.mapped("name")),
                    receipts=", ".join(
                        f"{receipt.name} ({receipt.randevu_transfer_from_id.name})" for receipt in receipts
                    ),
                )
            )

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
