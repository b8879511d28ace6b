import io

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import RandevuPosCase

ACCOUNTANT = "base.group_user,randevu_pos.group_randevu_accountant"
# The second branch's currency per unit of the first's (the main company's rate of it).
RATE = 40.0


@tagged("post_install", "-at_install")
class TestConsolidatedReports(HttpCase, JsonRpcMixin, RandevuPosCase):
    """Revenue of two branches in two currencies, in one: Paris sells 100 in the main
    company's currency, Istanbul (a company of its own, in another currency) 480 in its
    own; at 40 of Istanbul's currency per unit of Paris's, the consolidation in Paris's
    currency is 100 + 480 / 40 = 112, in the pivot (read_group) and in the XLSX sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Noon at Paris on the fixtures' day: Istanbul (UTC+3) and UTC on the same date, at
        # whatever hour the suite runs (at 21:30 UTC, Istanbul's sale is already tomorrow's).
        freezer = freeze_time(cls.local(12))
        freezer.start()
        cls.addClassCleanup(freezer.stop)
        env = cls.env
        cls.main_currency = cls.branch.currency_id
        lira = env.ref("base.TRY")
        other = lira if cls.main_currency != lira else env.ref("base.EUR")
        other.active = True
        # Another currency needs a company of its own (Odoo's branches share their parent's).
        cls.istanbul = env["res.company"].create(
            {"name": "Salon Istanbul", "currency_id": other.id, "randevu_tz": "Europe/Istanbul"}
        )
        env["account.chart.template"].try_loading("generic_coa", cls.istanbul, install_demo=False)
        cls.istanbul.currency_id = other  # (the generic chart sets its own)
        journal = env["account.journal"].search([("company_id", "=", cls.istanbul.id), ("type", "=", "cash")], limit=1)
        cls.istanbul_cash = env["pos.payment.method"].create(
            {"name": "Cash", "journal_id": journal.id, "company_id": cls.istanbul.id}
        )
        cls.istanbul_config = (
            env["pos.config"]
            .with_company(cls.istanbul)
            .create(
                {
                    "name": "Istanbul Till",
                    "company_id": cls.istanbul.id,
                    "payment_method_ids": [Command.set(cls.istanbul_cash.ids)],
                }
            )
        )
        pos_user = "base.group_user,point_of_sale.group_pos_user,randevu_calendar.group_randevu_user"
        cls.istanbul_desk = cls.make_user("pos_desk_ist", pos_user, cls.istanbul)
        # Today's rates of the main company (the root of Paris, the active company below):
        # its own currency 1, Istanbul's 40.
        root = cls.branch.root_id
        Rate = env["res.currency.rate"]
        today = fields.Date.today()
        for currency, rate in ((cls.main_currency, 1.0), (other, RATE)):
            same_day = [("company_id", "=", root.id), ("currency_id", "=", currency.id), ("name", "=", today)]
            Rate.search(same_day).unlink()
            Rate.create({"company_id": root.id, "currency_id": currency.id, "name": today, "rate": rate})
        env.user.company_ids |= cls.istanbul
        cls.accountant = cls.make_user("cons_acc", ACCOUNTANT, cls.branch)
        cls.istanbul_accountant = cls.make_user("cons_acc_ist", ACCOUNTANT, cls.istanbul)

    def setUp(self):
        super().setUp()
        # Paris: a cut by Anna 60 and a shampoo 40; Istanbul: a shampoo at 480.
        session = self.open_session()
        data = self.order_data(session, [(self.cut.product_variant_id, 60, {"randevu_employee_id": self.anna.id})])
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        data = self.order_data(session, [(self.shampoo, 40, {})])
        self.env["pos.order"].with_user(self.desk).sync_from_ui([data])
        self.istanbul_config.with_user(self.istanbul_desk).open_ui()
        data = self.order_data(self.istanbul_config.current_session_id, [(self.shampoo, 480, {})])
        data["pricelist_id"] = self.istanbul_config.pricelist_id.id
        data["payment_ids"][0][2]["payment_method_id"] = self.istanbul_cash.id
        self.env["pos.order"].with_user(self.istanbul_desk).sync_from_ui([data])
        self.both = self.branch | self.istanbul
        self.Report = self.env["randevu.revenue.consolidated"].with_context(allowed_company_ids=self.both.ids)

    def wizard(self, branches):
        return (
            self.env["randevu.report.wizard"]
            .with_context(allowed_company_ids=self.both.ids)
            .create({"date_from": self.today, "date_to": self.today, "branch_ids": [Command.set(branches.ids)]})
        )

    def test_consolidated_totals(self):
        self.assertNotEqual(self.istanbul.currency_id, self.main_currency)
        wizard = self.wizard(self.both)
        domain = wizard._consolidated_domain()
        [(currency, untaxed, total)] = self.Report._read_group(
            domain, ["currency_id"], ["amount_untaxed:sum", "amount_total:sum"]
        )
        self.assertEqual(currency, self.main_currency, "the active company's currency")
        self.assertAlmostEqual(total, 100 + 480 / RATE, places=6)
        self.assertAlmostEqual(untaxed, 100 + 480 / RATE, places=6, msg="no tax on these lines")
        per_branch = {
            branch: (branch_currency, branch_total, rate, converted)
            for branch, branch_currency, branch_total, rate, converted in self.Report._read_group(
                domain,
                ["company_id", "branch_currency_id"],
                ["branch_amount_total:sum", "currency_rate:max", "amount_total:sum"],
            )
        }
        self.assertEqual(per_branch[self.branch][:3], (self.main_currency, 100, 1))
        self.assertEqual(per_branch[self.istanbul][:2], (self.istanbul.currency_id, 480), "in its own currency")
        self.assertAlmostEqual(per_branch[self.istanbul][2], 1 / RATE, places=6)
        self.assertAlmostEqual(per_branch[self.istanbul][3], 12, places=6)
        # The per-branch analysis is unchanged: each branch in its own currency.
        revenue = dict(
            self.env["report.pos.order"]
            .with_context(allowed_company_ids=self.both.ids)
            ._read_group(wizard._revenue_domain(), ["company_id"], ["price_total:sum"])
        )
        self.assertEqual(revenue, {self.branch: 100, self.istanbul: 480})
        # Per performer, in one currency: Anna's cut, the two shampoos nobody performed.
        per_employee = dict(self.Report._read_group(domain, ["randevu_employee_id"], ["amount_total:sum"]))
        self.assertAlmostEqual(per_employee[self.anna], 60, places=6)
        self.assertAlmostEqual(per_employee[self.env["hr.employee"]], 40 + 12, places=6)
        # The wizard's button opens the pivot on the same lines.
        action = wizard.action_open_consolidated()
        self.assertEqual(action["res_model"], "randevu.revenue.consolidated")
        self.assertEqual(self.Report.search_count(action["domain"]), 3)
        self.assertEqual(self.Report.search_count(self.wizard(self.branch)._consolidated_domain()), 2, "Paris only")

    def test_single_currency_rate_is_one(self):
        Report = self.env["randevu.revenue.consolidated"].with_context(allowed_company_ids=self.branch.ids)
        self.assertEqual(Report._consolidation_rates(), {self.branch.id: 1.0})
        domain = self.wizard(self.branch)._consolidated_domain()
        [(rate, branch_total, total)] = Report._read_group(
            domain, [], ["currency_rate:max", "branch_amount_total:sum", "amount_total:sum"]
        )
        self.assertEqual((rate, branch_total, total), (1, 100, 100))

    def test_xlsx_consolidated_sheet(self):
        wizard = self.wizard(self.both)
        content = wizard._xlsx_content()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Consolidated"]
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Consolidated"]
        self.assertEqual(values["B2"].value, "Salon Istanbul, Salon Paris")
        self.assertEqual((values["A4"].value, values["B4"].value), ("Rates of", str(fields.Date.today())))
        self.assertEqual((values["C4"].value, values["D4"].value), ("Currency", self.main_currency.name))
        rows = [[values.cell(row, column).value for column in range(1, 6)] for row in (6, 7)]
        self.assertEqual(rows[0][:4], ["Salon Istanbul", self.istanbul.currency_id.name, 480, 480])
        self.assertAlmostEqual(rows[0][4], 1 / RATE, places=6)
        self.assertEqual(rows[1], ["Salon Paris", self.main_currency.name, 100, 100, 1])
        for row in (6, 7):
            self.assertEqual(sheet[f"F{row}"].value, f"=C{row}*E{row}")
            self.assertEqual(sheet[f"G{row}"].value, f"=D{row}*E{row}")
        totals = (sheet["A8"].value, sheet["F8"].value, sheet["G8"].value)
        self.assertEqual(totals, ("Total", "=SUM(F6:F7)", "=SUM(G6:G7)"))
        # The cached values are the pivot's figures.
        groups = self.Report._read_group(wizard._consolidated_domain(), ["company_id"], ["amount_total:sum"])
        per_branch = {branch.name: total for branch, total in groups}
        self.assertAlmostEqual(values["G6"].value, per_branch["Salon Istanbul"], places=6)
        self.assertAlmostEqual(values["G7"].value, per_branch["Salon Paris"], places=6)
        [(untaxed, total)] = self.Report._read_group(
            wizard._consolidated_domain(), [], ["amount_untaxed:sum", "amount_total:sum"]
        )
        self.assertAlmostEqual(values["F8"].value, untaxed, places=6)
        self.assertAlmostEqual(values["G8"].value, total, places=6)
        self.assertAlmostEqual(values["G8"].value, 112, places=6)

    def test_accountant_sees_own_branch(self):
        """Through JSON-RPC: each branch's accountant reads its own lines only."""
        self.authenticate(self.accountant.login, self.accountant.login)
        groups = self.call_kw_result(
            "randevu.revenue.consolidated", "read_group", [], ["amount_total:sum"], ["company_id"], lazy=False
        )
        self.assertEqual([(group["company_id"][0], group["amount_total"]) for group in groups], [(self.branch.id, 100)])
        self.authenticate(self.istanbul_accountant.login, self.istanbul_accountant.login)
        groups = self.call_kw_result(
            "randevu.revenue.consolidated",
            "read_group",
            [],
            ["amount_total:sum", "currency_rate:max"],
            ["company_id"],
            lazy=False,
        )
        self.assertEqual(
            [(group["company_id"][0], group["amount_total"], group["currency_rate"]) for group in groups],
            [(self.istanbul.id, 480, 1)],
            "in its own currency, its only one",
        )
        # Paris's lines are not even rows for them (their currency table has no Paris).
        paris_ids = self.Report.search([("company_id", "=", self.branch.id)]).ids
        self.assertEqual(len(paris_ids), 2)
        self.assertEqual(self.call_kw_result("randevu.revenue.consolidated", "read", paris_ids, ["amount_total"]), [])
        answer = self.call_kw(
            "randevu.revenue.consolidated", "search_count", [], context={"allowed_company_ids": self.both.ids}
        )
        self.assert_access_error(answer, "activates Paris")
        visible = self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        self.assertIn(self.env.ref("randevu_pos.randevu_report_consolidated_menu").id, visible)

    def test_owner_consolidates_through_rpc(self):
        """The pivot's call: a manager of both branches working in both (Paris first)."""
        owner = self.make_user(
            "cons_owner", "base.group_user,randevu_calendar.group_randevu_manager", self.branch, companies=self.both
        )
        self.authenticate(owner.login, owner.login)
        groups = self.call_kw_result(
            "randevu.revenue.consolidated",
            "web_read_group",
            [],
            ["amount_total:sum", "branch_amount_total:sum"],
            ["company_id"],
            lazy=False,
            companies=self.both,
        )["groups"]
        figures = {group["company_id"][0]: (group["branch_amount_total"], group["amount_total"]) for group in groups}
        self.assertEqual(figures, {self.branch.id: (100, 100), self.istanbul.id: (480, 12)})

    def test_staff_and_cashiers_refused(self):
        manager = self.make_user("cons_boss", "base.group_user,randevu_calendar.group_randevu_manager", self.branch)
        self.authenticate(manager.login, manager.login)
        self.assertEqual(self.call_kw_result("randevu.revenue.consolidated", "search_count", []), 2)
        for login, groups in (
            ("cons_staff", "base.group_user,randevu_calendar.group_randevu_staff"),
            ("cons_user", "base.group_user,randevu_calendar.group_randevu_user"),
            ("cons_cash", "base.group_user,point_of_sale.group_pos_user"),
        ):
            with self.subTest(login=login):
                user = self.make_user(login, groups, self.branch)
                self.authenticate(login, login)
                answer = self.call_kw("randevu.revenue.consolidated", "search_count", [])
                self.assert_access_error(answer, login)
                visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                self.assertNotIn(self.env.ref("randevu_pos.randevu_report_consolidated_menu").id, visible)
