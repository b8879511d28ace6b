from markupsafe import Markup
from werkzeug.urls import url_encode

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
    randevu_pos_due = fields.Float(
        string="Due at the Branch",
        compute="_compute_randevu_pos_due",
        groups="point_of_sale.group_pos_user",
        help="What the customer owes at the current branch: their open receivable items, and what tills "
        "of the branch left on their account (or settled) in sessions not closed yet.",
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

    def _compute_randevu_pos_due(self):
        dues = self._randevu_pos_due(self.env.company)
        for partner in self:
            partner.randevu_pos_due = dues.get(partner.commercial_partner_id.id, 0.0)

    def _randevu_pos_due(self, company, exclude_orders=None, posted_only=False):
        """{commercial partner id: what they owe at `company`}: the residual of their
        posted, unreconciled receivable items there, plus the customer account payments
        (positive: left on account; negative: settled) of the branch's orders not
        invoiced in sessions not closed yet (closing books them on the receivable).
        Deposit payments are left out: they use deposits paid online."""
        commercial = self.commercial_partner_id
        if not commercial:
            return {}
        # sudo: a cashier without accounting rights sees what a customer owes at their
        # branch (the total only, never the journal items themselves).
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                groupby=["partner_id"],
                aggregates=["amount_residual:sum"],
            )
        )
        dues = {partner.id: residual for partner, residual in groups}
        if posted_only:
            return dues
        # sudo: the same totals from the open sessions' payments of the branch.
        payments = (
            self.env["pos.payment"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("session_id.state", "!=", "closed"),
                    ("pos_order_id.partner_id", "child_of", commercial.ids),
                    ("pos_order_id.state", "in", ("paid", "done")),
                    ("pos_order_id.account_move", "=", False),
                    ("pos_order_id", "not in", (exclude_orders or self.env["pos.order"]).ids),
                    ("payment_method_id.journal_id", "=", False),  # pay later (type is not stored)
                    ("payment_method_id.split_transactions", "=", True),
                    ("payment_method_id.randevu_deposit", "=", False),
                ],
                ["amount", "pos_order_id"],
            )
        )
        for payment in payments:
            partner = payment.pos_order_id.partner_id.commercial_partner_id
            dues[partner.id] = dues.get(partner.id, 0.0) + payment.amount
        return dues

    def _randevu_due_to_pay(self, company):
        """What the customer can pay by link at `company`: the net residual of their
        posted receivable items there (what the tills left on account is posted at
        closing), never below 0."""
        self.ensure_one()
        partner = self.commercial_partner_id
        due = partner._randevu_pos_due(company, posted_only=True).get(partner.id, 0.0)
        return max(company.currency_id.round(due), 0.0)

    def _randevu_due_access_token(self, company):
        """The token of the link's transaction route for this customer at `company`."""
        return self.env["randevu.appointment"]._randevu_payment_access_token("randevu-due", self.id, company.id)

    def _randevu_due_payment_link(self, company=None):
        """The link that pays what the customer owes at `company` (default: the current
        branch): Odoo's payment page for the customer, the amount and the branch's
        currency, signed as the payment link wizard signs it, plus the branch
        (``randevu_due_company_id``, see controllers/payment.py). False when nothing is
        due."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id
        amount = partner._randevu_due_to_pay(company)
        if not amount:
            return False
        currency = company.currency_id
        query = {
            "amount": amount,
            "currency_id": currency.id,
            "partner_id": partner.id,
            "company_id": company.id,
            "randevu_due_company_id": company.id,
            "access_token": self.env["randevu.appointment"]._randevu_payment_access_token(
                partner.id, amount, currency.id
            ),
        }
        return f"{self.get_base_url()}/payment/pay?{url_encode(query)}"

    def _randevu_due_link_to_send(self):
        """(link, formatted amount) of what the customer owes at the current branch, for
        an invoicing user sending it; a translated UserError when nothing is due."""
        self.ensure_one()
        self._randevu_check_settle_access()
        link = self._randevu_due_payment_link()
        if not link:
            raise UserError(
                self.env._(
                    "%(customer)s owes nothing at %(branch)s.", customer=self.display_name, branch=self.env.company.name
                )
            )
        amount = self.env.company.currency_id.format(self.commercial_partner_id._randevu_due_to_pay(self.env.company))
        return link, amount

    def action_randevu_send_due_link(self):
        """Send payment link for what is due: Odoo's email composer on the customer,
        its body holding the link for what they owe at the current branch."""
        link, amount = self._randevu_due_link_to_send()
        body = Markup('<p>%s</p><p><a href="%s">%s</a></p>') % (
            self.env._(
                "Hello %(customer)s, you owe %(amount)s at %(branch)s.",
                customer=self.name,
                amount=amount,
                branch=self.env.company.name,
            ),
            link,
            self.env._("Pay now"),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Payment Link"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subject": self.env._("What you owe at %(branch)s", branch=self.env.company.name),
                "default_body": body,
                "default_partner_ids": self.ids,
            },
        }

    def action_randevu_sms_due_link(self):
        """The same link by SMS: Odoo's SMS composer on the customer."""
        link, amount = self._randevu_due_link_to_send()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Payment Link by SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": "res.partner",
                "default_res_id": self.id,
                "default_composition_mode": "comment",
                "default_body": self.env._(
                    "You owe %(amount)s at %(branch)s. Pay here: %(link)s",
                    amount=amount,
                    branch=self.env.company.name,
                    link=link,
                ),
            },
        }

    def _randevu_check_settle_access(self):
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may settle what a customer owes."))

    @api.model
    def _load_pos_data(self, data):
        # The due shown at the till is the till's branch's.
        config = self.env["pos.config"].browse(data["pos.config"]["data"][0]["id"])
        return super(ResPartner, self.with_company(config.company_id))._load_pos_data(data)

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
        return [*result, "randevu_credit_limit", "randevu_pos_due"]

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
        self._randevu_check_settle_access()
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
