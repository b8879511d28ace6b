from odoo.http import route

from odoo.addons.bus.controllers.main import BusController


class RandevuBusController(BusController):
    @route("/bus/has_missed_notifications", type="json", auth="public")
    def has_missed_notifications(self, last_notification_id):
        """No "The page is out of date" on a page that has not received a notification yet.

        Odoo 18's outdated-page watcher asks this after the bus reconnects, with the id of
        the last notification its page received: null on a page that received none, for
        which Odoo answers "missed" (no notification has the id null). A fresh demo's
        first page, whose bus reconnects while the server builds its assets, then greeted
        everyone with that warning. A page without a notification yet was just loaded: it
        missed nothing. Other ids keep Odoo's answer (missed when the notification is gone).
        """
        if not last_notification_id:
            return False
        return super().has_missed_notifications(last_notification_id)
