import ast
import io
from datetime import date

import openpyxl
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuPosCase

PAID = ("paid", "done", "invoiced")


@tagged("post_install", "-at_install")
class TestReports(RandevuPosCase):
    """The owner's and the accountant's reports from real orders and appointments:
    revenue per branch, performer, service, product and payment method (Odoo's POS
    analysis and payments, paid orders only), staff utilisation from the availability
    engine's working time, no-show cost, and the XLSX export read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.card_journal = env["account.journal"].create(
            {"name": "Paris Bank", "code": "PBNK", "type": "bank", "company_id": cls.branch.parent_id.id}
        )
        cls.card = env["pos.payment.method"].create(
            {"name": "Card", "journal_id": cls.card_journal.id, "company_id": cls.branch.id}
        )
        cls.config.payment_method_ids |= cls.card
        # Utilisation week (fixed, far from DST): Monday 6 to Wednesday 8 January 2031.
        # Anna and Bruno work 09:00-13:00 and 14:00-18:00: 8 h a day; Bruno is on leave
        # Tuesday morning (4 h): available 24 h and 20 h over the three days.
        cls.mon, cls.tue, cls.wed = date(2031, 1, 6), date(2031, 1, 7), date(2031, 1, 8)
        env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": cls.bruno.resource_id.id,
                "calendar_id": cls.stylist_hours.id,
                "date_from": cls.local(9, day=cls.tue),
                "date_to": cls.local(13, day=cls.tue),
            }
        )
        # Booked: Anna 3 cuts (1.5 h), Bruno 1 blow-dry (0.5 h); Bruno's Wednesday blow-dry
        # (20) is a no-show, Anna's Wednesday cut (28) cancelled: neither is booked time.
        for start, staff, service, price in (
            (cls.local(10, day=cls.mon), cls.anna, cls.cut, 30),
            (cls.local(11, day=cls.mon), cls.anna, cls.cut, 30),
            (cls.local(9, day=cls.tue), cls.anna, cls.cut, 30),
            (cls.local(15, day=cls.tue), cls.bruno, cls.blow_dry, 20),
        ):
            cls.book(cls, start, staff=staff, service=service, price=price)
        cls.no_show = cls.book(cls, cls.local(10, day=cls.wed), staff=cls.bruno, service=cls.blow_dry, price=20)
        cls.no_show.action_no_show()
        cls.cancelled = cls.book(cls, cls.local(16, day=cls.wed), staff=cls.anna, service=cls.cut, price=28)
        cls.cancelled.action_cancel()

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def sync(self, data):
        return self.env["pos.order"].with_user(self.desk).sync_from_ui([data])

    def pay_today(self):
        """Today at the till: Chloé's visit (cut 28 by Anna, blow-dry 20 by Bruno) and a
        shampoo (12) sold by Bruno, half cash (30) half card (30); a second order, a
        shampoo sold by Anna paid by card (12); a draft order (a shampoo) left unpaid."""
        session = self.open_session()
        visit = self.order_data(
            session,
            self.checkout_lines(
                self.cut_appt, self.blow_appt, extra=[(self.shampoo, 12, {"randevu_employee_id": self.bruno.id})]
            ),
        )
        visit["payment_ids"] = [
            (0, 0, {"amount": 30, "name": visit["date_order"], "payment_method_id": self.cash.id}),
            (0, 0, {"amount": 30, "name": visit["date_order"], "payment_method_id": self.card.id}),
        ]
        self.sync(visit)
        retail = self.order_data(session, [(self.shampoo, 12, {"randevu_employee_id": self.anna.id})])
        retail["payment_ids"][0][2]["payment_method_id"] = self.card.id
        self.sync(retail)
        self.sync(self.order_data(session, [(self.shampoo, 12, {"randevu_employee_id": self.anna.id})], paid=False))
        return session

    def wizard(self, date_from=None, date_to=None, user=None):
        Wizard = self.env["randevu.report.wizard"].with_user(user or self.env.user)
        return Wizard.create(
            {
                "date_from": date_from or self.today,
                "date_to": date_to or self.today,
                "branch_ids": [(6, 0, self.branch.ids)],
            }
        )

    # ------------------------------------------------------------------ revenue
    def test_revenue_per_performer_service_and_method(self):
        self.pay_today()
        wizard = self.wizard()
        Report = self.env["report.pos.order"]
        domain = wizard._revenue_domain()
        per_employee = dict(Report._read_group(domain, ["randevu_employee_id"], ["price_total:sum"]))
        self.assertEqual(per_employee, {self.anna: 28 + 12, self.bruno: 20 + 12}, "the performer, not the cashier")
        per_kind = dict(Report._read_group(domain, ["randevu_is_service"], ["price_total:sum"]))
        self.assertEqual(per_kind, {True: 48, False: 24}, "the unpaid draft's shampoo is not revenue")
        per_appointment = dict(Report._read_group(domain, ["randevu_is_appointment"], ["__count"]))
        self.assertEqual(per_appointment, {True: 2, False: 2})
        per_product = dict(Report._read_group(domain, ["product_id"], ["product_qty:sum"]))
        self.assertEqual(per_product[self.shampoo], 2)
        self.assertEqual(dict(Report._read_group(domain, ["company_id"], ["price_total:sum"])), {self.branch: 72})
        payments = dict(
            self.env["pos.payment"]._read_group(wizard._payment_domain(), ["payment_method_id"], ["amount:sum"])
        )
        self.assertEqual(payments, {self.cash: 30, self.card: 42})
        # The menu's action counts paid orders only too; the wizard's keeps to its period.
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_pos.report_pos_order_action_randevu")
        # (the branch's: the demo's tills have orders of their own)
        branch = [("company_id", "=", self.branch.id)]
        self.assertEqual(Report.search_count([*ast.literal_eval(action["domain"]), *branch]), 4)
        self.assertEqual(self.env["pos.order"].search_count(branch), 3)
        yesterday = self.wizard(date(2031, 1, 6), date(2031, 1, 8))
        self.assertFalse(Report.search_count(yesterday._revenue_domain()), "another period")

    # ------------------------------------------------------------------ utilisation
    def utilisation(self, wizard=None):
        wizard = wizard or self.wizard(self.mon, self.wed)
        lines = wizard._make_utilisation()
        return wizard, lines

    def test_utilisation_and_no_show_cost(self):
        wizard, lines = self.utilisation()
        per_staff = {
            employee.name: figures
            for employee, *figures in lines._read_group(
                [("id", "in", lines.ids)],
                ["employee_id"],
                ["available_hours:sum", "booked_hours:sum", "free_hours:sum", "no_show_count:sum", "no_show_cost:sum"],
            )
        }
        self.assertEqual(per_staff["Anna"], [24, 1.5, 22.5, 0, 0])
        self.assertEqual(per_staff["Bruno"], [20, 0.5, 19.5, 1, 20])
        bruno_days = {line.date: line.available_hours for line in lines if line.employee_id == self.bruno}
        self.assertEqual(bruno_days, {self.mon: 8, self.tue: 4, self.wed: 8}, "his leave is the engine's")
        action = wizard.action_open_utilisation()
        self.assertEqual(action["res_model"], "randevu.utilisation.report")
        self.assertEqual(self.env["randevu.utilisation.report"].search_count(action["domain"]), 6)
        sunday = self.wizard(date(2031, 1, 5), date(2031, 1, 5))
        self.assertFalse(sunday._make_utilisation(), "nobody works on Sunday: no line")

    def test_utilisation_queries_do_not_grow(self):
        def count(date_to):
            wizard = self.wizard(self.mon, date_to)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._utilisation_values()
            return self.env.cr.sql_log_count - before

        count(self.wed)  # Odoo's caches (groups, rules) warm
        few = count(self.wed)
        for name in ("Chloé", "Dora", "Emre"):
            staff = self._make_staff(name, self.branch, self.stylist_hours)
            self.book(self.local(12, day=self.mon), staff=staff, service=False)
        count(date(2031, 1, 20))
        many = count(date(2031, 1, 20))
        self.assertEqual(many, few, "queries do not grow with the staff or the days")

    # ------------------------------------------------------------------ XLSX
    def test_xlsx_export_totals_match_the_pivot(self):
        self.pay_today()
        # Today (any weekday): a no-show of Bruno's at 16:00 (20), so that he has a line even on a day off.
        late = self.book(self.local(16), staff=self.bruno, service=self.blow_dry, hours_override=True, price=20)
        late.action_no_show()
        wizard = self.wizard()
        action = wizard.action_export_xlsx()
        attachment = wizard.xlsx_attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual(attachment.name, f"randevu-reports-{self.today}-{self.today}.xlsx")
        content = attachment.raw
        formulas = openpyxl.load_workbook(io.BytesIO(content))
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        self.assertEqual(
            formulas.sheetnames,
            [
                "Revenue",
                "Payment Methods",
                "Utilisation",
                "Commissions",
                "Receivables",
                "Course Liabilities",
                "Consolidated",
            ],
        )
        for name in formulas.sheetnames:
            sheet = values[name]
            self.assertEqual(sheet["B2"].value, "Salon Paris")
            self.assertEqual(sheet["B3"].value, f"{self.today} to {self.today}")

        Report = self.env["report.pos.order"]
        [[untaxed, total, qty]] = Report._read_group(
            wizard._revenue_domain(), [], ["price_subtotal_excl:sum", "price_total:sum", "product_qty:sum"]
        )
        revenue, revenue_values = formulas["Revenue"], values["Revenue"]
        rows = Report._read_group(
            wizard._revenue_domain(), ["company_id", "randevu_employee_id", "product_id"], ["__count"]
        )
        total_row = 6 + len(rows)
        self.assertEqual(revenue[f"A{total_row}"].value, "Total")
        self.assertEqual(revenue[f"F{total_row}"].value, f"=SUM(F6:F{total_row - 1})")
        self.assertEqual(revenue[f"G{total_row}"].value, f"=SUM(G6:G{total_row - 1})")
        self.assertEqual(revenue[f"H{total_row}"].value, f"=SUM(H6:H{total_row - 1})")
        self.assertEqual([revenue_values[f"{column}{total_row}"].value for column in "FGH"], [qty, untaxed, total])
        self.assertEqual(total, 72)
        self.assertEqual(
            sum(revenue_values[f"H{row}"].value for row in range(6, total_row)), total, "the rows add up to the total"
        )
        anna_rows = [row for row in range(6, total_row) if revenue_values[f"C{row}"].value == "Anna"]
        self.assertEqual(sum(revenue_values[f"H{row}"].value for row in anna_rows), 40)

        payments, payment_values = formulas["Payment Methods"], values["Payment Methods"]
        self.assertEqual(payments["D8"].value, "=SUM(D6:D7)")
        self.assertEqual(payment_values["D8"].value, 72)
        self.assertEqual(
            {payment_values[f"C{row}"].value: payment_values[f"D{row}"].value for row in (6, 7)},
            {"Cash": 30, "Card": 42},
        )

        lines = self.env["randevu.utilisation.report"].search([("wizard_id", "=", wizard.id)])
        [[available, booked, no_shows, cost]] = lines._read_group(
            [("id", "in", lines.ids)],
            [],
            ["available_hours:sum", "booked_hours:sum", "no_show_count:sum", "no_show_cost:sum"],
        )
        staff = lines._read_group([("id", "in", lines.ids)], ["employee_id"], ["booked_hours:sum"])
        utilisation, utilisation_values = formulas["Utilisation"], values["Utilisation"]
        total_row = 6 + len(staff)
        self.assertEqual(
            [utilisation_values[f"C{row}"].value for row in range(6, total_row)], [e.name for e, __ in staff]
        )
        self.assertEqual(utilisation[f"A{total_row}"].value, "Total")
        self.assertEqual(
            [utilisation[f"{column}{total_row}"].value for column in "DEFG"],
            [f"=SUM({column}6:{column}{total_row - 1})" for column in "DEFG"],
        )
        self.assertEqual(
            [utilisation_values[f"{column}{total_row}"].value for column in "DEFG"], [available, booked, no_shows, cost]
        )
        self.assertEqual(utilisation["H6"].value, "=IF(D6=0,0,E6/D6)")
        self.assertEqual((no_shows, cost), (1, 20))
        if self.today.weekday() < 6:  # a working day: the visit's half hours are booked
            self.assertEqual((available, booked), (16, 1))

    def test_xlsx_totals_per_currency(self):
        """Branches in two currencies: amounts are totalled per currency (=SUMIF)."""
        # A salon in lira is a company of its own (Odoo's branches share their parent's currency).
        lyon = self.env["res.company"].create(
            {"name": "Salon Lyon", "currency_id": self.env.ref("base.TRY").id, "randevu_tz": "Europe/Istanbul"}
        )
        self.env.user.company_ids |= lyon
        wizard = self.wizard(self.mon, self.wed)
        wizard.branch_ids |= lyon
        content = wizard._xlsx_content()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Utilisation"]
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Utilisation"]
        self.assertEqual(values["B2"].value, "Salon Lyon, Salon Paris")
        self.assertEqual(sheet["D8"].value, "=SUM(D6:D7)", "hours add up across currencies")
        self.assertIsNone(sheet["G8"].value, "money does not")
        paris, lira = self.branch.currency_id.name, "TRY"
        rows = {sheet[f"B{row}"].value: (sheet[f"G{row}"].value, values[f"G{row}"].value) for row in (9, 10)}
        self.assertEqual(
            rows,
            {
                paris: (f'=SUMIF(B6:B7,"{paris}",G6:G7)', 20),
                lira: (f'=SUMIF(B6:B7,"{lira}",G6:G7)', 0),
            },
        )

    def test_period_must_be_ordered(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.wizard(self.wed, self.mon).flush_recordset()

    def test_xlsx_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["randevu_pos"], ["fr_FR"], overwrite=True)
        wizard = self.wizard(self.mon, self.wed).with_context(lang="fr_FR")
        book = openpyxl.load_workbook(io.BytesIO(wizard._xlsx_content()))
        self.assertEqual(
            book.sheetnames,
            [
                "Chiffre d'affaires",
                "Modes de paiement",
                "Taux d'occupation",
                "Commissions",
                "Créances",
                "Passif des cures",
                "Consolidé",
            ],
        )
        sheet = book["Taux d'occupation"]
        self.assertEqual((sheet["A2"].value, sheet["B3"].value), ("Succursales", "du 2031-01-06 au 2031-01-08"))
