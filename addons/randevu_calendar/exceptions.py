"""Why a booking, a move or a cancellation asked by a customer is refused.

Raised by randevu.booking.service (and the engine); every channel (website, portal,
chat assistant, POS) catches them and shows the message (``error.args[0]``), written
for the customer, as its page or JSON error.
"""

from odoo.exceptions import UserError


class BookingRefused(UserError):
    """The branch's no-show policy refuses this customer's online booking, whatever
    the time: the message says why and whom to call (the branch's phone)."""


class SlotUnavailable(UserError):
    """The time asked for cannot be booked: taken meanwhile, past or never free."""


class TermsChanged(SlotUnavailable):
    """The time is free, but no longer at the duration or price the customer saw (the
    engine gives it to another staff member, with their own)."""


class ChangeRefused(UserError):
    """The customer may no longer move or cancel this appointment (or seat) by
    themselves: past the branch's cutoff, started, or cancelled already. The message
    says why and whom to call."""
