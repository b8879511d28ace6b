import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.tests import tagged

from .test_pos_settle_due import RandevuPosSettleDueCase


@tagged("post_install", "-at_install")
class TestReportsReceivables(RandevuPosSettleDueCase):
    """The XLSX export's Receivables sheet: the aging today per branch and customer,
    totals as formulas whose values match the aging view."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def test_receivables_sheet_matches_the_aging(self):
        session = self.open_session()
        self.leave_on_account(session)
        self.close(session)
        other = self.env["res.partner"].create({"name": "Ahmet Kaya"})
        receivable = other.with_company(self.branch).property_account_receivable_id
        income = self.env["account.account"].search(
            [("account_type", "=", "income"), ("company_ids", "parent_of", self.branch.id)], limit=1
        )
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "parent_of", self.branch.id)], limit=1
        )
        date = fields.Date.context_today(self.env["res.company"]) - timedelta(days=45)
        move = (
            self.env["account.move"]
            .with_company(self.branch)
            .create(
                {
                    "journal_id": journal.id,
                    "date": date,
                    "line_ids": [
                        (
                            0,
                            0,
                            {"account_id": receivable.id, "partner_id": other.id, "debit": 15, "date_maturity": date},
                        ),
                        (0, 0, {"account_id": income.id, "credit": 15}),
                    ],
                }
            )
        )
        move.action_post()
        wizard = self.env["randevu.report.wizard"].create(
            {"date_from": self.today, "date_to": self.today, "branch_ids": [(6, 0, self.branch.ids)]}
        )
        content = wizard._xlsx_content()
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Receivables"]
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Receivables"]
        self.assertEqual(
            [values[f"{column}5"].value for column in "CDEFGH"],
            ["Customer", "0-30", "31-60", "61-90", "90+", "Amount Due"],
        )
        rows = {values[f"C{row}"].value: [values[f"{c}{row}"].value for c in "DEFGH"] for row in range(6, 8)}
        self.assertEqual(rows, {"Ahmet Kaya": [0, 15, 0, 0, 15], "Chloé Martin": [48, 0, 0, 0, 48]})
        self.assertEqual(values["A8"].value, "Total")
        self.assertEqual([sheet[f"{c}8"].value for c in "DEFGH"], [f"=SUM({c}6:{c}7)" for c in "DEFGH"])
        aging = self.env["randevu.receivable.aging"].search([("company_id", "=", self.branch.id)])
        self.assertEqual(
            [values[f"{c}8"].value for c in "DEFGH"],
            [
                sum(aging.mapped(name))
                for name in ("amount_0_30", "amount_31_60", "amount_61_90", "amount_90_plus", "amount_residual")
            ],
        )
        self.assertEqual(values["H8"].value, 63)
