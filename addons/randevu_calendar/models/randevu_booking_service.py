import logging
import re
from datetime import timedelta

import phonenumbers
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, float_repr, format_date, format_time

from ..const import APPOINTMENT_EXPECTED_STATES, APPOINTMENT_HOLDING_STATES, ATTENDEE_CANCELLABLE_ONLINE_STATES
from ..exceptions import BookingRefused, ChangeRefused, SlotUnavailable, TermsChanged
from ..tools.local_clock import repeated_time_suffix

_logger = logging.getLogger(__name__)

# Length bounds of a customer's details, in characters: checked here, repeated in the
# forms as maxlength.
FIELD_LIMITS = {"name": 100, "phone": 32, "email": 254, "note": 1000}

# Bookable days are looked for this many days at a time (one engine call each).
DAY_WINDOW = 14

# One email address and nothing else: a dot-atom local part (letters of any script
# allowed, as SMTPUTF8 does) and a domain of labels of letters, digits and inner
# hyphens ending in a top-level domain of letters (checked on its IDNA form).
_EMAIL_LOCAL = r"(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7F])+"
EMAIL_RE = re.compile(
    rf"(?P<local>{_EMAIL_LOCAL}(?:\.{_EMAIL_LOCAL})*)@(?P<domain>[^@\s]+)",
)
DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def terms_token(duration, price, currency):
    """The duration (hours) and price of a booking as a customer saw them:
    ``minutes/price`` at the currency's precision."""
    return f"{round(duration * 60)}/{float_repr(currency.round(price), currency.decimal_places)}"


class RandevuBookingService(models.AbstractModel):
    """Booking for a customer, whatever the channel (website, portal, chat assistant,
    POS): the one place a channel calls to find the customer, apply the branch's
    policies (online window, minimum notice, horizon, no-show bar, change cutoff),
    list the free days and times, and book, move or cancel through the availability
    engine.

    Refusals are raised as the exceptions of ``randevu_calendar/exceptions.py``, with
    the message for the customer; each channel shows it its own way. Customers may
    read neither branches, services, staff nor appointments: channels call this model
    as superuser (reason given there), and every method returns only what a customer
    is shown.
    """

    _name = "randevu.booking.service"
    _description = "Booking Service"

    # ------------------------------------------------------------------ the customer
    @api.model
    def _find_or_create_customer(self, branch, details):
        """The customer with the phone or email of `details` (read in the branch's
        country), created when unknown: res.partner's matching (the one home of it)."""
        return self.env["res.partner"]._randevu_find_or_create(
            details["name"], details["phone"], details["email"], country=branch.country_id
        )

    @api.model
    def _find_customer(self, branch, details):
        """The existing customer _find_or_create_customer would give, or an empty
        recordset. Reads only."""
        return self.env["res.partner"]._randevu_find_customer(
            details["name"], details["phone"], details["email"], country=branch.country_id
        )

    @api.model
    def _check_details(self, branch, values):
        """Cleaned details of a customer and the problems found.

        :param values: ``name``, ``phone``, ``email``, ``note`` as typed
        :return: (details, {field: message}); the phone in E.164 read in the branch's
            country, the email normalised, single-line fields on one line
        """
        labels = {
            "name": self.env._("Your name"),
            "phone": self.env._("Your phone number"),
            "email": self.env._("Your email"),
            "note": self.env._("Your note"),
        }
        details, errors = {}, {}
        for key, limit in FIELD_LIMITS.items():
            value = values.get(key)
            value = value.strip() if isinstance(value, str) else ""
            if key != "note":
                value = " ".join(value.split())
            if len(value) > limit:
                errors[key] = self.env._(
                    "%(field)s is too long: %(limit)s characters at most.", field=labels[key], limit=limit
                )
            details[key] = value
        if not details["name"] and "name" not in errors:
            errors["name"] = self.env._("Please enter your name.")
        if "phone" not in errors:
            if not details["phone"]:
                errors["phone"] = self.env._("Please enter your phone number.")
            else:
                try:
                    details["phone"] = self.env["res.partner"]._randevu_normalize_phone(
                        details["phone"], branch.country_id
                    )
                except ValidationError:
                    errors["phone"] = self._phone_error(branch)
        if details["email"] and "email" not in errors:
            email = self._valid_email(details["email"])
            if email:
                details["email"] = email
            else:
                errors["email"] = self.env._("Please enter a valid email address, like name@example.com.")
        return details, errors

    @api.model
    def _valid_email(self, value):
        """`value` as typed when the whole of it is one email address, else False
        (the customer keeps it as typed; matching reads its normalised form).

        Every form where a customer types an email (booking, waitlist, class seat) goes
        through _check_details, hence here. Odoo's email_normalize alone would take
        ``a@b`` and ``x@example..com``, and pick ``john@example.com`` out of
        ``jo john@example.com``: here nothing may come before or after the address,
        the local part is a dot-atom and the domain has two labels or more (letters,
        digits and inner hyphens, read in its IDNA form) ending in a top-level domain.
        """
        match = EMAIL_RE.fullmatch(value) if isinstance(value, str) else None
        if not match or len(match["local"]) > 64:
            return False
        try:
            domain = match["domain"].encode("idna").decode("ascii").lower()
        except UnicodeError:
            return False
        if len(domain) > 253 or not DOMAIN_RE.fullmatch(domain) or not email_normalize(value, strict=True):
            return False
        return value

    @api.model
    def _phone_error(self, branch):
        country = branch.country_id
        example = country and phonenumbers.example_number_for_type(country.code, phonenumbers.PhoneNumberType.MOBILE)
        if example:
            return self.env._(
                "Please enter a valid phone number, like %s.",
                phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            )
        return self.env._("Please enter a valid phone number, with its country code.")

    @api.model
    def _normalized_phone(self, branch, phone):
        """`phone` in E.164, or False when it is not a valid number (never raises)."""
        if not isinstance(phone, str) or len(phone) > FIELD_LIMITS["phone"]:
            return False
        try:
            return self.env["res.partner"]._randevu_normalize_phone(phone, branch.country_id)
        except ValidationError:
            return False

    # ------------------------------------------------------------------ what can be booked
    @api.model
    def _services(self, branch, staff=None, among=None):
        """Services a customer may book by themselves at `branch` (with `staff` when
        given), by category; only those of `among` (product.template) when given,
        which is how a page about one service checks it without listing them all.

        Individual services only (group classes: see _class_services; packages are
        not booked by customers yet). A service needs an eligible staff member
        working at the branch and, if it uses resources, one the branch can use.
        """
        domain = [
            ("is_appointment_service", "=", True),
            ("randevu_online", "=", True),
            ("randevu_capacity", "=", 1),
            ("company_id", "in", [False, branch.id]),
        ]
        if among is not None:
            domain.append(("id", "in", among.ids))
        services = self.env["product.template"].search(domain)
        at_branch = self.env["hr.employee"].search(
            [("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)]
        )
        if staff:
            at_branch &= staff
        Availability = self.env["randevu.availability"]

        def offered(service):
            if service.randevu_resource_ids and not Availability._branch_resources(service, branch):
                return False
            listed = service.randevu_staff_line_ids.employee_id
            return bool(listed & at_branch if listed else at_branch)

        services = services.filtered(offered)
        if len(services) < 2:
            return services  # nothing to order (a page about one service): no category read
        return services.sorted(
            lambda service: (service.categ_id.complete_name or "", service.sequence, service.name, service.id)
        )

    @api.model
    def _staff(self, branch, service):
        """Staff members a customer may pick for `service` at `branch`, in the
        service's order."""
        employees = self.env["randevu.availability"]._eligible_staff(service, branch)
        order = {line.employee_id.id: line.sequence for line in service.randevu_staff_line_ids}
        return employees.sorted(lambda employee: (order.get(employee.id, 0), employee.name, employee.id))

    # ------------------------------------------------------------------ group classes
    @api.model
    def _session_domain(self, branch, services):
        """Sessions of `services` at `branch` a customer may join by themselves: booked
        or confirmed, after the branch's minimum notice and within its horizon."""
        earliest, latest = branch._randevu_online_window()
        return [
            ("company_id", "=", branch.id),
            ("service_id", "in", services.ids),
            ("state", "in", APPOINTMENT_EXPECTED_STATES),
            ("start", ">=", earliest),
            ("start", "<", latest),
        ]

    @api.model
    def _class_services(self, branch):
        """Group classes a customer may join at `branch` (capacity over 1), with a
        session to join there. Classes with a deposit are not offered: a seat is given
        at once, with no payment step."""
        services = self.env["product.template"].search(
            [
                ("is_appointment_service", "=", True),
                ("randevu_online", "=", True),
                ("randevu_capacity", ">", 1),
                ("randevu_deposit_type", "=", "none"),
                ("company_id", "in", [False, branch.id]),
            ]
        )
        if not services:
            return services
        with_sessions = self.env["randevu.appointment"]._read_group(
            self._session_domain(branch, services), ["service_id"]
        )
        services &= services.browse([service.id for (service,) in with_sessions])
        return services.sorted(
            lambda service: (service.categ_id.complete_name or "", service.sequence, service.name, service.id)
        )

    @api.model
    def _class_sessions(self, branch, service, session_id=None):
        """The sessions of `service` at `branch` a customer may join, by start; only
        `session_id` when given (empty when it is not one of them)."""
        domain = self._session_domain(branch, service)
        if session_id is not None:
            domain.append(("id", "=", session_id))
        return self.env["randevu.appointment"].search(domain, order="start, id")

    # ------------------------------------------------------------------ policies: online window
    @api.model
    def _online_days(self, branch):
        """(first, last): the local days customers may book on at `branch`, today to
        the end of its booking horizon."""
        today = branch._randevu_local_today()
        return today, today + timedelta(days=branch.randevu_horizon_days)

    @api.model
    def _day_problem(self, branch, day):
        """Why the local `day` is outside the days customers may book on at `branch`
        (a message for the customer), or False."""
        first, last = self._online_days(branch)
        if day < first:
            return self.env._("This day is in the past. Please pick another one.")
        if day > last:
            return self.env._(
                "Online bookings open %(days)s days ahead. Please pick an earlier day.",
                days=branch.randevu_horizon_days,
            )
        return False

    @api.model
    def _start_bound_problem(self, branch, start):
        """Why the naive UTC `start` is outside the times customers may book at
        `branch`, now to the end of its horizon (a message for the customer), or False."""
        now = fields.Datetime.now()
        if start < now:
            return self.env._("This time is in the past. Please pick another one.")
        if start >= branch._randevu_online_window(now)[1]:
            return self.env._(
                "Online bookings open %(days)s days ahead. Please pick an earlier time.",
                days=branch.randevu_horizon_days,
            )
        return False

    # ------------------------------------------------------------------ days and slots
    @api.model
    def _bookable_days(self, branch, service, staff=None, first_day=None, count=DAY_WINDOW, exclude=None):
        """Up to `count` local days from `first_day` (today at the earliest) with a free
        slot, and the day to look from for more (False at the booking horizon).

        One engine call per window of DAY_WINDOW days: a closed week costs one call.
        """
        today, last_day = self._online_days(branch)
        day = max(first_day or today, today)
        Availability = self.env["randevu.availability"]
        days = []
        while day <= last_day:
            window_last = min(day + timedelta(days=DAY_WINDOW - 1), last_day)
            start, end = branch._randevu_day_bounds(day, window_last)
            slots = Availability.find_slots(service, branch, start, end, staff=staff or None, exclude=exclude)
            for found in sorted({branch._randevu_local_day(slot["start"]) for slot in slots}):
                days.append(found)
                if len(days) == count:
                    following = found + timedelta(days=1)
                    return days, following if following <= last_day else False
            day = window_last + timedelta(days=1)
        return days, False

    @api.model
    def _day_slots(self, branch, service, staff, day, exclude=None):
        """Free slots of `service` on the local `day` (find_slots dicts); the time of
        `exclude` (an appointment being moved) counts as free."""
        start, end = branch._randevu_day_bounds(day)
        return self.env["randevu.availability"].find_slots(
            service, branch, start, end, staff=staff or None, exclude=exclude
        )

    @api.model
    def _alternatives(self, branch, service, staff, start, count=3):
        """Free slots nearest to `start` (its own time left out: the snapshot of a
        request that lost a race may still show it free), and whether they are with
        `staff`."""
        found = self.env["randevu.availability"].find_alternatives(
            service, branch, start, staff=staff or None, count=count
        )
        slots = sorted(found["before"] + found["after"], key=lambda slot: slot["start"])
        return [slot for slot in slots if slot["start"] != start], found["same_staff"]

    @api.model
    def _start_problem(self, branch, service, staff, start, exclude=None):
        """Why `start` cannot be booked by a customer (a message), or False when it can."""
        return self._start_check(branch, service, staff, start, exclude=exclude)[1]

    @api.model
    def _start_check(self, branch, service, staff, start, exclude=None):
        """(slot, problem): the engine's slot at `start` (a find_slots dict) when a
        customer may book it, else None and why (a message). One engine pass; pass
        the slot on to _book so that booking it takes no other."""
        if not start:
            return None, self.env._("Please pick a time.")
        problem = self._start_bound_problem(branch, start)
        if problem:
            return None, problem
        if start < branch._randevu_online_window()[0]:
            hours = f"{branch.randevu_min_notice:g}"
            return None, self.env._(
                "Online bookings need %(hours)s hours' notice. Please pick a later time.", hours=hours
            )
        slot = self._slot_at(branch, service, staff, start, exclude=exclude)
        if not slot:
            if self._taken(branch, service, staff, start, exclude=exclude):
                return None, self.env._("Sorry, this time was just taken. Please pick another one.")
            return None, self.env._("This time is not available. Please pick another one.")
        return slot, False

    @api.model
    def _slot_at(self, branch, service, staff, start, exclude=None):
        """The engine's slot starting exactly at `start` (a find_slots dict), or None."""
        slots = self.env["randevu.availability"].find_slots(
            service, branch, start, start + timedelta(seconds=1), staff=staff or None, exclude=exclude
        )
        return slots[0] if slots else None

    @api.model
    def _taken(self, branch, service, staff, start, exclude=None):
        """Whether an appointment holds the staff (`staff`, or every eligible staff
        member) at `start`: the time was free once, someone booked it meanwhile."""
        employees = staff or self.env["randevu.availability"]._eligible_staff(service, branch)
        Appointment = self.env["randevu.appointment"]
        return bool(
            Appointment.search_count(
                [
                    ("employee_id", "in", employees.ids),
                    ("id", "not in", exclude.ids if exclude else []),
                    ("state", "in", APPOINTMENT_HOLDING_STATES),
                    ("start", "<", start + timedelta(hours=service.randevu_duration)),
                    ("stop", ">", start),
                ],
                limit=1,
            )
        )

    @api.model
    def _customer_busy(self, partner, service, start):
        """Whether `partner` already has an active appointment overlapping `service` at
        `start`: a second click or tab must not book them twice with "anyone"."""
        stop = start + timedelta(hours=service.randevu_duration)
        Appointment = self.env["randevu.appointment"]
        return bool(
            Appointment.search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", APPOINTMENT_HOLDING_STATES),
                    ("start", "<", stop),
                    ("stop", ">", start),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------------ labels
    @api.model
    def _day_labels(self, day):
        """(weekday, short date, long date) of a date in the context's language."""
        return (
            format_date(self.env, day, date_format="EEE"),
            format_date(self.env, day, date_format="d MMM"),
            format_date(self.env, day, date_format="EEEE d MMMM"),
        )

    @api.model
    def _time_label(self, branch, moment):
        """Local time of the naive UTC `moment` at `branch` ("10:00", "10:00 AM"); in the
        repeated hour of a fall-back night with its UTC offset ("1:00 AM (UTC-4)", then
        "1:00 AM (UTC-5)"), so that the two 1:00 AM slots can be told apart."""
        tz_name = branch._randevu_branch_tz()
        label = format_time(self.env, moment, tz=tz_name, time_format="short")
        return label + repeated_time_suffix(pytz.timezone(tz_name), moment)

    @api.model
    def _when_label(self, branch, start, stop=None):
        """ "Monday 6 January, 10:00" of the naive UTC `start` at `branch`, with
        " - 11:00" when `stop` is given."""
        label = f"{self._day_labels(branch._randevu_local_day(start))[2]}, {self._time_label(branch, start)}"
        return f"{label} - {self._time_label(branch, stop)}" if stop else label

    @api.model
    def _duration_label(self, hours):
        minutes = round(hours * 60)
        if minutes < 60:
            return self.env._("%s min", minutes)
        if minutes % 60 == 0:
            return self.env._("%s h", minutes // 60)
        return self.env._("%(hours)s h %(minutes)s min", hours=minutes // 60, minutes=minutes % 60)

    # ------------------------------------------------------------------ duration and price
    @api.model
    def _terms(self, branch, service, staff=None, slot=None):
        """What `service` takes and costs at `branch`: with the staff member the engine
        gives `slot` to (a find_slots dict) when given, else with `staff`, else with
        any eligible staff member ("anyone"), each with their own duration and price
        when they have one.

        :return: ``{"duration": (shortest, longest), "price": (lowest, highest)}``,
            hours and the branch's currency: a range when they differ between staff
        """
        if slot:
            employees = self.env["hr.employee"].browse(slot["employee_id"])
        else:
            employees = staff or self._staff(branch, service)
        pairs = [service._randevu_duration_price(employee) for employee in employees]
        pairs = pairs or [(service.randevu_duration, service.list_price)]
        durations, prices = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
        return {"duration": (min(durations), max(durations)), "price": (min(prices), max(prices))}

    @api.model
    def _terms_values(self, branch, terms):
        """What a customer is shown of `terms` (see _terms): ``duration`` (a label, a
        range when it varies), ``price`` (the lowest) and ``price_from`` (it varies),
        and ``token`` when both are exact: the figures as the customer's confirmation
        sends them back (terms_token), False otherwise."""
        currency = branch.currency_id
        shortest, longest = terms["duration"]
        lowest, highest = terms["price"]
        exact_duration = round(shortest * 60) == round(longest * 60)
        exact_price = currency.compare_amounts(lowest, highest) == 0
        duration = self._duration_label(shortest)
        if not exact_duration:
            duration = self.env._(
                "%(shortest)s to %(longest)s", shortest=duration, longest=self._duration_label(longest)
            )
        return {
            "duration": duration,
            "price": lowest,
            "price_from": not exact_price,
            "token": exact_duration and exact_price and terms_token(shortest, lowest, currency),
        }

    @api.model
    def _deposit_values(self, branch, service, terms):
        """The deposit a customer is shown before confirming a booking of `service` at
        `terms` (see _terms): ``amount`` (the lowest), ``amount_from`` (it varies with
        the staff member) and the rules that go with it (``hold_minutes``,
        ``cancel_hours``), or False when none is asked. None here: the deposit addon
        (randevu_account) computes it with the rule the booking applies."""
        return False

    @api.model
    def _terms_changed_message(self):
        return self.env._("The duration or price of this time has changed: please check them above and confirm again.")

    # ------------------------------------------------------------------ policies: the customer
    @api.model
    def _policy_refusal(self, branch, details, partner=None):
        """The message of `branch`'s no-show policy when it refuses online bookings to
        `partner`, or to the existing customer with the phone or email of `details`
        (why, and the branch's phone), else False. Asked before the time: a customer
        over the limit hears it whatever time they pick. Reads only."""
        if not partner:
            partner = self._find_customer(branch, details)
        policy, message = partner._randevu_online_booking_policy(branch)
        return message if policy == "refused" else False

    @api.model
    def _change_problem(self, appointment):
        """Why the customer cannot move or cancel `appointment` by themselves (a
        message naming the branch's phone), or False when they can."""
        appointment.ensure_one()
        branch = appointment.company_id
        now = fields.Datetime.now()
        if appointment.state not in APPOINTMENT_EXPECTED_STATES or appointment.start <= now:
            return self.env._("This appointment can no longer be changed.")
        if now > branch._randevu_change_deadline(appointment.start):
            # Formatted first: Odoo's term extraction cannot read an f-string among the arguments.
            hours = f"{branch.randevu_cancel_cutoff:g}"
            return self.env._(
                "It is too late to move or cancel this appointment online (%(hours)s hours before at the latest). "
                "Please call us at %(phone)s.",
                hours=hours,
                phone=branch.phone or branch.email or branch.name,
            )
        return False

    @api.model
    def _seat_cancel_problem(self, attendee):
        """Why the customer cannot cancel their seat (or waitlist place) `attendee` by
        themselves (a message naming the branch's phone), or False when they can."""
        attendee.ensure_one()
        session = attendee.appointment_id
        branch = session.company_id
        now = fields.Datetime.now()
        if (
            attendee.state not in ATTENDEE_CANCELLABLE_ONLINE_STATES
            or session.state not in APPOINTMENT_EXPECTED_STATES
            or session.start <= now
        ):
            return self.env._("This place can no longer be cancelled.")
        if now > branch._randevu_change_deadline(session.start):
            # Formatted first: Odoo's term extraction cannot read an f-string among the arguments.
            hours = f"{branch.randevu_cancel_cutoff:g}"
            return self.env._(
                "It is too late to cancel this place online (%(hours)s hours before at the latest). "
                "Please call us at %(phone)s.",
                hours=hours,
                phone=branch.phone or branch.email or branch.name,
            )
        return False

    # ------------------------------------------------------------------ booking
    @api.model
    def _randevu_appointment_values(self, branch, service, staff, start, partner, values):
        """The values of the appointment a customer books, just before it is created:
        the hook where an addon adds what it decides at booking time (a deposit hold).

        :param staff: hr.employee the engine gives the time to
        :return: the values (a new dict when changed); here `values` unchanged
        """
        return values

    @api.model
    def _book(self, branch, service, staff, start, details, partner=None, terms=None, slot=None, source="website"):
        """Book `service` at `start` (naive UTC) for `partner`, or for the customer with
        the phone or email of `details` (created when unknown), through the engine.

        `slot` is the engine's slot at `start` checked in this request (_start_check):
        booking it takes no other engine pass (the appointment's overlap check trusts
        it, the database's EXCLUDE constraint still refuses a time taken meanwhile).
        `terms` (terms_token) is the duration and price the customer saw: an
        appointment that would take or cost anything else (the engine gave the time
        to another staff member meanwhile) is not booked. `source` is the channel.

        The branch's no-show policy comes first: a customer over its limit is refused
        whatever the time. _randevu_appointment_values completes the values before
        the appointment is created.

        All or nothing: when the time cannot be booked, the customer record created
        for it is rolled back with it. The existing customer's record is never changed
        and nothing tells the customer whether the phone or email was known.

        :raise BookingRefused: the branch's no-show policy refuses the customer
        :raise SlotUnavailable: the time was taken meanwhile (or is no longer free)
        :raise TermsChanged: the time is free at another duration or price than `terms`
        """
        # No "created" line in the chatter of the customer or the appointment a channel
        # creates: the appointment's source, author and date say it, and its confirmation
        # is logged there once sent (the creation line cost a tenth of a booking).
        quiet = self.with_context(mail_create_nolog=True)
        Availability = quiet.env["randevu.availability"]
        try:
            with self.env.cr.savepoint():
                if not partner:
                    # A new customer of a channel has no chatter history to start nor
                    # follower to subscribe (the booker is the public user or a bot):
                    # Odoo's mail.thread bookkeeping is skipped (a fifth of the creation).
                    partner = (
                        quiet.with_context(tracking_disable=True)
                        ._find_or_create_customer(branch, details)
                        .with_env(self.env)
                    )
                notes = [partner.randevu_customer_note, details.get("note")]
                values = {"source": source, "customer_note": "\n\n".join(filter(None, notes)) or False}
                values = Availability._apply_noshow_policy(branch, partner, values)
                if self._customer_busy(partner, service, start):
                    # Said as for a taken time: the customer may not be this one.
                    raise SlotUnavailable(self.env._("This time is not available. Please pick another one."))
                slot = slot or self._slot_at(branch, service, staff, start)
                if not slot:
                    raise UserError(self.env._("This time is no longer available. Please pick another one."))
                employee = self.env["hr.employee"].browse(slot["employee_id"])
                values = self._randevu_appointment_values(branch, service, employee, start, partner, values)
                appointment = Availability._book_slot(service, branch, slot, partner, values).with_env(self.env)
                if (
                    terms is not None
                    and terms_token(appointment.duration, appointment.price, branch.currency_id) != terms
                ):
                    raise TermsChanged(self._terms_changed_message())
                return appointment
        except (SlotUnavailable, BookingRefused):
            raise
        except (UserError, ValidationError) as error:
            _logger.info("Online booking of %s at %s refused: %s", service.name, start, error)
            raise SlotUnavailable(self.env._("Sorry, this time was just taken. Please pick another one.")) from error

    @api.model
    def _book_seat(self, branch, session, details, partner=None, source="website"):
        """A seat in `session` for `partner`, or for the customer with the phone or
        email of `details` (created when unknown), given by the calendar (a seat when
        one is left, else the session's waitlist, under its row lock).

        All or nothing: when the seat cannot be given, the customer record created
        for it is rolled back with it.

        :return: the randevu.attendee
        :raise SlotUnavailable: the customer is in the session already, or the session
            is no longer open
        :raise BookingRefused: the branch's no-show policy refuses the customer
        """
        try:
            with self.env.cr.savepoint():
                if not partner:
                    partner = self._find_or_create_customer(branch, details)
                # The branch's no-show policy, as for a booking: a refusal says why, whatever
                # the session (a deposit it would ask is not taken for classes).
                self.env["randevu.availability"]._apply_noshow_policy(branch, partner, {"source": source})
                rows = session._lock_sessions()[session.id]
                if any(row["partner_id"] == partner.id and row["state"] != "cancelled" for row in rows):
                    raise SlotUnavailable(
                        self.env._("You already have a place in this class (or on its waitlist): see your messages.")
                    )
                attendee = session._add_attendee(partner)
                if details.get("note"):
                    session.message_post(
                        body=self.env._("Note from %(name)s: %(note)s", name=partner.name, note=details["note"]),
                        subtype_xmlid="mail.mt_note",
                    )
                return attendee
        except (SlotUnavailable, BookingRefused):
            raise
        except (UserError, ValidationError) as error:
            _logger.info("Online seat in session %s refused: %s", session.id, error)
            raise SlotUnavailable(self.env._("Sorry, this class can no longer be booked.")) from error

    # ------------------------------------------------------------------ the customer's changes
    @api.model
    def _reschedule(self, appointment, start, staff=None):
        """Move `appointment` to `start` (naive UTC) on its customer's request, through
        the engine: with `staff` when given, else the same staff member when free
        then, else the one the engine proposes; the same resource when free, else a
        free one. All or nothing; one engine pass when the staff member stays.

        :raise ChangeRefused: it is too late to change the appointment
        :raise SlotUnavailable: `start` cannot be booked (with the reason)
        """
        appointment.ensure_one()
        problem = self._change_problem(appointment)
        if problem:
            raise ChangeRefused(problem)
        branch, service = appointment.company_id, appointment.service_id
        slot, problem = self._start_check(branch, service, staff or appointment.employee_id, start, exclude=appointment)
        if not slot and not staff:
            slot, problem = self._start_check(branch, service, None, start, exclude=appointment)
        if problem:
            raise SlotUnavailable(problem)
        resources = appointment.resource_ids
        if not resources or not set(resources.ids) <= set(slot["resource_ids"]):
            resources = resources.browse(slot["resource_ids"][:1])
        values = {"start": start, "employee_id": slot["employee_id"]}
        if service.randevu_resource_ids:
            values["resource_ids"] = [(6, 0, resources.ids)]
        checked = self.env["randevu.availability"]._checked_slot_key(branch, service, slot)
        try:
            with self.env.cr.savepoint():
                appointment.with_context(randevu_checked_slot=checked).write(values)
        except (UserError, ValidationError) as error:
            _logger.info("Online move of appointment %s to %s refused: %s", appointment.id, start, error)
            raise SlotUnavailable(self.env._("Sorry, this time was just taken. Please pick another one.")) from error
        return True

    @api.model
    def _cancel(self, appointment, reason=None):
        """Cancel `appointment` on its customer's request, within the branch's cutoff.

        :raise ChangeRefused: with the reason when it is too late or not possible
        """
        appointment.ensure_one()
        problem = self._change_problem(appointment)
        if problem:
            raise ChangeRefused(problem)
        appointment.write(
            {"state": "cancelled", "cancel_reason": reason or self.env._("Cancelled online by the customer")}
        )
        return True

    @api.model
    def _cancel_seat(self, attendee):
        """Cancel the seat (or waitlist place) `attendee` on its customer's request,
        within the branch's cutoff; the calendar gives the seat freed to the first of
        the waitlist.

        :raise ChangeRefused: with the reason when it is too late or not possible
        """
        attendee.ensure_one()
        problem = self._seat_cancel_problem(attendee)
        if problem:
            raise ChangeRefused(problem)
        return attendee.action_cancel()
