from collections import namedtuple
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# POS orders whose lines count: paid (also once posted or invoiced). Refunds are
# orders of their own, with negative quantities, counted when they are paid.
PAID_STATES = ("paid", "done", "invoiced")
# Invoices whose lines count: paid (also "in payment"), or reversed by a credit note
# (which counts too, negated: the two cancel out).
PAID_INVOICE_STATES = ("paid", "in_payment", "reversed")
MANAGER = "randevu_calendar.group_randevu_manager"

# A sale line of any source, as the engine reads it: amounts of a credit note's
# line are negated, like a POS refund's; a course session performed (its appointment)
# is a sale of its share of the course.
Sale = namedtuple(
    "Sale",
    "date employee product qty price_unit discount price_subtotal price_subtotal_incl pos_order_line_id move_line_id "
    "appointment_id",
    defaults=[None],
)


class RandevuCommissionPeriod(models.Model):
    """A week (ISO: Monday to Sunday) or a month (its 1st to its last day) of a branch's
    commissions, whatever day of it is picked: computed from the paid POS lines
    of the branch's local days `date_from` … `date_to` and the paid invoice lines of
    appointments dated within them, per performer, into one commission line per sale
    line; approved by a manager into one journal entry."""

    _name = "randevu.commission.period"
    _description = "Commission Period"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    def _randevu_previous(self):
        """The current branch's latest period with a journal: a new period's journal
        and accounts default to its."""
        return self.search([("company_id", "=", self.env.company.id), ("journal_id", "!=", False)], limit=1)

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection([("week", "Week"), ("month", "Month")], required=True, default="month")
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    # The week's or the month's last day: follows `date_from`, never set by hand.
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True, required=True, precompute=True)
    state = fields.Selection(
        [("draft", "Draft"), ("computed", "Computed"), ("approved", "Approved")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
    )
    journal_id = fields.Many2one(
        "account.journal",
        default=lambda self: self._randevu_previous().journal_id,
        domain="[('type', '=', 'general'), ('company_id', 'parent_of', company_id)]",
        help="A miscellaneous journal of the branch or of its parent company (branches share their parent's).",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Commission Expense Account",
        domain="[('account_type', '=', 'expense')]",
        default=lambda self: self._randevu_previous().expense_account_id,
    )
    payable_account_id = fields.Many2one(
        "account.account",
        string="Staff Payable Account",
        domain="[('account_type', 'in', ('liability_payable', 'liability_current'))]",
        help="Credited with each staff member's commission, on their work contact.",
        default=lambda self: self._randevu_previous().payable_account_id,
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, copy=False)
    line_ids = fields.One2many("randevu.commission.line", "period_id", string="Commission Lines", readonly=True)
    total_ids = fields.One2many("randevu.commission.total", "period_id", string="Totals per Staff", readonly=True)
    amount_total = fields.Monetary(string="Total Commission", compute="_compute_amount_total")

    _sql_constraints = [
        ("dates_order", "CHECK(date_to >= date_from)", "A commission period ends on or after its first day."),
        (
            "calendar_period",
            "CHECK((period_type = 'week' AND EXTRACT(ISODOW FROM date_from) = 1 AND date_to = date_from + 6)"
            " OR (period_type = 'month' AND EXTRACT(DAY FROM date_from) = 1"
            " AND date_to = (date_from + INTERVAL '1 month' - INTERVAL '1 day')::date))",
            "A weekly commission period runs from Monday to Sunday, a monthly one from the 1st to the month's end.",
        ),
        # A sale line counts in one period only: a branch's periods never overlap (an
        # int4range for the company: no btree_gist extension needed).
        (
            "no_overlap",
            "EXCLUDE USING GIST (int4range(company_id, company_id, '[]') WITH =,"
            " daterange(date_from, date_to, '[]') WITH &&)",
            "This branch already has a commission period over these days.",
        ),
    ]

    @api.model
    def _randevu_period_start(self, period_type, day):
        """The first day of the week (its Monday) or of the month (its 1st) of `day`."""
        day = fields.Date.to_date(day)
        if not day:
            return day
        if period_type == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    @api.model_create_multi
    def create(self, vals_list):
        default_type = self._fields["period_type"].default(self)
        for vals in vals_list:
            if vals.get("date_from"):
                vals["date_from"] = self._randevu_period_start(
                    vals.get("period_type") or default_type, vals["date_from"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if not vals.get("date_from") and "period_type" not in vals:
            return super().write(vals)
        for period in self:
            start = self._randevu_period_start(
                vals.get("period_type") or period.period_type, vals.get("date_from") or period.date_from
            )
            super(RandevuCommissionPeriod, period).write({**vals, "date_from": start})
        return True

    @api.onchange("period_type", "date_from")
    def _onchange_period_start(self):
        """The form shows at once the Monday or the 1st the period will start on."""
        for period in self:
            period.date_from = self._randevu_period_start(period.period_type, period.date_from)

    @api.depends("company_id", "period_type", "date_from")
    def _compute_name(self):
        for period in self:
            if period.date_from:
                what = period.date_from.strftime("%Y-%m" if period.period_type == "month" else "%G-W%V")
                period.name = f"{period.company_id.name or ''} {what}".strip()

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for period in self.filtered("date_from"):
            start = self._randevu_period_start(period.period_type, period.date_from)
            if period.period_type == "month":
                period.date_to = start + relativedelta(day=1, months=1, days=-1)
            else:
                period.date_to = start + relativedelta(days=6)

    @api.depends("total_ids.amount")
    def _compute_amount_total(self):
        for period in self:
            period.amount_total = sum(period.total_ids.mapped("amount"))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda period: period.state == "approved"):
            raise UserError(self.env._("An approved commission period cannot be deleted: cancel its approval first."))

    def _randevu_lock(self):
        """Lock the periods' rows: two managers computing or approving the same period
        at once run one after the other (the second is retried and sees the first's result)."""
        self.env.cr.execute("SELECT id FROM randevu_commission_period WHERE id IN %s FOR UPDATE", [tuple(self.ids)])
        self.invalidate_recordset(["state", "move_id"])

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a Randevu manager may compute or approve commissions."))

    def action_compute(self):
        """(Re)compute the lines and totals: idempotent, the previous ones are replaced."""
        self._check_manager()
        self._randevu_lock()
        if self.filtered(lambda period: period.state == "approved"):
            raise UserError(self.env._("An approved commission period cannot be recomputed."))
        for period in self:
            period._randevu_compute()
        self.write({"state": "computed"})
        return True

    def _randevu_pos_sales(self):
        """The paid POS lines of the period with a performer (Sale tuples), read with
        their orders, products and performers in a few queries (no query per line)."""
        self.ensure_one()
        start, stop = self.company_id._randevu_day_bounds(self.date_from, self.date_to)
        # sudo: the engine reads every paid sale of the branch, whether or not the
        # manager computing it is a POS user; the domain keeps it to this branch.
        PosLine_sudo = self.env["pos.order.line"].sudo().with_company(self.company_id)
        tips = PosLine_sudo.env["pos.config"].search_fetch([], ["tip_product_id"]).tip_product_id
        lines = PosLine_sudo.search_fetch(
            [
                ("order_id.company_id", "=", self.company_id.id),
                ("order_id.state", "in", PAID_STATES),
                ("order_id.date_order", ">=", start),
                ("order_id.date_order", "<", stop),
                ("randevu_employee_id", "!=", False),
                ("product_id", "not in", tips.ids),
                # A course sold earns nothing at the sale: its sessions do, once performed
                # (_randevu_course_sales), not through the till's line of price 0.
                ("product_id.randevu_course_service_id", "=", False),
                "|",
                ("randevu_appointment_id", "=", False),
                ("randevu_appointment_id.randevu_course_id", "=", False),
            ],
            [
                "order_id",
                "product_id",
                "randevu_employee_id",
                "qty",
                "price_unit",
                "discount",
                "price_subtotal",
                "price_subtotal_incl",
            ],
            order="id",
        )
        PosLine_sudo.env["pos.order"].search_fetch([("id", "in", lines.order_id.ids)], ["date_order"])
        return [
            Sale(
                line.order_id.date_order,
                line.randevu_employee_id,
                line.product_id,
                line.qty,
                line.price_unit,
                line.discount,
                line.price_subtotal,
                line.price_subtotal_incl,
                line.id,
                None,
            )
            for line in lines
        ]

    def _randevu_invoice_sales(self):
        """The lines of the branch's customer invoices and credit notes of the period
        (invoice date) that are paid, in payment or reversed, and bill an appointment
        (randevu_account's Create Invoice): the appointment's staff member performed
        it. Credit notes of those invoices count negated, in their own period. An invoice made from a
        POS order has no appointment on its lines: its sale counts through the order."""
        self.ensure_one()
        # sudo: as for the POS lines, the manager computing need not be an accountant.
        MoveLine_sudo = self.env["account.move.line"].sudo().with_company(self.company_id)
        lines = MoveLine_sudo.search_fetch(
            [
                ("move_id.company_id", "=", self.company_id.id),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("move_id.state", "=", "posted"),
                ("move_id.payment_state", "in", PAID_INVOICE_STATES),
                ("move_id.invoice_date", ">=", self.date_from),
                ("move_id.invoice_date", "<=", self.date_to),
                ("display_type", "=", "product"),
                "|",
                ("randevu_appointment_id", "!=", False),
                "&",
                ("move_id.move_type", "=", "out_refund"),
                ("move_id.reversed_entry_id", "!=", False),
            ],
            [
                "move_id",
                "product_id",
                "randevu_appointment_id",
                "quantity",
                "price_unit",
                "discount",
                "price_subtotal",
                "price_total",
            ],
            order="id",
        )
        env = MoveLine_sudo.env
        moves = env["account.move"].search_fetch(
            [("id", "in", lines.move_id.ids)], ["move_type", "invoice_date", "reversed_entry_id"]
        )
        # A credit note's lines do not copy the appointment: its invoice's line of the
        # same product tells it.
        originals = env["account.move.line"].search_fetch(
            [
                ("move_id", "in", moves.reversed_entry_id.ids),
                ("display_type", "=", "product"),
                ("randevu_appointment_id", "!=", False),
            ],
            ["move_id", "product_id", "randevu_appointment_id"],
        )
        origin = {(line.move_id.id, line.product_id.id): line.randevu_appointment_id for line in originals}
        appointments = env["randevu.appointment"].search_fetch(
            [("id", "in", (lines.randevu_appointment_id | originals.randevu_appointment_id).ids)], ["employee_id"]
        )
        tz = self.company_id._randevu_clock()
        sales = []
        for line in lines:
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            appointment = line.randevu_appointment_id or origin.get(
                (line.move_id.reversed_entry_id.id, line.product_id.id), appointments.browse()
            )
            sales.append(
                Sale(
                    # The invoice date's local noon: after the day's POS sales of the morning.
                    tz.to_utc(datetime.combine(line.move_id.invoice_date, time(12))),
                    appointment.employee_id,
                    line.product_id,
                    sign * line.quantity,
                    line.price_unit,
                    line.discount,
                    sign * line.price_subtotal,
                    sign * line.price_total,
                    None,
                    line.id,
                )
            )
        return sales

    def _randevu_course_sales(self):
        """The course sessions performed in the period (appointments done, by their
        start's local day) whose share of the course was recognised: each is a sale of
        that share by the appointment's staff member."""
        self.ensure_one()
        start, stop = self.company_id._randevu_day_bounds(self.date_from, self.date_to)
        # sudo: as for the POS lines; the recognition entries are the accountant's.
        Appointment_sudo = self.env["randevu.appointment"].sudo().with_company(self.company_id)
        appointments = Appointment_sudo.search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("randevu_course_id", "!=", False),
                ("randevu_course_move_id", "!=", False),
                ("state", "=", "done"),
                ("start", ">=", start),
                ("start", "<", stop),
            ],
            ["start", "employee_id", "service_id", "randevu_course_move_id"],
            order="id",
        )
        Appointment_sudo.env["account.move"].search_fetch(
            [("id", "in", appointments.randevu_course_move_id.ids)], ["amount_total"]
        )
        return [
            Sale(
                appointment.start,
                appointment.employee_id,
                appointment.service_id.product_variant_id,
                1,
                appointment.randevu_course_move_id.amount_total,
                0,
                appointment.randevu_course_move_id.amount_total,
                appointment.randevu_course_move_id.amount_total,
                None,
                None,
                appointment.id,
            )
            for appointment in appointments
        ]

    def _randevu_source_lines(self):
        """Every paid sale line of the period (POS, invoices and course sessions), with
        their products and performers fetched in a few queries."""
        sales = self._randevu_pos_sales() + self._randevu_invoice_sales() + self._randevu_course_sales()
        sales = [sale for sale in sales if sale.employee]
        env = self.env["product.product"].sudo().with_company(self.company_id).env
        product_ids = list({sale.product.id for sale in sales if sale.product})
        products = env["product.product"].search_fetch(
            [("id", "in", product_ids)], ["type", "categ_id", "standard_price"]
        )
        env["product.category"].search_fetch([("id", "in", products.categ_id.ids)], ["parent_path"])
        env["hr.employee"].search_fetch(
            [("id", "in", list({sale.employee.id for sale in sales}))], ["category_ids", "randevu_commission_rate"]
        )
        return [sale for sale in sales if sale.product]

    def _randevu_compute(self):
        """Commission lines of this period, one per sale line, and totals per staff
        member, written with two INSERTs: the query count does not grow with the lines.

        Each line's amount is the difference of the rounded commissions on the
        cumulative revenue (in date order) under its rule before and after it, so the
        lines of a rule add up exactly to the rule's commission on the period's revenue,
        bands included; a refund (negative quantity) goes back down the bands."""
        self.ensure_one()
        self.env["randevu.commission.line"].check_access("create")
        currency = self.currency_id
        Rule = self.env["randevu.commission.rule"]
        rules = Rule.search_fetch(
            [("company_id", "=", self.company_id.id)],
            [
                "employee_id",
                "employee_category_id",
                "applies_to",
                "product_category_id",
                "amount_type",
                "rate",
                "fixed_amount",
                "tier_mode",
                "deduct_discount",
                "deduct_tax",
                "deduct_cost",
                "sequence",
            ],
        )
        rules.tier_ids.mapped("rate")
        rules.product_category_id.mapped("parent_path")
        lines = self._randevu_source_lines()

        chosen = {}  # (employee id, product id) -> rule (or nothing)
        own_rates = {}  # employee id -> a rule (not saved) of the staff member's own commission rate
        by_rule = {}  # (employee id, rule) -> [(date, sale, base)]
        for line in lines:
            employee, product = line.employee, line.product
            key = (employee.id, product.id)
            if key not in chosen:
                matching = rules.filtered(lambda rule, emp=employee, prod=product: rule._randevu_matches(emp, prod))
                chosen[key] = max(matching, key=lambda rule: rule._randevu_precedence(), default=Rule)
                if not chosen[key] and product.type == "service" and employee.randevu_commission_rate:
                    # No rule: the staff member's own rate (Staff form), on services only.
                    if employee.id not in own_rates:
                        own_rates[employee.id] = Rule.new(
                            {"company_id": self.company_id.id, "rate": employee.randevu_commission_rate}
                        )
                    chosen[key] = own_rates[employee.id]
            rule = chosen[key]
            if not rule:
                continue
            base = rule._randevu_base(line, product.standard_price)
            by_rule.setdefault((employee.id, rule), []).append((line.date, line, base))

        columns = {
            name: []
            for name in (
                "employee_id",
                "rule_id",
                "pos_order_line_id",
                "move_line_id",
                "appointment_id",
                "date",
                "product_id",
                "qty",
                "base",
                "rate",
            )
        }
        columns["amount"] = []
        for (employee_id, rule), items in by_rule.items():
            items.sort(
                key=lambda item: (
                    item[0],
                    item[1].pos_order_line_id or 0,
                    item[1].move_line_id or 0,
                    item[1].appointment_id or 0,
                )
            )
            total = sum(base for __, __, base in items)
            revenue = earned = 0.0
            for date, line, base in items:
                revenue += base
                if rule.amount_type == "fixed":
                    amount = Rule._randevu_round(line.qty * rule.fixed_amount, currency)
                else:
                    cumulative = Rule._randevu_round(rule._randevu_commission_to(revenue, total), currency)
                    amount = Rule._randevu_round(cumulative - earned, currency)
                    earned = cumulative
                rounded = Rule._randevu_round(base, currency)
                for name, value in (
                    ("employee_id", employee_id),
                    ("rule_id", rule.id or None),
                    ("pos_order_line_id", line.pos_order_line_id),
                    ("move_line_id", line.move_line_id),
                    ("appointment_id", line.appointment_id),
                    ("date", date),
                    ("product_id", line.product.id),
                    ("qty", line.qty),
                    ("base", rounded),
                    ("rate", round(amount / rounded * 100, 4) if rounded and rule.amount_type == "percent" else 0),
                    ("amount", amount),
                ):
                    columns[name].append(value)
        self._randevu_write_lines(columns)

    def _randevu_write_lines(self, columns):
        """Replace the period's lines and totals by `columns` (lists of values per
        field), in one DELETE and one INSERT each."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM randevu_commission_total WHERE period_id = %s", [self.id])
        cr.execute("DELETE FROM randevu_commission_line WHERE period_id = %s", [self.id])
        cr.execute(
            """
            INSERT INTO randevu_commission_line (
                period_id, company_id, create_uid, write_uid, create_date, write_date,
                employee_id, rule_id, pos_order_line_id, move_line_id, appointment_id, date, product_id, qty, base,
                rate, amount)
            SELECT %(period)s, %(company)s, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC', *
              FROM unnest(%(employee_id)s::int[], %(rule_id)s::int[], %(pos_order_line_id)s::int[],
                          %(move_line_id)s::int[], %(appointment_id)s::int[], %(date)s::timestamp[],
                          %(product_id)s::int[],
                          %(qty)s::numeric[], %(base)s::numeric[],
                          %(rate)s::numeric[], %(amount)s::numeric[])
            """,
            {"period": self.id, "company": self.company_id.id, "uid": self.env.uid, **columns},
        )
        cr.execute(
            """
            INSERT INTO randevu_commission_total (
                period_id, company_id, create_uid, write_uid, create_date, write_date,
                employee_id, line_count, base, amount)
            SELECT period_id, company_id, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC',
                   employee_id, count(*), sum(base), sum(amount)
              FROM randevu_commission_line
             WHERE period_id = %(period)s
          GROUP BY period_id, company_id, employee_id
            """,
            {"period": self.id, "uid": self.env.uid},
        )
        self.env.invalidate_all()

    def action_approve(self):
        """Post one journal entry per period: per staff member, the commission
        expense debited and the payable to their work contact credited (the other
        way round when refunds took back more than was earned)."""
        self._check_manager()
        self._randevu_lock()
        problems = []
        for period in self:
            if period.state != "computed":
                problems.append(self.env._("%(period)s is not computed.", period=period.name))
            elif period.total_ids.filtered("amount") and not (
                period.journal_id and period.expense_account_id and period.payable_account_id
            ):
                problems.append(
                    self.env._("%(period)s needs a journal and both accounts to be approved.", period=period.name)
                )
            # sudo: the work contact is an HR field; approving needs only which one it is.
            missing = period.total_ids.filtered(
                lambda total: total.amount and not total.employee_id.sudo().work_contact_id
            )
            if missing:
                problems.append(
                    self.env._(
                        "%(staff)s have no work contact to owe the commission to.",
                        staff=", ".join(missing.employee_id.mapped("name")),
                    )
                )
        if problems:
            raise UserError("\n".join(problems))
        for period in self:
            totals = period.total_ids.filtered("amount")
            if totals:
                period.move_id = period._randevu_post_move(totals)
        self.write({"state": "approved"})
        return True

    def _randevu_post_move(self, totals):
        self.ensure_one()
        line_vals = []
        for total in totals:
            label = self.env._("Commission %(period)s: %(staff)s", period=self.name, staff=total.employee_id.name)
            debit, credit = (total.amount, 0.0) if total.amount > 0 else (0.0, -total.amount)
            partner = total.employee_id.sudo().work_contact_id.id  # sudo: an HR field, as in action_approve
            line_vals += [
                {
                    "name": label,
                    "account_id": self.expense_account_id.id,
                    "partner_id": partner,
                    "debit": debit,
                    "credit": credit,
                },
                {
                    "name": label,
                    "account_id": self.payable_account_id.id,
                    "partner_id": partner,
                    "debit": credit,
                    "credit": debit,
                },
            ]
        # sudo: approving commissions is a Randevu manager's act; the manager need not
        # be an accountant to have the entry it implies posted.
        move_sudo = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": self.journal_id.id,
                    "date": self.date_to,
                    "ref": self.env._("Commissions %(period)s", period=self.name),
                    "line_ids": [fields.Command.create(vals) for vals in line_vals],
                }
            )
        )
        move_sudo.action_post()
        return move_sudo.id

    def action_cancel_approval(self):
        """Back to computed: the journal entry is reversed (and reconciled with its reversal)."""
        self._check_manager()
        self._randevu_lock()
        if self.filtered(lambda period: period.state != "approved"):
            raise UserError(self.env._("Only an approved commission period can have its approval cancelled."))
        for period in self.filtered("move_id"):
            # sudo: as at approval, the manager reverses the entry their approval posted.
            move_sudo = period.move_id.sudo()
            move_sudo._reverse_moves(
                [{"date": fields.Date.context_today(self), "ref": self.env._("Reversal of %s", move_sudo.ref)}],
                cancel=True,
            )
        self.write({"state": "computed", "move_id": False})
        return True
