import base64
import csv
import io

import openpyxl

from odoo.tests import TransactionCase, tagged

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestConsentExport(ConsentMixin, TransactionCase):
    """The export for the consent register (İYS): one row per grant or withdrawal,
    date, type, recipient, recipient type, source, status; pending grants left out."""

    def export(self, file_format):
        wizard = self.env["randevu.consent.export"].create({"file_format": file_format})
        action = wizard.action_export()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        return base64.b64decode(self.env["ir.attachment"].browse(attachment_id).datas)

    def setUp(self):
        super().setUp()
        self.env.user.tz = "Europe/Istanbul"
        # What the register already holds (the demo's consents): the test's rows come after.
        self.before = {"csv": self.csv_rows(), "xlsx": self.xlsx_rows()}
        self.grant(self.ayse, "sms", source="till")
        self.grant(self.chloe, "email", source="import")
        self.withdraw(self.chloe, "email", source="email_link")
        self.grant(self.emre, "email", source="booking_form")  # pending: not exported

    def expected(self):
        return [
            ["MESAJ", "+905321234567", "BIREYSEL", "HS_FIZIKSEL_ORTAM", "ONAY"],
            ["EPOSTA", "chloe@example.com", "BIREYSEL", "HS_EORTAM", "ONAY"],
            ["EPOSTA", "chloe@example.com", "BIREYSEL", "HS_EPOSTA", "RET"],
        ]

    def csv_rows(self):
        return list(csv.reader(io.StringIO(self.export("csv").decode())))

    def xlsx_rows(self):
        sheet = openpyxl.load_workbook(io.BytesIO(self.export("xlsx"))).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    def ours(self, rows, file_format):
        """The rows the test's consents added to the export."""
        before = list(self.before[file_format][1:])
        added = []
        for row in rows:
            if row in before:
                before.remove(row)
            else:
                added.append(row)
        return added

    def test_csv(self):
        rows = self.csv_rows()
        self.assertEqual(rows[0], ["consentDate", "type", "recipient", "recipientType", "source", "status"])
        ours = self.ours(rows[1:], "csv")
        self.assertEqual([row[1:] for row in ours], self.expected())
        self.assertRegex(ours[0][0], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

    def test_xlsx(self):
        rows = self.xlsx_rows()
        self.assertEqual(rows[0], ["consentDate", "type", "recipient", "recipientType", "source", "status"])
        self.assertEqual([row[1:] for row in self.ours(rows[1:], "xlsx")], self.expected())
