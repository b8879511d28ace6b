"""The state groups and watched fields of Randevu: each rule is defined here, and only here.

Import them with `from ..const import ...` (randevu_calendar) or
`from odoo.addons.randevu_calendar.const import ...` (other addons).
"""

# ------------------------------------------------------------------ appointment states
# Booked and still expected: not arrived yet, not cancelled, not a no-show. Messages about an
# appointment to come, the customer's own changes online, series edits, sessions open to join
# online and the no-show check look at these.
APPOINTMENT_EXPECTED_STATES = ("booked", "confirmed")
# Not over yet (still expected, or the customer is here): a customer's upcoming appointments, the
# group sessions staff may still add customers to, and what can be marked done.
APPOINTMENT_NOT_OVER_STATES = ("booked", "confirmed", "arrived", "in_progress")
# Holding the staff member's and the resources' time: availability, overlaps, visits, the Day planner.
APPOINTMENT_HOLDING_STATES = ("booked", "confirmed", "arrived", "in_progress", "done")
# Called off: the appointment did not take place (cancelled, or the customer did not come); it can be booked again.
APPOINTMENT_CALLED_OFF_STATES = ("cancelled", "no_show")
# An appointment or attendee that can be checked in: a no-show too, when the customer comes after the grace time.
CHECK_IN_STATES = ("booked", "confirmed", "no_show")
# Before the service starts (expected, or the customer is waiting): these can be started or cancelled.
APPOINTMENT_BEFORE_SERVICE_STATES = ("booked", "confirmed", "arrived")

# ------------------------------------------------------------------ group class attendee states
# An attendee who holds a seat and is still expected (not arrived yet): messages, the no-show check.
ATTENDEE_EXPECTED_STATES = ("booked", "confirmed")
# An attendee who holds a seat of the session (counted against its capacity).
ATTENDEE_SEAT_STATES = ("booked", "confirmed", "arrived", "done")
# An attendee who came.
ATTENDEE_ATTENDED_STATES = ("arrived", "done")
# A seat (or waitlist place) the customer may still cancel online (before the branch's cutoff).
ATTENDEE_CANCELLABLE_ONLINE_STATES = ("booked", "confirmed", "waitlist")

# ------------------------------------------------------------------ watched fields of randevu.appointment.write()
# A change of these can move, resize or re-assign the time an appointment holds: overlaps are
# checked, segments rebuilt, and the waitlist offered the time freed (randevu_booking).
HELD_TIME_FIELDS = frozenset(
    {"start", "stop", "duration", "employee_id", "resource_ids", "service_id", "state", "company_id"}
)
# A change of these can join an appointment to another visit or take it out of one.
VISIT_FIELDS = frozenset({"start", "stop", "duration", "partner_id", "company_id"})
# A change of these is told to the customer and the staff member (a "changed" notice).
NOTICE_FIELDS = frozenset({"start", "employee_id", "state"})
