import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .commission_common import RandevuCommissionCase


@tagged("post_install", "-at_install")
class TestCommissionReport(RandevuCommissionCase):
    """The Commissions sheet of the reports' XLSX: per branch, staff member and commission
    period, the base and the commission, with =SUM() totals equal to the period's lines."""

    def test_commission_sheet(self):
        self.january_sales()
        period = self.make_period()
        period.action_compute()
        accountant = self.make_user("xlsx_acc", "base.group_user,randevu_pos.group_randevu_accountant", self.branch)
        wizard = (
            self.env["randevu.report.wizard"]
            .with_user(accountant)
            .create(
                {"date_from": date(2031, 1, 1), "date_to": date(2031, 1, 31), "branch_ids": [(6, 0, self.branch.ids)]}
            )
        )
        content = wizard._xlsx_content()
        formulas = openpyxl.load_workbook(io.BytesIO(content))["Commissions"]
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Commissions"]
        self.assertEqual(
            [values.cell(5, column).value for column in range(1, 7)],
            ["Branch", "Currency", "Staff", "Commission Period", "Base", "Commission"],
        )
        rows = {values[f"C{row}"].value: (values[f"E{row}"].value, values[f"F{row}"].value) for row in (6, 7)}
        self.assertEqual(rows, {"Anna": (1146.0, 122.0), "Bruno": (60.0, 9.0)})
        self.assertEqual(values["D6"].value, period.name)
        self.assertEqual(values["A8"].value, "Total")
        self.assertEqual((formulas["E8"].value, formulas["F8"].value), ("=SUM(E6:E7)", "=SUM(F6:F7)"))
        lines = period.line_ids
        self.assertAlmostEqual(values["E8"].value, sum(lines.mapped("base")), 2)
        self.assertAlmostEqual(values["F8"].value, sum(lines.mapped("amount")), 2)
        self.assertAlmostEqual(values["F8"].value, period.amount_total, 2)
        self.assertEqual(period.amount_total, 131)
