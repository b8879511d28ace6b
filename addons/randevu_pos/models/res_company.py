from datetime import timedelta

from odoo import api, models
from odoo.fields import Command

# Code the "Deferred revenue (courses)" liability account is created near (a free one).
COURSE_ACCOUNT_CODE = "2195"


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _randevu_demo_pos_tills(self, branch_ids):
        """Demo data only: a till in each of the branches `branch_ids` that has a chart of
        accounts (randevu_account's demo loads Odoo's generic one), in the branch's currency,
        taking cash, card (the branch's bank journal), the customer's account (pay later)
        and the deposits paid online (`randevu_deposit`). Odoo's own helper creates the
        first three as it does for a new shop. Idempotent.

        :return: the branches' demo tills
        """
        configs = self.env["pos.config"]
        for branch in self.browse(branch_ids).exists().filtered("chart_template"):
            Config = self.env["pos.config"].with_company(branch)
            name = self.env._("%(branch)s Front Desk", branch=branch.name)
            config = Config.search([("company_id", "=", branch.id), ("name", "=", name)], limit=1)
            if not config:
                journal, method_ids = Config._create_journal_and_payment_methods(
                    cash_journal_vals={"name": self.env._("Cash %(branch)s", branch=branch.name)}
                )
                Method = self.env["pos.payment.method"].with_company(branch)
                deposit = Method.search([("company_id", "=", branch.id), ("randevu_deposit", "=", True)], limit=1)
                if not deposit:
                    deposit = Method.create(
                        {
                            "name": self.env._("Deposit"),
                            "company_id": branch.id,
                            "split_transactions": True,
                            "randevu_deposit": True,
                            "sequence": 3,
                        }
                    )
                config = Config.create(
                    {
                        "name": name,
                        "company_id": branch.id,
                        "journal_id": journal.id,
                        "payment_method_ids": [Command.set([*method_ids, deposit.id])],
                    }
                )
            configs |= config
        configs._randevu_demo_salon_catalogue()
        return configs

    @api.model
    def _randevu_demo_pos_cashiers(self, branch_ids):
        """Demo data only: the demo tills of the branches `branch_ids` log in with
        employees (pos_hr): the front desk (Merve, an employee of each branch, PIN 1111)
        and the branch's staff (PINs 2001, 2002...) as basic employees, the owner (admin,
        an employee of each branch, PIN 9999) as advanced. The owner's PIN also approves
        refunds. Idempotent.

        :return: the tills
        """
        configs = self.env["pos.config"]
        Employee = self.env["hr.employee"]
        front_desk = self.env.ref("randevu_calendar.randevu_user_reception", raise_if_not_found=False)
        owner = self.env.ref("base.user_admin")
        for branch in self.browse(branch_ids).exists():
            config = self.env["pos.config"].search(
                [
                    ("company_id", "=", branch.id),
                    ("name", "=", self.env._("%(branch)s Front Desk", branch=branch.name)),
                ],
                limit=1,
            )
            if not config:
                continue

            def employee_of(user, pin, branch=branch):
                employee = Employee.search([("company_id", "=", branch.id), ("user_id", "=", user.id)], limit=1)
                if not employee:
                    employee = Employee.create({"name": user.name, "company_id": branch.id, "user_id": user.id})
                employee.pin = pin
                return employee

            staff = Employee.search([("company_id", "=", branch.id), ("randevu_bookable", "=", True)], order="name, id")
            for number, employee in enumerate(staff, start=1):
                employee.pin = str(2000 + number)
            basic = staff | (employee_of(front_desk, "1111") if front_desk else Employee)
            config.write(
                {
                    "module_pos_hr": True,
                    "basic_employee_ids": [Command.set(basic.ids)],
                    "advanced_employee_ids": [Command.set(employee_of(owner, "9999").ids)],
                }
            )
            configs |= config
        return configs

    @api.model
    def _randevu_demo_pos_deposits(self, branch_ids):
        """Demo data only: the deposits that randevu_calendar's demo marks paid on today's
        appointments of the branches `branch_ids` are paid for real with the branch's demo
        provider (payment_demo), so that the till deducts them: a done transaction, its
        customer payment posted. Does nothing without payment_demo; idempotent (only
        appointments without a done transaction).

        :return: the transactions made
        """
        transactions = self.env["payment.transaction"]
        method = self.env.ref("payment_demo.payment_method_demo", raise_if_not_found=False)
        for branch in self.browse(branch_ids).exists():
            provider = self.env["payment.provider"].search(
                [("code", "=", "demo"), ("company_id", "=", branch.id), ("state", "=", "test")], limit=1
            )
            if not (provider and method):
                continue
            day_start, day_stop = branch._randevu_day_bounds(branch._randevu_local_today())
            appointments = self.env["randevu.appointment"].search(
                [
                    ("company_id", "=", branch.id),
                    ("start", ">=", day_start),
                    ("start", "<", day_stop),
                    ("payment_state", "=", "deposit"),
                    ("partner_id", "!=", False),
                ]
            )
            for appointment in appointments.filtered(
                lambda appt: not appt.randevu_transaction_ids.filtered(lambda tx: tx.state == "done")
            ):
                # Marked by the demo without a payment: paid now, as the customer would have.
                appointment.payment_state = "not_paid"
                transaction = transactions.create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": method.id,
                        "reference": transactions._compute_reference(provider.code, prefix=f"DEMO-{appointment.id}"),
                        "amount": appointment.randevu_deposit_amount,
                        "currency_id": appointment.currency_id.id,
                        "partner_id": appointment.partner_id.id,
                        "randevu_appointment_ids": [Command.set(appointment.ids)],
                    }
                )
                transaction._set_done()
                transaction._post_process()
                transactions |= transaction
        return transactions

    @api.model
    def _randevu_demo_pos_history(self, branch_ids, days=3, orders_per_day=4):
        """Demo data only: closed sessions at each demo till of the branches `branch_ids`
        on the `days` open days before today, so that Reporting and Commissions show
        figures. Each session checks out up to `orders_per_day` visits of that day (done
        appointments of randevu_calendar's demo, one order per customer with a line per
        service and its performer; every other visit also buys the branch's retail product),
        paid by card or cash, through the till's own path (`sync_from_ui` as the front desk,
        then Odoo's closing). Then the commission rules of the branch and the period of the
        week of its last sales, computed. Dates are relative to today. Idempotent: a till with a closed
        session is left alone.

        :return: the closed sessions
        """
        reception = self.env.ref("randevu_calendar.randevu_user_reception", raise_if_not_found=False)
        sessions = self.env["pos.session"]
        if not reception:
            return sessions
        for branch in self.browse(branch_ids).exists().filtered("chart_template"):
            config = self.env["pos.config"].search(
                [
                    ("company_id", "=", branch.id),
                    ("name", "=", self.env._("%(branch)s Front Desk", branch=branch.name)),
                ],
                limit=1,
            )
            if not config or config.session_ids.filtered(lambda session: session.state == "closed"):
                continue
            retail = self._randevu_demo_retail_product(branch, config)
            today = branch._randevu_local_today()
            Appointment = self.env["randevu.appointment"]
            for offset in range(days, 0, -1):
                day_start, day_stop = branch._randevu_day_bounds(today - timedelta(days=offset))
                appointments = Appointment.search(
                    [
                        ("company_id", "=", branch.id),
                        ("start", ">=", day_start),
                        ("start", "<", day_stop),
                        ("state", "=", "done"),
                        ("partner_id", "!=", False),
                        ("service_id", "!=", False),
                    ],
                    order="start, id",
                )
                visits = {}
                for appointment in appointments:
                    if appointment.partner_id in visits or len(visits) < orders_per_day:
                        visits.setdefault(appointment.partner_id, Appointment)
                        visits[appointment.partner_id] |= appointment
                if visits:
                    sessions |= config._randevu_demo_day_session(reception, visits, retail)
            self._randevu_demo_commissions(branch, today)
        return sessions

    @api.model
    def _randevu_demo_retail_product(self, branch, config):
        """Demo data only: the branch's hair oil for sale at its till (in its currency)."""
        Product = self.env["product.product"]
        name = self.env._("Argan Hair Oil")
        product = Product.search([("company_id", "=", branch.id), ("name", "=", name)], limit=1)
        if not product:
            services = self.env["product.template"].search(
                [("company_id", "=", branch.id), ("is_appointment_service", "=", True)]
            )
            price = branch.currency_id.round(min(services.mapped("list_price") or [20.0]) / 2)
            product = Product.create(
                {
                    "name": name,
                    "type": "consu",
                    "company_id": branch.id,
                    "list_price": price,
                    "standard_price": branch.currency_id.round(price / 3),
                    "available_in_pos": True,
                    "pos_categ_ids": [Command.set(config.iface_available_categ_ids.ids)],
                    "taxes_id": [Command.clear()],
                }
            )
            # Named like the demo services in Turkish and French (this module's code
            # translations of the name, as the catalogue has them).
            langs = [code for code, _name in self.env["res.lang"].get_installed() if code in ("tr_TR", "fr_FR")]
            if langs:
                product.product_tmpl_id.update_field_translations(
                    "name", {lang: self.with_context(lang=lang).env._("Argan Hair Oil") for lang in langs}
                )
        return product

    @api.model
    def _randevu_demo_commissions(self, branch, today):
        """Demo data only: services earn 10% and retail 5% at the branch; the week's
        period of the last demo sales is computed."""
        Rule = self.env["randevu.commission.rule"]
        if not Rule.search_count([("company_id", "=", branch.id)]):
            Rule.create(
                [
                    {"name": self.env._("Services"), "company_id": branch.id, "applies_to": "service", "rate": 10},
                    {"name": self.env._("Retail"), "company_id": branch.id, "applies_to": "retail", "rate": 5},
                ]
            )
        Period = self.env["randevu.commission.period"].with_company(branch)
        # The week (Monday to Sunday) of the last demo day with sales, else of yesterday.
        last_order = self.env["pos.order"].search(
            [("company_id", "=", branch.id), ("state", "in", ("paid", "done", "invoiced"))],
            order="date_order desc",
            limit=1,
        )
        day = today - timedelta(days=1)
        if last_order:
            day = min(day, branch._randevu_local_day(last_order.date_order))
        date_from = Period._randevu_period_start("week", day)
        period = Period.search(
            [
                ("company_id", "=", branch.id),
                ("date_from", "<=", date_from + timedelta(days=6)),
                ("date_to", ">=", date_from),
            ]
        )
        if not period:
            period = Period.create({"company_id": branch.id, "period_type": "week", "date_from": date_from})
            # As the owner (a Randevu manager): computing is a manager's action.
            period.with_user(self.env.ref("base.user_admin")).with_company(branch).action_compute()
        return period

    def _randevu_course_account(self):
        """The "Deferred revenue (courses)" liability account of this company's chart
        (the root company's: branches share it), created the first time; an empty
        recordset without a chart."""
        self.ensure_one()
        root = self.root_id
        if not root.chart_template:
            return self.env["account.account"]
        # sudo: the chart is the accountant's; this is the one account courses sold are
        # booked on, created once per chart.
        accounts_sudo = self.env["account.account"].sudo().with_company(root)
        account_sudo = accounts_sudo.search(
            [*accounts_sudo._check_company_domain(root), ("randevu_course_deferred", "=", True)], limit=1
        )
        if not account_sudo:
            account_sudo = accounts_sudo.create(
                {
                    "name": self.env._("Deferred revenue (courses)"),
                    "code": accounts_sudo._search_new_account_code(COURSE_ACCOUNT_CODE),
                    "account_type": "liability_current",
                    "company_ids": root.ids,
                    "randevu_course_deferred": True,
                }
            )
        return self.env["account.account"].browse(account_sudo.id)

    def _randevu_course_journal(self):
        """The miscellaneous journal recognising this branch's course sessions (its own
        or its parent's: branches share their parent's journals)."""
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()  # sudo: read by the booking's user, who is no accountant
        return Journal.search([*Journal._check_company_domain(self), ("type", "=", "general")], order="id", limit=1)
