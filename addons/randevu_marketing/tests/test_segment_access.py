from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestSegmentAccess(ConsentMixin, JsonRpcMixin, HttpCase):
    """Through JSON-RPC: managers create, change and delete their branch's segments,
    receptionists read them and list their customers, staff see none; another branch's
    segments are nobody's business here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.role_user("segment_staff", "group_randevu_staff")
        cls.receptionist = cls.role_user("segment_user", "group_randevu_user")
        cls.manager = cls.role_user("segment_manager", "group_randevu_manager")
        cls.ayse.randevu_client = True
        cls.Consent._randevu_record(cls.ayse, "email", "granted", "till", "Text shown at the till")
        cls.segment = cls.env["randevu.segment"].create({"name": "Email consent", "consent_channel": "email"})
        cls.other_branch = cls.env["res.company"].create({"name": "Other branch"})
        cls.theirs = cls.env["randevu.segment"].create({"name": "Theirs", "company_id": cls.other_branch.id})

    def test_staff_see_no_segment(self):
        self.authenticate("segment_staff", "segment_staff")
        self.assert_access_error(self.call_kw("randevu.segment", "search_read", [], ["id"]))
        self.assert_access_error(self.call_kw("randevu.segment", "create", {"name": "Mine"}))
        self.assert_access_error(self.call_kw("res.partner", "search", [("randevu_segment_ids", "=", self.segment.id)]))

    def test_receptionist_reads_and_lists_but_changes_nothing(self):
        self.authenticate("segment_user", "segment_user")
        rows = self.call_kw_result("randevu.segment", "search_read", [], ["name", "partner_count"])
        self.assertEqual([row["name"] for row in rows], ["Email consent"])
        self.assertGreaterEqual(rows[0]["partner_count"], 1)
        action = self.call_kw_result("randevu.segment", "action_view_partners", self.segment.ids)
        ids = self.call_kw_result("res.partner", "search", action["domain"])
        self.assertIn(self.ayse.id, ids)
        self.assertNotIn(self.chloe.id, ids)
        self.assert_access_error(self.call_kw("randevu.segment", "create", {"name": "Mine"}))
        self.assert_access_error(self.call_kw("randevu.segment", "write", self.segment.ids, {"name": "Other"}))
        self.assert_access_error(self.call_kw("randevu.segment", "unlink", self.segment.ids))

    def test_manager_manages_the_branch_segments_only(self):
        self.authenticate("segment_manager", "segment_manager")
        segment_id = self.call_kw_result("randevu.segment", "create", {"name": "Mine", "visits_min": 2})
        self.call_kw_result("randevu.segment", "write", [segment_id], {"visits_min": 3})
        self.assertEqual(self.env["randevu.segment"].browse(segment_id).visits_min, 3)
        self.call_kw_result("randevu.segment", "unlink", [segment_id])
        ids = {row["id"] for row in self.call_kw_result("randevu.segment", "search_read", [], ["id"])}
        self.assertIn(self.segment.id, ids)
        self.assertNotIn(self.theirs.id, ids, "another branch's segment")
        self.assert_access_error(self.call_kw("randevu.segment", "read", self.theirs.ids, ["name"]))
        self.assert_access_error(self.call_kw("randevu.segment", "write", self.theirs.ids, {"name": "Mine now"}))
        self.assert_rpc_error(
            self.call_kw("randevu.segment", "create", {"name": "There", "company_id": self.other_branch.id}),
            "AccessError",
        )
