from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, format_amount, split_every

# Appointments that do not use a session of their course.
FREEING_STATES = ("cancelled",)
# Appointments whose session is earned: its share of the course becomes revenue.
EARNED_STATES = ("done", "no_show")


class RandevuCourse(models.Model):
    """Sessions of a service a customer paid for in advance (a course of 6 laser
    sessions): each appointment of the service for the customer at the branch uses one.
    What was paid is deferred revenue (a liability) until the sessions are performed;
    each session performed moves its share to revenue, and the balance left when the
    course expires is recognised then (breakage)."""

    _name = "randevu.course"
    _description = "Course of Sessions"
    _order = "expiry_date, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", string="Branch", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.template", string="Course Product", required=True, readonly=True)
    service_id = fields.Many2one("product.template", required=True, index=True, readonly=True, check_company=True)
    pos_order_line_id = fields.Many2one(
        "pos.order.line",
        string="Sold By",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="point_of_sale.group_pos_user,account.group_account_readonly",
    )
    sale_date = fields.Date(required=True, readonly=True)
    expiry_date = fields.Date(required=True, index=True)
    sessions_total = fields.Integer(string="Sessions", required=True, readonly=True)
    amount_total = fields.Monetary(
        string="Amount Paid", required=True, readonly=True, help="Without taxes: the deferred revenue."
    )
    appointment_ids = fields.One2many("randevu.appointment", "randevu_course_id", string="Appointments", readonly=True)
    sessions_used = fields.Integer(compute="_compute_sessions", store=True)
    sessions_left = fields.Integer(compute="_compute_sessions", store=True)
    expired = fields.Boolean(readonly=True, copy=False)
    refund_line_id = fields.Many2one(
        "pos.order.line",
        string="Refunded By",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="point_of_sale.group_pos_user,account.group_account_readonly",
    )
    refund_amount = fields.Monetary(
        string="Amount Refunded",
        readonly=True,
        copy=False,
        help="Paid back at the till, without taxes: it left the deferred revenue with the refund.",
    )
    state = fields.Selection(
        [("active", "Active"), ("used", "Used Up"), ("expired", "Expired"), ("refunded", "Refunded")],
        compute="_compute_sessions",
        store=True,
        index=True,
    )
    breakage_move_id = fields.Many2one(
        "account.move",
        string="Expiry Entry",
        readonly=True,
        copy=False,
        groups="account.group_account_readonly,randevu_calendar.group_randevu_manager",
        help="Recognises the balance left when the course expired.",
    )
    amount_left = fields.Monetary(
        string="Balance Left",
        compute="_compute_amount_left",
        help="Paid for sessions not recognised yet: the deferred revenue of this course.",
    )

    _sql_constraints = [
        ("sessions_total_positive", "CHECK(sessions_total > 0)", "A course needs at least one session."),
        ("sessions_used_max", "CHECK(sessions_used <= sessions_total)", "A course's sessions are all used."),
        ("amount_total_positive", "CHECK(amount_total >= 0)", "A course cannot cost less than nothing."),
    ]

    @api.depends("service_id", "sessions_total", "partner_id")
    def _compute_name(self):
        for course in self:
            course.name = self.env._(
                "%(service)s, %(count)s sessions — %(customer)s",
                service=course.service_id.name or "",
                count=course.sessions_total,
                customer=course.partner_id.name or "",
            )

    @api.depends("appointment_ids.state", "sessions_total", "expired", "refund_line_id")
    def _compute_sessions(self):
        for course in self:
            used = len(course.appointment_ids.filtered(lambda appt: appt.state not in FREEING_STATES))
            course.sessions_used = used
            # sudo: whether the course was refunded, not the refund line itself.
            refunded = bool(course.sudo().refund_line_id)
            course.sessions_left = 0 if refunded else course.sessions_total - used
            if refunded:
                course.state = "refunded"
            elif course.expired:
                course.state = "expired"
            elif used >= course.sessions_total:
                course.state = "used"
            else:
                course.state = "active"

    @api.depends("amount_total", "appointment_ids.randevu_course_move_id", "breakage_move_id", "refund_amount")
    def _compute_amount_left(self):
        # sudo: the recognition entries are the accountant's; only their amounts are read.
        for course in self:
            course.amount_left = course.amount_total - course.sudo()._randevu_amount_recognised() - course.refund_amount

    @api.model_create_multi
    def create(self, vals_list):
        courses = super().create(vals_list)
        # sudo: the flag telling bookings to look for a course is set by the sale itself.
        courses.partner_id.sudo().filtered(lambda partner: not partner.randevu_has_course).randevu_has_course = True
        return courses

    # ------------------------------------------------------------------ sale
    @api.model
    def _randevu_create_from_lines(self, lines):
        """The courses sold by the paid POS order lines `lines` (course products): one per
        unit, for the order's customer at the order's branch, valid from the order's day.
        Refused (UserError) for an order without customer: a course belongs to someone."""
        vals_list = []
        for line in lines:
            order = line.order_id
            template = line.product_id.product_tmpl_id
            if not order.partner_id:
                raise UserError(
                    self.env._(
                        "%(course)s is a course of sessions: choose the customer it is for.", course=template.name
                    )
                )
            units = int(line.qty)
            if units != line.qty or units < 1:
                raise UserError(self.env._("%(course)s is sold by whole units.", course=template.name))
            day = fields.Date.context_today(self.with_context(tz=order.company_id.randevu_tz), order.date_order)
            amount = order.currency_id.round(line.price_subtotal / units)
            vals_list += [
                {
                    "partner_id": order.partner_id.id,
                    "company_id": order.company_id.id,
                    "product_id": template.id,
                    "service_id": template.randevu_course_service_id.id,
                    "pos_order_line_id": line.id,
                    "sale_date": day,
                    "expiry_date": day + relativedelta(months=template.randevu_course_validity_months),
                    "sessions_total": template.randevu_course_sessions,
                    "amount_total": amount,
                }
                for __ in range(units)
            ]
        return self.create(vals_list)

    # ------------------------------------------------------------------ refund
    @api.model
    def _randevu_refund_from_lines(self, lines):
        """The paid refund lines `lines` (of course products) cancel as many of the
        courses their refunded line sold, those with the most balance left first. A
        course refunded gives back at most its balance left (the sessions performed are
        revenue already): the refund line's price per unit, without taxes, is what
        leaves the deferred revenue at the till's closing; what is left of the balance
        above it is recognised to revenue at once (kept by the salon), so the course owes
        nothing more and its expiry recognises nothing. Refused (UserError, nothing
        saved) while an appointment booked on the course is still to come (cancel it or
        perform it first), or for more than the balance left."""
        for line in lines:
            units = int(-line.qty)
            if units != -line.qty or units < 1:
                raise UserError(
                    self.env._("%(course)s is refunded by whole units.", course=line.product_id.display_name)
                )
            courses = self.search(
                [("pos_order_line_id", "=", line.refunded_orderline_id.id), ("refund_line_id", "=", False)]
            )
            courses = courses.filtered(lambda course: not course.expired).sorted(
                lambda course: (-course.amount_left, -course.id)
            )[:units]
            if len(courses) < units:
                raise UserError(
                    self.env._(
                        "%(course)s: no course left to refund (already refunded or expired).",
                        course=line.product_id.display_name,
                    )
                )
            currency = line.order_id.currency_id
            amount = currency.round(-line.price_subtotal / units)
            for course in courses:
                pending = course.appointment_ids.filtered(lambda appt: appt.state not in FREEING_STATES + EARNED_STATES)
                if pending:
                    raise UserError(
                        self.env._(
                            "%(course)s has sessions booked and not performed yet (%(count)s): cancel them "
                            "before refunding the course.",
                            course=course.name,
                            count=len(pending),
                        )
                    )
                left = currency.round(course.amount_left)
                if currency.compare_amounts(amount, left) > 0:
                    raise UserError(
                        self.env._(
                            "%(course)s has %(left)s left to refund (the sessions performed are paid for): "
                            "lower the refund's price to at most that.",
                            course=course.name,
                            left=format_amount(self.env, left, currency),
                        )
                    )
                course.write({"refund_line_id": line.id, "refund_amount": amount})
                label = self.env._("Course refunded, balance kept: %(course)s", course=course.name)
                course.breakage_move_id = course._randevu_recognise(
                    currency.round(left - amount), label, course.company_id._randevu_local_today()
                )
        return True

    # ------------------------------------------------------------------ booking
    @api.model
    def _randevu_course_for(self, partner, company, service, day):
        """The customer's course covering `service` at `company` on `day` with a session
        left, its row locked (FOR UPDATE) so that two bookings at once never use more
        sessions than were sold: the second waits for the first's commit, then fails on
        REPEATABLE READ and its request is retried, seeing the session used."""
        # sudo: any channel books (the public user online, a chat bot): the course is
        # the customer's, looked up for this booking only.
        Course_sudo = self.sudo()
        candidates = Course_sudo.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("service_id", "=", service.id),
                ("state", "=", "active"),
                ("sale_date", "<=", day),
                ("expiry_date", ">=", day),
            ]
        )
        if not candidates:
            return self.browse()
        self.env.cr.execute(
            "SELECT id FROM randevu_course WHERE id IN %s ORDER BY id FOR UPDATE", [tuple(candidates.ids)]
        )
        candidates.invalidate_recordset(["sessions_used", "sessions_left", "state"])
        return self.browse(candidates.filtered(lambda course: course.sessions_left > 0)[:1].ids)

    # ------------------------------------------------------------------ accounting
    def _randevu_amount_recognised(self):
        """What of this course is revenue already: its sessions' posted entries (not
        reversed) and its expiry entry, from the ledger itself."""
        self.ensure_one()
        moves = self.appointment_ids.randevu_course_move_id | self.breakage_move_id
        moves = moves.filtered(lambda move: move.state == "posted" and not move.reversal_move_ids)
        account = self.company_id._randevu_course_account()
        lines = moves.line_ids.filtered(lambda line: line.account_id == account)
        return sum(lines.mapped("debit")) - sum(lines.mapped("credit"))

    def _randevu_recognise(self, amount, label, date):
        """A posted entry moving `amount` of this course from deferred revenue to the
        service's income account; None when there is nothing to move."""
        self.ensure_one()
        if float_is_zero(amount, precision_rounding=self.currency_id.rounding):
            return self.env["account.move"]
        company = self.company_id
        journal = company._randevu_course_journal()
        deferred = company._randevu_course_account()
        income = self.service_id.product_variant_id.with_company(company)._get_product_accounts()["income"]
        if not (journal and deferred and income):
            raise UserError(
                self.env._(
                    "%(branch)s has no chart of accounts, miscellaneous journal or income account for "
                    "%(service)s: the course session cannot be recognised.",
                    branch=company.name,
                    service=self.service_id.name,
                )
            )
        # sudo: recognising revenue is the ledger's consequence of a session performed,
        # whoever marks it done (staff are not accountants).
        move_sudo = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": label,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": label,
                                "account_id": deferred.id,
                                "debit": amount,
                                "credit": 0.0,
                                "partner_id": self.partner_id.id,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "name": label,
                                "account_id": income.id,
                                "debit": 0.0,
                                "credit": amount,
                                "partner_id": self.partner_id.id,
                            },
                        ),
                    ],
                }
            )
        )
        move_sudo.action_post()
        return self.env["account.move"].browse(move_sudo.id)

    def _randevu_session_amount(self):
        """The share of the course a session earns: the amount divided by the sessions,
        the last session taking what is left (so the shares add up to the amount)."""
        self.ensure_one()
        left = self.currency_id.round(self.amount_total - self._randevu_amount_recognised())
        earned = self.appointment_ids.filtered("randevu_course_move_id")
        if len(earned) + 1 >= self.sessions_total:
            return max(left, 0.0)
        return max(min(self.currency_id.round(self.amount_total / self.sessions_total), left), 0.0)

    # ------------------------------------------------------------------ expiry
    @api.model
    def _cron_expire(self, batch_size=100):
        """Courses past their expiry date (the branch's local day) become expired and
        the balance left is recognised to revenue, one entry per course. Idempotent: an
        expired course is not taken again."""
        tomorrow = fields.Date.today() + relativedelta(days=1)
        courses = self.search([("expired", "=", False), ("refund_line_id", "=", False), ("expiry_date", "<", tomorrow)])
        due = courses.filtered(lambda course: course.expiry_date < course.company_id._randevu_local_today())
        done = 0
        for batch in split_every(batch_size, due.ids, self.browse):
            batch._randevu_expire()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
        return due

    def _randevu_expire(self):
        for course in self:
            course.expired = True
            left = course.currency_id.round(course.amount_total - course._randevu_amount_recognised())
            label = self.env._("Course expired: %(course)s", course=course.name)
            course.breakage_move_id = course._randevu_recognise(left, label, course.expiry_date)

    # ------------------------------------------------------------------ demo
    @api.model
    def _randevu_demo_course(self, product_id, partner_id):
        """Demo data only: the customer `partner_id` bought the course product
        `product_id` at its branch 40 days ago (as the till would have sold it) and had
        her first session two weeks ago, done (its share recognised). Idempotent."""
        product = self.env["product.template"].browse(product_id).exists()
        partner = self.env["res.partner"].browse(partner_id).exists()
        branch = product.company_id
        if not (product and partner and branch) or self.search_count([("partner_id", "=", partner.id)]):
            return self.browse()
        today = branch._randevu_local_today()
        sold = today - relativedelta(days=40)
        course = self.create(
            {
                "partner_id": partner.id,
                "company_id": branch.id,
                "product_id": product.id,
                "service_id": product.randevu_course_service_id.id,
                "sale_date": sold,
                "expiry_date": sold + relativedelta(months=product.randevu_course_validity_months),
                "sessions_total": product.randevu_course_sessions,
                "amount_total": product.list_price,
            }
        )
        service = course.service_id
        start = branch._randevu_day_bounds(today - relativedelta(days=14))[0] + relativedelta(hours=10)
        appointment = self.env["randevu.appointment"].create(
            {
                "company_id": branch.id,
                "partner_id": partner.id,
                "service_id": service.id,
                "employee_id": service.randevu_staff_line_ids[:1].employee_id.id,
                "start": start,
                "hours_override": True,
                "resource_ids": [(6, 0, service.randevu_resource_ids[:1].ids)],
            }
        )
        if branch.root_id.chart_template and appointment.randevu_course_id == course:
            appointment.action_done()
        return course
