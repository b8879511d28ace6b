from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOutdatedPage(HttpCase):
    """The bus's missed-notification check that shows "The page is out of date"."""

    def missed(self, last_notification_id):
        return self.make_jsonrpc_request(
            "/bus/has_missed_notifications", {"last_notification_id": last_notification_id}
        )

    def test_a_page_without_notifications_missed_nothing(self):
        self.assertIs(self.missed(None), False)
        self.assertIs(self.missed(0), False)

    def test_a_notification_gone_is_still_missed(self):
        self.env["bus.bus"]._sendone("broadcast", "randevu_test", {})
        self.env.flush_all()
        last = self.env["bus.bus"].sudo().search([], order="id desc", limit=1)
        self.assertIs(self.missed(last.id), False)
        self.assertIs(self.missed(last.id + 1000000), True)
