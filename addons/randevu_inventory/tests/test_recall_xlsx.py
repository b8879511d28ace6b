import base64
import io
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestRecallXlsx(InventoryCase):
    """The lot's recall report downloaded as XLSX: the lot and product on top, then one
    row per record of the Lot Recall list searched by that lot (read back with openpyxl)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "randevu_calendar.group_randevu_"
        cls.receptionist = cls.make_user("recall_rec", group + "user", cls.branch, tz="Europe/Paris")
        cls.staff_user = cls.make_user("recall_staff", group + "staff", cls.branch)
        cls.other = cls.env["res.partner"].create(
            {"name": "Élodie Durand", "phone": "+33611223344", "email": "elodie@example.com"}
        )

    def recall_records(self, lot, env=None):
        """What the Lot Recall list shows for `lot` (its domain, its default Written Off filter)."""
        env = env or self.env
        action = env.ref("randevu_inventory.randevu_appointment_consumable_action").sudo()
        domain = [*safe_eval(action.domain), ("state", "=", "done"), ("used_lot_ids", "in", lot.ids)]
        return env["randevu.appointment.consumable"].search(domain, order="start, id")

    def download(self, lot):
        action = lot.action_randevu_recall_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = lot.env["ir.attachment"].browse(attachment_id)
        rows = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active.iter_rows()
        return attachment, [[cell.value for cell in row] for row in rows]

    def test_the_xlsx_lists_the_recall_report(self):
        self.set_stock(self.serum, 1, lot=self.lot_early)
        self.set_stock(self.serum, 10, lot=self.lot_late)
        first = self.book(self.at.replace(hour=9), service=self.colour, staff=self.anna)
        second = self.book(self.at.replace(hour=14), service=self.colour, staff=self.bruno, partner_id=self.other.id)
        not_done = self.book(self.at + timedelta(days=1), service=self.colour, staff=self.anna)
        (first | second).action_done()
        not_done.action_randevu_plan_consumables()
        not_done.consumable_ids.lot_id = self.lot_late

        lot = self.lot_late.with_user(self.receptionist)
        attachment, rows = self.download(lot)
        self.assertEqual(attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(rows[0][:2], ["Lot", "SER-LATE"])
        self.assertEqual(rows[1][:2], ["Product", "Test serum"])
        self.assertEqual(rows[2][0], "Expiration Date")
        self.assertEqual(
            rows[4],
            [
                "Date",
                "Client",
                "Phone",
                "Email",
                "Appointment",
                "Staff Member",
                "Branch",
                "Product",
                "Quantity",
                "Unit",
                "Lots Used",
            ],
        )
        records = self.recall_records(lot, lot.env)
        self.assertEqual(records.appointment_id, first | second, "the early lot ran out: both took the late one")
        expected = [
            [
                # 09:00 UTC is 10:00 in Paris (the receptionist's timezone).
                "2031-01-06 10:00" if line.appointment_id == first else "2031-01-06 15:00",
                line.partner_id.name,
                line.partner_phone,
                line.partner_email,
                line.appointment_id.display_name,
                line.employee_id.name,
                self.branch.name,
                "Test serum",
                line.quantity,
                line.uom_id.name,
                ", ".join(line.used_lot_ids.mapped("name")),
            ]
            for line in records
        ]
        # openpyxl reads empty cells as None.
        self.assertEqual(
            [[value or None for value in row] for row in rows[5:]], [[v or None for v in row] for row in expected]
        )
        self.assertEqual(rows[5][1], self.customer.name)
        self.assertEqual(rows[6][1:4], ["Élodie Durand", "+33611223344", "elodie@example.com"])
        self.assertEqual(rows[6][5], "Bruno")
        self.assertEqual(len(rows), 7, "the appointment not done yet is left out")

    def test_only_its_maker_downloads_it_and_staff_cannot_export(self):
        self.set_stock(self.serum, 5, lot=self.lot_early)
        self.book(self.at.replace(hour=9), service=self.colour, staff=self.anna).action_done()
        attachment, rows = self.download(self.lot_early.with_user(self.receptionist))
        self.assertEqual(len(rows), 6)
        colleague = self.make_user("recall_rec2", "randevu_calendar.group_randevu_user", self.branch)
        with self.assertRaises(AccessError):
            attachment.with_user(colleague).datas  # noqa: B018
        with self.assertRaises(AccessError):
            self.lot_early.with_user(self.staff_user).action_randevu_recall_xlsx()

    def test_an_unused_lot_gives_the_header_only(self):
        _attachment, rows = self.download(self.lot_late.with_user(self.receptionist))
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0][:2], ["Lot", "SER-LATE"])
