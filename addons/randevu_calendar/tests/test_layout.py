from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools.misc import file_open

CRON_FILE = "data/ir_cron_data.xml"


@tagged("post_install", "-at_install")
class TestLayout(TransactionCase):
    """Where the installed Randevu addons declare things: one home per kind of record."""

    def test_crons_live_in_ir_cron_data(self):
        """Every cron of a Randevu addon is declared in its data/ir_cron_data.xml, and
        every cron it installed comes from there."""
        modules = self.env["ir.module.module"].search([("name", "=like", "randevu\\_%"), ("state", "=", "installed")])
        self.assertIn("randevu_calendar", modules.mapped("name"))
        for module in modules.mapped("name"):
            manifest = get_manifest(module)
            declared = set()
            for path in manifest.get("data", []) + manifest.get("demo", []):
                if not path.endswith(".xml"):
                    continue
                with file_open(f"{module}/{path}", "rb") as xml:
                    records = etree.parse(xml).xpath("//record[@model='ir.cron']")
                if path != CRON_FILE:
                    self.assertFalse(records, f"{module}/{path} declares a cron: it belongs in {CRON_FILE}")
                declared |= {record.get("id") for record in records}
            installed = set(
                self.env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.cron")]).mapped("name")
            )
            self.assertEqual(installed, declared, f"the crons of {module}")
