import io
from collections import defaultdict
from datetime import timedelta

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from odoo.addons.randevu_calendar.const import APPOINTMENT_HOLDING_STATES
from odoo.addons.randevu_calendar.tools.intervals import intersect, normalize

from ..models.report_pos_order import PAID_ORDER_STATES

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RandevuReportWizard(models.TransientModel):
    """A period (local days of each branch) and branches, for the owner's and the
    accountant's reports: revenue (Odoo's POS analysis with the performer), revenue per
    payment method (`pos.payment`), staff utilisation and no-show cost, in pivot and
    graph views or as one XLSX file."""

    _name = "randevu.report.wizard"
    _description = "Randevu Reports"

    def _default_date_to(self):
        # Today at the active branch, as the period's days are (not in the user's time
        # zone, nor UTC's: after midnight at the salon, today is already the new day).
        return self.env.company._randevu_local_today()

    def _default_date_from(self):
        return self._default_date_to().replace(day=1)

    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(string="To", required=True, default=_default_date_to)
    branch_ids = fields.Many2many(
        "res.company",
        string="Branches",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="XLSX File", readonly=True)

    _sql_constraints = [
        ("period_check", "CHECK(date_from <= date_to)", "The period must end on or after its first day."),
    ]

    # ------------------------------------------------------------------ domains
    @api.constrains("branch_ids")
    def _check_branches(self):
        """Only the branches given to the user (their companies) are reported on."""
        # sudo: another company's record rules would hide it from the user's own read,
        # and the check must see every branch asked for.
        foreign = self.sudo().branch_ids - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You may only report on your own branches, not on %(branches)s.",
                    branches=", ".join(foreign.sudo().mapped("name")),  # sudo: naming what is refused
                )
            )

    def _branch_bounds(self):
        """{branch: (start, stop)} naive UTC bounds of the period's local days at each branch."""
        self.ensure_one()
        self._check_branches()
        if not self.branch_ids:
            raise UserError(self.env._("Choose at least one branch."))
        return {branch: branch._randevu_day_bounds(self.date_from, self.date_to) for branch in self.branch_ids}

    def _revenue_domain(self):
        """Lines of Odoo's POS analysis (report.pos.order) counted as revenue: paid orders
        of the branches, dated within the period's local days at their branch."""
        return expression.AND(
            [
                [("state", "in", PAID_ORDER_STATES)],
                expression.OR(
                    [
                        [("company_id", "=", branch.id), ("date", ">=", start), ("date", "<", stop)]
                        for branch, (start, stop) in self._branch_bounds().items()
                    ]
                ),
            ]
        )

    def _consolidated_domain(self):
        """Lines of the consolidated revenue (randevu.revenue.consolidated: paid orders
        only) of the branches, dated within the period's local days at their branch."""
        return expression.OR(
            [
                [("company_id", "=", branch.id), ("date", ">=", start), ("date", "<", stop)]
                for branch, (start, stop) in self._branch_bounds().items()
            ]
        )

    def _payment_domain(self):
        """Payments (pos.payment) of the paid orders of the branches within the period."""
        return expression.AND(
            [
                [("pos_order_id.state", "in", PAID_ORDER_STATES)],
                expression.OR(
                    [
                        [("company_id", "=", branch.id), ("payment_date", ">=", start), ("payment_date", "<", stop)]
                        for branch, (start, stop) in self._branch_bounds().items()
                    ]
                ),
            ]
        )

    # ------------------------------------------------------------------ utilisation
    def _utilisation_values(self):
        """One dict per staff member, branch and local day of the period with working
        time or no-shows: available hours (the availability engine's working time:
        hours, breaks, leave, closures), booked hours (appointments holding time, within
        the working time, as the owner's overview counts them), no-shows and their
        price. A fixed number of queries per branch, whatever the staff and the days."""
        self.ensure_one()
        Availability = self.env["randevu.availability"]
        days = [self.date_from + timedelta(days=offset) for offset in range((self.date_to - self.date_from).days + 1)]
        values = []
        for branch, (start, stop) in self._branch_bounds().items():
            # Read as the user: the branch's record rules decide which appointments count.
            appointments = (
                self.env["randevu.appointment"]
                .with_company(branch)
                .search_fetch(
                    [
                        ("company_id", "=", branch.id),
                        ("start", "<", stop),
                        ("stop", ">", start),
                        ("employee_id", "!=", False),
                        ("state", "in", (*APPOINTMENT_HOLDING_STATES, "no_show")),
                    ],
                    ["employee_id", "start", "stop", "state", "price"],
                )
            )
            # sudo: accountants and managers are not HR officers; only the ids of the
            # branch's bookable staff are read here, and the engine reads schedules as superuser.
            staff_sudo = (
                self.env["hr.employee"]
                .sudo()
                .search([("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)])
            )
            staff_sudo |= appointments.employee_id.sudo()
            plan = Availability._load(branch, staff_sudo, self.env["resource.resource"], start, stop)
            clock = branch._randevu_clock()
            # The period's local days, contiguous: clipping to them splits time at midnight.
            windows = [branch._randevu_day_bounds(day) for day in days]

            def hours_per_day(intervals, clock=clock, windows=windows):
                totals = defaultdict(float)
                for piece_start, piece_stop in intersect(intervals, windows):
                    totals[clock.local_day(piece_start)] += (piece_stop - piece_start).total_seconds() / 3600
                return totals

            held, no_shows = defaultdict(list), defaultdict(list)
            for appointment in appointments:
                if appointment.state == "no_show":
                    no_shows[(appointment.employee_id.id, clock.local_day(appointment.start))].append(appointment.price)
                else:
                    held[appointment.employee_id.id].append((appointment.start, appointment.stop))
            for employee in staff_sudo:
                work = plan["work"][employee.id].intervals
                available_per_day = hours_per_day(work)
                booked_per_day = hours_per_day(intersect(normalize(held[employee.id]), work))
                for day in days:
                    available, booked = available_per_day.get(day, 0.0), booked_per_day.get(day, 0.0)
                    prices = no_shows.get((employee.id, day), [])
                    if not (available or booked or prices):
                        continue
                    values.append(
                        {
                            "wizard_id": self.id,
                            "company_id": branch.id,
                            "employee_id": employee.id,
                            "date": day,
                            "available_hours": round(available, 2),
                            "booked_hours": round(booked, 2),
                            "free_hours": round(available - booked, 2),
                            "no_show_count": len(prices),
                            "no_show_cost": sum(prices),
                        }
                    )
        return values

    def _make_utilisation(self):
        """The utilisation lines of this period and these branches, computed afresh."""
        self.ensure_one()
        Report = self.env["randevu.utilisation.report"]
        Report.search([("wizard_id", "=", self.id)]).unlink()
        return Report.create(self._utilisation_values())

    # ------------------------------------------------------------------ actions
    def _report_context(self):
        return {"search_default_group_company": 1}

    def action_open_utilisation(self):
        self.ensure_one()
        self._make_utilisation()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.randevu_utilisation_report_action")
        action["domain"] = [("wizard_id", "=", self.id)]
        action["display_name"] = self._period_label()
        return action

    def action_open_revenue(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.report_pos_order_action_randevu")
        action["domain"] = self._revenue_domain()
        action["display_name"] = self._period_label()
        return action

    def action_open_consolidated(self):
        """The revenue of the branches in the active company's currency (today's rates)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.randevu_revenue_consolidated_action")
        action["domain"] = self._consolidated_domain()
        action["display_name"] = self._period_label()
        action["context"] = {"search_default_group_company": 1}
        return action

    def action_open_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.pos_payment_action_randevu")
        action["domain"] = self._payment_domain()
        action["display_name"] = self._period_label()
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        # An attachment of the run, its type given: Odoo does not have to guess it from the bytes.
        self.xlsx_attachment_id = self.env["ir.attachment"].create(
            {
                "name": self._xlsx_filename(),
                "raw": self._xlsx_content(),
                "mimetype": XLSX_MIMETYPE,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/{self.xlsx_attachment_id.id}?download=true",
        }

    # ------------------------------------------------------------------ XLSX
    def _period_label(self):
        return self.env._(
            "%(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _xlsx_filename(self):
        return f"randevu-reports-{self.date_from}-{self.date_to}.xlsx"

    @api.model
    def _group_label(self, value):
        """A read_group value as text: a record's name, a boolean as Yes/No."""
        if isinstance(value, models.BaseModel):
            return value.display_name or self.env._("None")
        if isinstance(value, bool):
            return self.env._("Yes") if value else self.env._("No")
        return str(value)

    def _xlsx_revenue_rows(self):
        """(branch, currency, performer, product, service?, quantity, untaxed, total)
        from Odoo's POS analysis (amounts in the branch's currency)."""
        groups = self.env["report.pos.order"]._read_group(
            self._revenue_domain(),
            ["company_id", "randevu_employee_id", "product_id", "randevu_is_service"],
            ["product_qty:sum", "price_subtotal_excl:sum", "price_total:sum"],
            order="company_id, randevu_employee_id, product_id",
        )
        return [
            [
                self._group_label(branch),
                branch.currency_id.name,
                self._group_label(employee),
                self._group_label(product),
                self._group_label(service),
                qty,
                untaxed,
                total,
            ]
            for branch, employee, product, service, qty, untaxed, total in groups
        ]

    def _xlsx_payment_rows(self):
        """(branch, currency, payment method, amount) of the paid orders' payments."""
        groups = self.env["pos.payment"]._read_group(
            self._payment_domain(), ["company_id", "payment_method_id"], ["amount:sum"], order="company_id"
        )
        return [
            [self._group_label(branch), branch.currency_id.name, self._group_label(method), amount]
            for branch, method, amount in groups
        ]

    def _xlsx_utilisation_rows(self):
        """(branch, currency, staff, available, booked, no-shows, no-show cost) over the
        period, from the utilisation lines."""
        lines = self._make_utilisation()
        groups = lines._read_group(
            [("id", "in", lines.ids)],
            ["company_id", "employee_id"],
            ["available_hours:sum", "booked_hours:sum", "no_show_count:sum", "no_show_cost:sum"],
            order="company_id, employee_id",
        )
        return [
            [self._group_label(branch), branch.currency_id.name, self._group_label(employee), *figures]
            for branch, employee, *figures in groups
        ]

    def _commission_domain(self):
        """Commission lines (randevu.commission.line) of the branches dated within the
        period's local days, of every commission period computed or approved."""
        return expression.OR(
            [
                [("company_id", "=", branch.id), ("date", ">=", start), ("date", "<", stop)]
                for branch, (start, stop) in self._branch_bounds().items()
            ]
        )

    def _xlsx_commission_rows(self):
        """(branch, currency, staff, commission period, base, commission) of the
        commission lines."""
        # sudo: the accountant books the commissions without reading the staff's lines
        # one by one; only the sums of the branches checked above (_branch_bounds).
        groups = (
            self.env["randevu.commission.line"]
            .sudo()
            ._read_group(
                self._commission_domain(),
                ["company_id", "employee_id", "period_id"],
                ["base:sum", "amount:sum"],
                order="company_id, employee_id, period_id",
            )
        )
        return [
            [
                self._group_label(branch),
                branch.currency_id.name,
                self._group_label(employee),
                self._group_label(period),
                base,
                amount,
            ]
            for branch, employee, period, base, amount in groups
        ]

    def _xlsx_receivable_rows(self):
        """(branch, currency, customer, 0-30, 31-60, 61-90, 90+, total due) of the
        receivables aging today (randevu.receivable.aging, under its record rules)."""
        groups = self.env["randevu.receivable.aging"]._read_group(
            [("company_id", "in", self.branch_ids.ids)],
            ["company_id", "partner_id"],
            [
                "amount_0_30:sum",
                "amount_31_60:sum",
                "amount_61_90:sum",
                "amount_90_plus:sum",
                "amount_residual:sum",
            ],
            order="company_id, partner_id",
        )
        return [
            [self._group_label(branch), branch.currency_id.name, self._group_label(partner), *amounts]
            for branch, partner, *amounts in groups
        ]

    def _xlsx_course_rows(self):
        """(branch, currency, customer, course, sessions left, amount left) of the courses
        still owed today (not expired nor refunded, sessions or balance left), under the
        course's record rules: the Course Liabilities pivot, customer by customer."""
        courses = self.env["randevu.course"].search(
            [("company_id", "in", self.branch_ids.ids), ("state", "in", ("active", "used"))],
            order="company_id, partner_id, expiry_date, id",
        )
        return [
            [
                self._group_label(course.company_id),
                course.currency_id.name,
                self._group_label(course.partner_id),
                course.name,
                course.sessions_left,
                course.amount_left,
            ]
            for course in courses
            if course.sessions_left or not course.currency_id.is_zero(course.amount_left)
        ]

    def _consolidation_env(self):
        """The consolidated revenue model with the active company first (its currency and
        its rates convert) and the branches of the run active too (the currency table
        covers the active companies only)."""
        companies = self.env.company | self.branch_ids
        return self.env["randevu.revenue.consolidated"].with_context(allowed_company_ids=companies.ids)

    def _xlsx_consolidated_rows(self):
        """(branch, currency, untaxed, incl. taxes, rate) per branch of the run, amounts in
        the branch's currency, the rate converting them into the active company's currency
        (the same rates as the Consolidated Revenue pivot)."""
        Consolidated = self._consolidation_env()
        rates = Consolidated._consolidation_rates()
        totals = {
            branch: (untaxed, total)
            for branch, untaxed, total in Consolidated._read_group(
                self._consolidated_domain(),
                ["company_id"],
                ["branch_amount_untaxed:sum", "branch_amount_total:sum"],
            )
        }
        return [
            [
                self._group_label(branch),
                branch.currency_id.name,
                *totals.get(branch, (0.0, 0.0)),
                rates.get(branch.id, 1.0),
            ]
            for branch in self.branch_ids.sorted("name")
        ]

    def _xlsx_write_consolidated(self, workbook, formats):
        """The "Consolidated" sheet: per branch its revenue in its currency, the rate and
        the converted amounts as formulas (=C*E, their values cached), and =SUM() totals of
        the converted columns; the rates' date and the consolidation currency on top."""
        _ = self.env._
        bold, number, total_number = formats
        rate_format = workbook.add_format({"num_format": "0.000000"})
        currency = self.env.company.currency_id.name
        sheet = workbook.add_worksheet(_("Consolidated"))
        sheet.write(0, 0, _("Consolidated"), bold)
        sheet.write(1, 0, _("Branches"), bold)
        sheet.write(1, 1, ", ".join(self.branch_ids.sorted("name").mapped("name")))
        sheet.write(2, 0, _("Period"), bold)
        sheet.write(2, 1, self._period_label())
        sheet.write(3, 0, _("Rates of"), bold)
        sheet.write(3, 1, fields.Date.to_string(fields.Date.today()))
        sheet.write(3, 2, _("Currency"), bold)
        sheet.write(3, 3, currency)
        headers = [
            _("Branch"),
            _("Currency"),
            _("Untaxed Revenue"),
            _("Revenue incl. Taxes"),
            _("Rate"),
            _("Untaxed Revenue (%(currency)s)", currency=currency),
            _("Revenue incl. Taxes (%(currency)s)", currency=currency),
        ]
        header_row, first_row = 4, 5
        for column, header in enumerate(headers):
            sheet.write(header_row, column, header, bold)
        rows = self._xlsx_consolidated_rows()
        converted = {5: [], 6: []}
        for offset, (branch, branch_currency, untaxed, total, rate) in enumerate(rows):
            row, line = first_row + offset, first_row + offset + 1
            sheet.write(row, 0, branch)
            sheet.write(row, 1, branch_currency)
            sheet.write_number(row, 2, untaxed, number)
            sheet.write_number(row, 3, total, number)
            sheet.write_number(row, 4, rate, rate_format)
            for column, letter, amount in ((5, "C", untaxed), (6, "D", total)):
                converted[column].append(amount * rate)
                sheet.write_formula(row, column, f"={letter}{line}*E{line}", number, amount * rate)
        total_row = first_row + len(rows)
        sheet.write(total_row, 0, _("Total"), bold)
        sheet.write(total_row, 1, currency, bold)
        for column, values in converted.items():
            letter = xl_col_to_name(column)
            formula = f"=SUM({letter}{first_row + 1}:{letter}{total_row})" if rows else "=0"
            sheet.write_formula(total_row, column, formula, total_number, sum(values))
        sheet.set_column(0, len(headers) - 1, 18)

    def _xlsx_sheets(self):
        """(title, headers, rows, summed columns, money columns) of each sheet; the
        receivables (aging today, not over the period) for who may read the aging."""
        _ = self.env._
        receivables = []
        if self.env["randevu.receivable.aging"].has_access("read"):
            receivables = [
                (
                    _("Receivables"),
                    [
                        _("Branch"),
                        _("Currency"),
                        _("Customer"),
                        _("0-30"),
                        _("31-60"),
                        _("61-90"),
                        _("90+"),
                        _("Amount Due"),
                    ],
                    self._xlsx_receivable_rows(),
                    (3, 4, 5, 6, 7),
                    (3, 4, 5, 6, 7),
                )
            ]
        courses = []
        if self.env["randevu.course"].has_access("read"):
            courses = [
                (
                    _("Course Liabilities"),
                    [_("Branch"), _("Currency"), _("Customer"), _("Course"), _("Sessions Left"), _("Balance Left")],
                    self._xlsx_course_rows(),
                    (4, 5),
                    (5,),
                )
            ]
        return [
            (
                _("Revenue"),
                [
                    _("Branch"),
                    _("Currency"),
                    _("Performed By"),
                    _("Product"),
                    _("Appointment Service"),
                    _("Quantity"),
                    _("Untaxed Revenue"),
                    _("Revenue incl. Taxes"),
                ],
                self._xlsx_revenue_rows(),
                (5, 6, 7),
                (6, 7),
            ),
            (
                _("Payment Methods"),
                [_("Branch"), _("Currency"), _("Payment Method"), _("Amount")],
                self._xlsx_payment_rows(),
                (3,),
                (3,),
            ),
            (
                _("Utilisation"),
                [
                    _("Branch"),
                    _("Currency"),
                    _("Staff"),
                    _("Available Hours"),
                    _("Booked Hours"),
                    _("No-shows"),
                    _("No-show Cost"),
                    _("Utilisation"),
                ],
                self._xlsx_utilisation_rows(),
                (3, 4, 5, 6),
                (6,),
            ),
            (
                _("Commissions"),
                [_("Branch"), _("Currency"), _("Staff"), _("Commission Period"), _("Base"), _("Commission")],
                self._xlsx_commission_rows(),
                (4, 5),
                (4, 5),
            ),
            *receivables,
            *courses,
        ]

    def _xlsx_content(self):
        """The reports as one workbook: the branches and the period at the top of each
        sheet, one row per group, and total rows of formulas (their values cached, so
        that a reader without a calculation engine sees them too): =SUM() of each
        column, or, when the branches have several currencies, one row per currency
        (=SUMIF() on the currency column) for the amounts."""
        self.ensure_one()
        _ = self.env._
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.00"})
        total_number = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        percent = workbook.add_format({"num_format": "0.0%"})
        branches = ", ".join(self.branch_ids.sorted("name").mapped("name"))
        currencies = sorted(set(self.branch_ids.currency_id.mapped("name")))
        header_row, first_row = 4, 5
        for title, headers, rows, summed, money in self._xlsx_sheets():
            sheet = workbook.add_worksheet(title)
            sheet.write(0, 0, title, bold)
            sheet.write(1, 0, _("Branches"), bold)
            sheet.write(1, 1, branches)
            sheet.write(2, 0, _("Period"), bold)
            sheet.write(2, 1, self._period_label())
            for column, header in enumerate(headers):
                sheet.write(header_row, column, header, bold)
            utilisation = len(headers) > len(rows[0]) if rows else False
            for offset, row in enumerate(rows):
                for column, value in enumerate(row):
                    sheet.write(first_row + offset, column, value, number if isinstance(value, float) else None)
                if utilisation:  # booked / available, as a formula too
                    line = first_row + offset + 1
                    sheet.write_formula(
                        first_row + offset,
                        len(row),
                        f"=IF(D{line}=0,0,E{line}/D{line})",
                        percent,
                        row[4] / row[3] if row[3] else 0,
                    )
            last = first_row + len(rows)  # the 1-based number of the last data row
            total_row = first_row + len(rows)
            per_currency = len(currencies) > 1
            sheet.write(total_row, 0, _("Total"), bold)
            for column in summed:
                letter = xl_col_to_name(column)
                if per_currency and column in money:
                    continue
                formula = f"=SUM({letter}{first_row + 1}:{letter}{last})" if rows else "=0"
                sheet.write_formula(total_row, column, formula, total_number, sum(row[column] for row in rows))
            if per_currency:
                for index, currency in enumerate(currencies, start=1):
                    sheet.write(total_row + index, 0, _("Total"), bold)
                    sheet.write(total_row + index, 1, currency, bold)
                    for column in money:
                        letter = xl_col_to_name(column)
                        formula = (
                            f'=SUMIF(B{first_row + 1}:B{last},"{currency}",{letter}{first_row + 1}:{letter}{last})'
                            if rows
                            else "=0"
                        )
                        value = sum(row[column] for row in rows if row[1] == currency)
                        sheet.write_formula(total_row + index, column, formula, total_number, value)
            sheet.set_column(0, len(headers) - 1, 18)
        self._xlsx_write_consolidated(workbook, (bold, number, total_number))
        workbook.close()
        return buffer.getvalue()
