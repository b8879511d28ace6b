from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "randevu_calendar.group_randevu_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_credit_limit = fields.Monetary(
        string="Account Credit Limit",
        currency_field="randevu_credit_currency_id",
        default=0.0,
        help="How far below zero this customer's account credit (eWallet) may go, for trusted regulars: "
        "0 means the balance never goes negative. Only Randevu managers may change it.",
    )
    randevu_credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_randevu_credit_currency_id", string="Credit Currency"
    )
    randevu_credit_balance = fields.Float(
        string="Account Credit",
        compute="_compute_randevu_credit_balance",
        groups="point_of_sale.group_pos_user",
        help="The balance of the customer's eWallets (loyalty cards of eWallet programs).",
    )
    randevu_has_course = fields.Boolean(
        string="Has Courses",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Set when a course is sold to the customer: only their bookings look for a course to use "
        "(read with the customer's row, so other bookings cost no query).",
    )
    randevu_course_sessions_left = fields.Integer(
        string="Course Sessions Left",
        compute="_compute_randevu_course_sessions_left",
        groups="randevu_calendar.group_randevu_staff,account.group_account_readonly",
        help="Sessions left on the customer's active courses at the current branches.",
    )

    _sql_constraints = [
        (
            "randevu_credit_limit_positive",
            "CHECK(randevu_credit_limit IS NULL OR randevu_credit_limit >= 0)",
            "A customer's credit limit is a positive amount (how far the balance may go below zero).",
        ),
    ]

    def _compute_randevu_credit_currency_id(self):
        self.randevu_credit_currency_id = self.env.company.currency_id

    def _compute_randevu_credit_balance(self):
        groups = self.env["loyalty.card"]._read_group(
            [("partner_id", "in", self.ids), ("program_id.program_type", "=", "ewallet")],
            groupby=["partner_id"],
            aggregates=["points:sum"],
        )
        balances = {partner.id: points for partner, points in groups}
        for partner in self:
            partner.randevu_credit_balance = balances.get(partner.id, 0.0)

    def _compute_randevu_course_sessions_left(self):
        groups = self.env["randevu.course"]._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "active")],
            groupby=["partner_id"],
            aggregates=["sessions_left:sum"],
        )
        left = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.randevu_course_sessions_left = left.get(partner.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("randevu_credit_limit") for vals in vals_list):
            self._randevu_check_credit_limit_access()
        return super().create(vals_list)

    def write(self, vals):
        # A form or an import sending the limit unchanged is no change of it.
        if "randevu_credit_limit" in vals and any(
            partner.randevu_credit_limit != (vals["randevu_credit_limit"] or 0.0) for partner in self
        ):
            self._randevu_check_credit_limit_access()
        return super().write(vals)

    def _randevu_check_credit_limit_access(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Randevu managers may change a customer's credit limit."))

    @api.model
    def _load_pos_data_fields(self, config_id):
        result = super()._load_pos_data_fields(config_id)
        return [*result, "randevu_credit_limit"]

    def action_randevu_credit_history(self):
        """The customer's eWallet movements (top-ups, payments, adjustments)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.loyalty_history_action_randevu_credit")
        action["domain"] = [
            ("card_id.partner_id", "=", self.id),
            ("card_id.program_id.program_type", "=", "ewallet"),
        ]
        return action

    def action_randevu_courses(self):
        """The customer's courses: sessions left, expiry, the appointments using them."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.randevu_course_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def _randevu_open_receivable_lines(self):
        """The customer's (commercial partner's) posted receivable items still due in
        the current branch: what the till left on their account, and anything else
        Accounting holds against them there."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
        )

    def action_randevu_settle_due(self):
        """Settle Due: Odoo's Register Payment on the customer's open receivable items of
        the current branch (a visit left on their account at the till, whose POS entry
        has no invoice to pay); the payment is reconciled with them."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may settle what a customer owes."))
        lines = self._randevu_open_receivable_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "%(customer)s owes nothing at %(branch)s.", customer=self.display_name, branch=self.env.company.name
                )
            )
        action = lines.action_register_payment()
        action["name"] = self.env._("Settle Due")
        return action
