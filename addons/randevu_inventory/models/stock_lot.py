import base64
import io
from collections import defaultdict

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import formatLang

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StockLot(models.Model):
    """The recall report of a lot as a spreadsheet: every client who received it."""

    _inherit = "stock.lot"

    def _alert_date_exceeded(self):
        """product_expiry's near-expiry activity (*Alert Date Reached*, once per lot) goes to the
        product's responsible, else OdooBot: the manager of each branch holding the lot in its
        stock (the branch's *Stock Alerts To*) gets one too, saying how much the branch holds."""
        due = self.env["stock.lot"].search(
            [("alert_date", "<=", fields.Date.today()), ("product_expiry_reminded", "=", False)]
        )
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", due.ids), ("quantity", ">", 0), ("location_id.usage", "=", "internal")]
        )
        result = super()._alert_date_exceeded()
        activity_type = self.env.ref("product_expiry.mail_activity_type_alert_date_reached")
        held = defaultdict(float)
        for quant in quants:
            held[quant.lot_id, quant.company_id] += quant.quantity
        for (lot, branch), quantity in held.items():
            manager = branch._randevu_stock_manager()
            if manager in lot.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id:
                continue
            lot.activity_schedule(
                "product_expiry.mail_activity_type_alert_date_reached",
                user_id=manager.id,
                note=self.env._(
                    "The alert date of this lot has been reached: %(quantity)s %(unit)s in stock at %(branch)s.",
                    quantity=formatLang(self.env, quantity, dp="Product Unit of Measure"),
                    unit=lot.product_id.uom_id.name,
                    branch=branch.name,
                ),
            )
        return result

    def _randevu_recall_lines(self):
        """The recall report's records for this lot (the *Lot Recall* list searched by the lot,
        written-off lines only), as the current user reads them: their branches' appointments."""
        self.ensure_one()
        return self.env["randevu.appointment.consumable"].search(
            [("used_lot_ids", "in", self.ids), ("state", "=", "done")], order="start, id"
        )

    def _randevu_recall_xlsx(self):
        """The XLSX bytes: the lot and product on top, then one row per client's line."""
        self.ensure_one()
        _ = self.env._
        lines = self._randevu_recall_lines()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(_("Recall"))
        sheet.write_string(0, 0, _("Lot"), bold)
        sheet.write_string(0, 1, self.name)
        sheet.write_string(1, 0, _("Product"), bold)
        sheet.write_string(1, 1, self.product_id.display_name)
        sheet.write_string(2, 0, _("Expiration Date"), bold)
        if self.expiration_date:
            sheet.write_string(2, 1, fields.Datetime.context_timestamp(self, self.expiration_date).strftime("%Y-%m-%d"))
        header = [
            _("Date"),
            _("Client"),
            _("Phone"),
            _("Email"),
            _("Appointment"),
            _("Staff Member"),
            _("Branch"),
            _("Product"),
            _("Quantity"),
            _("Unit"),
            _("Lots Used"),
        ]
        first_row = 4
        for column, title in enumerate(header):
            sheet.write_string(first_row, column, title, bold)
        for index, line in enumerate(lines, start=first_row + 1):
            start = fields.Datetime.context_timestamp(line, line.start) if line.start else False
            values = [
                start.strftime("%Y-%m-%d %H:%M") if start else "",
                line.partner_id.display_name or "",
                line.partner_phone or "",
                line.partner_email or "",
                line.appointment_id.display_name,
                # Superuser: the staff member's name only, as the recall list shows it
                # (receptionists do not read employees).
                line.employee_id.sudo().name or "",
                line.company_id.name or "",
                line.product_id.display_name,
            ]
            for column, value in enumerate(values):
                sheet.write_string(index, column, value)
            sheet.write_number(index, len(values), line.quantity)
            sheet.write_string(index, len(values) + 1, line.uom_id.name)
            sheet.write_string(index, len(values) + 2, ", ".join(line.used_lot_ids.mapped("name")))
        sheet.set_column(0, len(header) - 1, 18)
        workbook.close()
        return buffer.getvalue()

    def action_randevu_recall_xlsx(self):
        """Downloads the lot's recall report as XLSX. The file is attached to no record: only
        whoever made it can download it (it holds clients' contacts of their branches only)."""
        self.ensure_one()
        user = self.env.user
        if not (user.has_group("randevu_calendar.group_randevu_user") or user.has_group("stock.group_stock_user")):
            raise AccessError(self.env._("Only receptionists and inventory users can export a lot's recall list."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Recall %(lot)s.xlsx", lot=self.name),
                "datas": base64.b64encode(self._randevu_recall_xlsx()),
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
