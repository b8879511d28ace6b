from odoo import api, fields, models

from odoo.addons.randevu_calendar.models.randevu_message import BEFORE_KINDS


class RandevuMessage(models.Model):
    """The waitlist's offer (issue 5): a time held for a customer of the waitlist, with
    the link to accept or decline it. Sent on every channel that reaches the customer
    (email, and a text when they have a mobile), like a confirmation."""

    _inherit = "randevu.message"

    kind = fields.Selection(
        selection_add=[("waitlist_offer", "Waitlist Offer")], ondelete={"waitlist_offer": "cascade"}
    )

    @api.model
    def _randevu_kind_templates(self):
        templates = super()._randevu_kind_templates()
        templates[("waitlist_offer", "email")] = "randevu_booking.mail_template_randevu_waitlist_offer"
        templates[("waitlist_offer", "sms")] = "randevu_booking.sms_template_randevu_waitlist_offer"
        return templates

    @api.model
    def _randevu_base_key(self, kind, channel, appointment, rule=None):
        if kind == "waitlist_offer":
            # One held appointment per offer: one offer per appointment and channel.
            return f"waitlist_offer:{channel}"
        return super()._randevu_base_key(kind, channel, appointment, rule)

    @api.model
    def _randevu_notify_waitlist_offers(self, appointments, now=None):
        """Queue the offer of each of `appointments` (held for a waitlist entry) on
        every channel that reaches its customer, for the outbox worker to send; a
        customer reached by none gets a 'Not Sent' row saying why."""
        now = now or fields.Datetime.now()
        channels = [
            channel for channel in self._randevu_channels() if self._randevu_default_template("waitlist_offer", channel)
        ]
        appointments = appointments.filtered("partner_id")
        if not appointments or not channels:
            return self.browse()
        unreachable = {channel: self._randevu_unreachable(channel, appointments.partner_id) for channel in channels}
        rows = []
        for appointment in appointments:
            reachable = [channel for channel in channels if appointment.partner_id.id not in unreachable[channel]]
            for channel in reachable or channels[:1]:
                rows.append(
                    {
                        "appointment": appointment,
                        "kind": "waitlist_offer",
                        "channel": channel,
                        "key": self._randevu_key("waitlist_offer", channel, appointment),
                    }
                )
        return self._randevu_queue(rows, now)

    def _randevu_stale(self, now):
        """Offers are stale once the offer has ended; messages about the appointment
        (reminders) wait until the customer has accepted it."""
        reasons = super()._randevu_stale(now)
        for message in self:
            if message in reasons:
                continue
            appointment = message.appointment_id
            if message.kind == "waitlist_offer" and not appointment._randevu_is_offered():
                reasons[message] = self.env._("The waitlist offer has ended.")
            elif message.kind in BEFORE_KINDS and message.kind != "cancellation" and appointment._randevu_is_offered():
                reasons[message] = self.env._("Not booked yet: offered from the waitlist.")
        return reasons
