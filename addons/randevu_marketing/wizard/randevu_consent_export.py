import base64
import csv
import io

import pytz
import xlsxwriter

from odoo import fields, models

# The consent register's (İYS) names: type of message, source of the consent, status.
IYS_TYPE = {"email": "EPOSTA", "sms": "MESAJ", "whatsapp": "MESAJ"}
IYS_SOURCE = {
    "booking_form": "HS_WEB",
    "portal": "HS_WEB",
    "chat": "HS_MESAJ",
    "till": "HS_FIZIKSEL_ORTAM",
    "import": "HS_EORTAM",
    "backend": "HS_FIZIKSEL_ORTAM",
    "email_link": "HS_EPOSTA",
    "message_reply": "HS_MESAJ",
}
IYS_STATUS = {"granted": "ONAY", "withdrawn": "RET"}
HEADER = ["consentDate", "type", "recipient", "recipientType", "source", "status"]


class RandevuConsentExport(models.TransientModel):
    """Consent grants and withdrawals of a period in the shape the national consent
    register (Turkey's İYS) takes them: date, type (channel), recipient (address),
    recipient type, source, status. Pending (unconfirmed) grants are not exported."""

    _name = "randevu.consent.export"
    _description = "Export marketing consents"

    date_from = fields.Date()
    date_to = fields.Date()
    file_format = fields.Selection([("csv", "CSV"), ("xlsx", "Excel (XLSX)")], required=True, default="xlsx")

    def _randevu_rows(self):
        self.ensure_one()
        domain = [("state", "in", ("granted", "withdrawn")), ("purpose", "=", "marketing")]
        tz = pytz.timezone(self.env.user.tz or self.env.company.partner_id.tz or "Europe/Istanbul")
        if self.date_from:
            domain.append(("date", ">=", fields.Datetime.to_string(self.date_from)))
        if self.date_to:
            domain.append(("date", "<", fields.Datetime.to_string(fields.Date.add(self.date_to, days=1))))
        events = self.env["randevu.consent.event"].search(domain, order="date, id")
        return [
            [
                pytz.utc.localize(event.date).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                IYS_TYPE[event.channel],
                event.address,
                "BIREYSEL",
                IYS_SOURCE[event.source],
                IYS_STATUS[event.state],
            ]
            for event in events
        ]

    def _randevu_file(self):
        rows = self._randevu_rows()
        if self.file_format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(HEADER)
            writer.writerows(rows)
            return buffer.getvalue().encode("utf-8"), "text/csv"
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet("consents")
        for row_index, row in enumerate([HEADER, *rows]):
            for column, value in enumerate(row):
                sheet.write_string(row_index, column, value)
        workbook.close()
        return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def action_export(self):
        self.ensure_one()
        content, mimetype = self._randevu_file()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"consents.{self.file_format}",
                "datas": base64.b64encode(content),
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
