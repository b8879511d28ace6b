from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from odoo.addons.randevu_account import hooks


@tagged("post_install", "-at_install")
class TestUpgrade(TransactionCase):
    """A database created before randevu_account (deposits in randevu_booking) upgrades
    with ``-u all``: randevu_account is installed as randevu_booking's new dependency,
    its pre_init_hook takes over the XML ids randevu_booking held (the records are
    updated in place, not duplicated nor deleted), and what the owner changed on the
    moved noupdate cron survives the install's data load."""

    def imd(self, name):
        modules = ("randevu_booking", "randevu_account")
        return self.env["ir.model.data"].search([("name", "=", name), ("module", "in", modules)])

    def simulate_old_database(self):
        """Give randevu_booking back the XML ids it held before this addon existed."""
        for name in hooks._moved_xmlids():
            self.imd(name).write({"module": "randevu_booking"})

    def test_moved_xmlids_belong_to_randevu_account(self):
        for name in hooks.MOVED_RECORDS:
            with self.subTest(name=name):
                self.assertTrue(self.env.ref(f"randevu_account.{name}"))
                self.assertFalse(self.env.ref(f"randevu_booking.{name}", raise_if_not_found=False))
        field = self.env["ir.model.fields"]._get("res.company", "randevu_hold_minutes")
        self.assertIn("randevu_account", field.modules.split(", "))

    def test_install_over_an_old_database_keeps_the_records_and_the_owners_changes(self):
        cron = self.env.ref("randevu_account.ir_cron_randevu_expired_holds")
        view = self.env.ref("randevu_account.randevu_appointment_view_form")
        action = self.env.ref("randevu_account.randevu_appointment_action_create_invoice")
        field_xmlid = self.imd("field_res_company__randevu_hold_minutes")
        self.simulate_old_database()
        self.assertEqual(self.env.ref("randevu_booking.ir_cron_randevu_expired_holds"), cron, "the old database")
        cron.write({"active": False, "interval_number": 17, "interval_type": "hours"})  # the owner's choice

        hooks.pre_init_hook(self.env)
        for name in hooks._moved_xmlids():
            with self.subTest(name=name):
                self.assertFalse(
                    self.env.ref(f"randevu_booking.{name}", raise_if_not_found=False), f"{name} left randevu_booking"
                )
        self.assertEqual(self.env.ref("randevu_account.ir_cron_randevu_expired_holds"), cron, "the same record")
        self.assertEqual(self.env.ref("randevu_account.randevu_appointment_view_form"), view)
        self.assertEqual(self.env.ref("randevu_account.randevu_appointment_action_create_invoice"), action)
        self.assertEqual(field_xmlid.module, "randevu_account")
        # Installing loads the data files in "init" mode, which rewrites noupdate records...
        convert_file(self.env, "randevu_account", "data/ir_cron_data.xml", {}, mode="init", noupdate=True)
        self.assertEqual((cron.active, cron.interval_number), (True, 5), "init mode rewrote the cron")
        self.assertEqual(self.env["ir.cron"].with_context(active_test=False).search_count([("id", "=", cron.id)]), 1)
        # ... and post_init_hook puts back what the owner had changed.
        hooks.post_init_hook(self.env)
        self.assertRecordValues(cron, [{"active": False, "interval_number": 17, "interval_type": "hours"}])
        self.assertEqual(
            self.env["ir.cron"].with_context(active_test=False).search_count([("code", "=", cron.code)]), 1, "no twin"
        )

    def test_hook_on_a_new_database_changes_nothing(self):
        before = self.env["ir.model.data"].search_count([("module", "=", "randevu_account")])
        self.assertEqual(hooks._move_xmlids(self.env), [], "nothing of randevu_booking's to take over")
        self.assertEqual(self.env["ir.model.data"].search_count([("module", "=", "randevu_account")]), before)


@tagged("post_install", "-at_install")
class TestInstallChain(TransactionCase):
    """randevu_account is for every channel: the till and the inbox depend on it
    without the website."""

    def dependency_closure(self, name):
        seen, todo = set(), [name]
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo += get_manifest(module).get("depends", [])
        return seen

    def test_no_website_in_the_dependency_chain(self):
        chain = self.dependency_closure("randevu_account")
        self.assertIn("account_payment", chain)
        self.assertIn("randevu_calendar", chain)
        self.assertFalse({"website", "website_payment"} & chain, sorted(chain))
        self.assertIn("randevu_account", self.dependency_closure("randevu_booking"), "booking builds on it")
