import logging
import re
from datetime import datetime, time, timedelta

import phonenumbers
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, float_repr, format_date, format_time

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES, APPOINTMENT_HOLDING_STATES
from odoo.addons.randevu_calendar.models.res_partner import BookingRefused
from odoo.addons.randevu_calendar.tools.local_clock import repeated_time_suffix

_logger = logging.getLogger(__name__)

# Length bounds of the details form, in characters: checked here, repeated in the
# template as maxlength.
FIELD_LIMITS = {"name": 100, "phone": 32, "email": 254, "note": 1000}

# Bookable days are looked for this many days at a time (one engine call each).
DAY_WINDOW = 14

# A slot's start in URLs and JSON: naive UTC to the minute.
START_FORMAT = "%Y-%m-%dT%H:%M"


# One email address and nothing else: a dot-atom local part (letters of any script
# allowed, as SMTPUTF8 does) and a domain of labels of letters, digits and inner
# hyphens ending in a top-level domain of letters (checked on its IDNA form).
_EMAIL_LOCAL = r"(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\x00-\x7F])+"
EMAIL_RE = re.compile(
    rf"(?P<local>{_EMAIL_LOCAL}(?:\.{_EMAIL_LOCAL})*)@(?P<domain>[^@\s]+)",
)
DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def format_start(value):
    return value.strftime(START_FORMAT)


def parse_start(value):
    """The naive UTC datetime of a slot start from a URL or form, or None. Any
    datetime Python knows: bound it (randevu.online.booking._visitor_start) before
    any arithmetic."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), START_FORMAT)
    except ValueError:
        return None


def terms_token(duration, price, currency):
    """The duration (hours) and price of a booking as the details form carries them:
    ``minutes/price`` at the currency's precision."""
    return f"{round(duration * 60)}/{float_repr(currency.round(price), currency.decimal_places)}"


def parse_day(value):
    """A local date (YYYY-MM-DD) from a URL, or None. Any date Python knows: bound it
    (randevu.online.booking._visitor_day) before any arithmetic."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


class SlotUnavailable(UserError):
    """The time asked for cannot be booked: taken meanwhile, past or never free."""


class TermsChanged(SlotUnavailable):
    """The time is free, but no longer at the duration or price the visitor saw (the
    engine gives it to another staff member, with their own)."""


class RandevuOnlineBooking(models.AbstractModel):
    """What the website's booking pages offer and how they book.

    Website visitors may read neither branches, services, staff nor appointments:
    controllers call this model as superuser (reason given there). Every method
    returns only what a page shows, and booking goes through the availability
    engine, which applies the branch's rules, and the database, which refuses any
    overlap.
    """

    _name = "randevu.online.booking"
    _description = "Online Booking"

    # ------------------------------------------------------------------ what can be booked
    @api.model
    def _branch_domain(self, website):
        return [("randevu_online_booking", "=", True), ("id", "child_of", website.company_id.id)]

    @api.model
    def _branches(self, website):
        """Branches of the website's company open to online booking."""
        return self.env["res.company"].search(self._branch_domain(website), order="name, id")

    @api.model
    def _branch(self, website, branch_id):
        """The branch `branch_id` when it is open to online booking on `website`."""
        return self.env["res.company"].search([("id", "=", branch_id), *self._branch_domain(website)], limit=1)

    @api.model
    def _services(self, branch, staff=None):
        """Services bookable online at `branch` (with `staff` when given), by category.

        Individual services only (group classes: see _class_services; packages are
        not booked online yet); services with a deposit when the branch can take
        payments. A service needs an eligible staff member
        working at the branch and, if it uses resources, one the branch can use.
        """
        services = self.env["product.template"].search(
            [
                ("is_appointment_service", "=", True),
                ("randevu_online", "=", True),
                ("randevu_capacity", "=", 1),
                ("company_id", "in", [False, branch.id]),
            ]
        )
        if not branch._randevu_deposits_payable():
            services = services.filtered(lambda service: service.randevu_deposit_type == "none")
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

        return services.filtered(offered).sorted(
            lambda service: (service.categ_id.complete_name or "", service.sequence, service.name, service.id)
        )

    # ------------------------------------------------------------------ group classes
    @api.model
    def _session_domain(self, branch, services):
        """Sessions of `services` at `branch` a customer may join online: booked or
        confirmed, after the branch's minimum notice and within its horizon."""
        now = fields.Datetime.now()
        return [
            ("company_id", "=", branch.id),
            ("service_id", "in", services.ids),
            ("state", "in", APPOINTMENT_EXPECTED_STATES),
            ("start", ">=", now + timedelta(hours=branch.randevu_min_notice)),
            ("start", "<", now + timedelta(days=branch.randevu_horizon_days)),
        ]

    @api.model
    def _class_services(self, branch):
        """Group classes bookable online at `branch` (capacity over 1), with a session
        to join there. Classes with a deposit are not booked online: a seat is given
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
        """The sessions of `service` at `branch` a customer may join online, by start;
        only `session_id` when given (empty when it is not one of them)."""
        domain = self._session_domain(branch, service)
        if session_id is not None:
            domain.append(("id", "=", session_id))
        return self.env["randevu.appointment"].search(domain, order="start, id")

    @api.model
    def _book_seat(self, branch, session, details, partner=None):
        """A seat in `session` for `partner`, or for the customer with the phone or
        email of `details` (created when unknown), given by the calendar (a seat when
        one is left, else the session's waitlist, under its row lock).

        All or nothing: when the seat cannot be given, the customer record created
        for it is rolled back with it.

        :return: the randevu.attendee
        :raise SlotUnavailable: the customer is in the session already, or the session
            is no longer open
        :raise BookingRefused: the branch's no-show policy refuses the customer online
        """
        try:
            with self.env.cr.savepoint():
                if not partner:
                    partner = self.env["res.partner"]._randevu_find_or_create(
                        details["name"], details["phone"], details["email"], country=branch.country_id
                    )
                # The branch's no-show policy, as for a booking: a refusal says why, whatever
                # the session (a deposit it would ask is not taken online for classes).
                self.env["randevu.availability"]._apply_noshow_policy(branch, partner, {"source": "website"})
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

    @api.model
    def _staff(self, branch, service):
        """Staff members a customer may pick for `service` at `branch`, in the
        service's order."""
        employees = self.env["randevu.availability"]._eligible_staff(service, branch)
        order = {line.employee_id.id: line.sequence for line in service.randevu_staff_line_ids}
        return employees.sorted(lambda employee: (order.get(employee.id, 0), employee.name, employee.id))

    # ------------------------------------------------------------------ days and slots
    @api.model
    def _local_today(self, branch):
        tz = pytz.timezone(branch._randevu_branch_tz())
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    # ------------------------------------------------------------------ what a visitor may ask for
    @api.model
    def _online_days(self, branch):
        """(first, last): the local days online booking works on at `branch`, today
        to the end of its booking horizon."""
        today = self._local_today(branch)
        return today, today + timedelta(days=branch.randevu_horizon_days)

    @api.model
    def _day_problem(self, branch, day):
        """Why the local `day` is outside the days online booking works on at `branch`
        (a message for the visitor), or False."""
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
        """Why the naive UTC `start` is outside the times online booking works on at
        `branch`, now to the end of its horizon (a message for the visitor), or False."""
        now = fields.Datetime.now()
        if start < now:
            return self.env._("This time is in the past. Please pick another one.")
        if start >= now + timedelta(days=branch.randevu_horizon_days):
            return self.env._(
                "Online bookings open %(days)s days ahead. Please pick an earlier time.",
                days=branch.randevu_horizon_days,
            )
        return False

    @api.model
    def _visitor_day(self, branch, value):
        """(day, problem) of a local day (YYYY-MM-DD) a visitor sent: the only way
        pages read one, so that no date arithmetic ever runs on a day outside today …
        the horizon (a year 9999 or 1 overflows Python's dates in day bounds and
        timezones).

        :return: day None when `value` is absent, junk or out of bounds; problem the
            message for the visitor when out of bounds, else False (each page says
            what it expects of an absent or junk day)
        """
        day = parse_day(value)
        problem = day and self._day_problem(branch, day)
        return (None, problem) if problem else (day, False)

    @api.model
    def _visitor_start(self, branch, value):
        """(start, problem) of a slot start (naive UTC, ``YYYY-MM-DDTHH:MM``) a visitor
        sent, bounded as _visitor_day: now … the horizon.

        :return: start None when `value` is absent, junk or out of bounds, with the
            message for the visitor
        """
        start = parse_start(value)
        if not start:
            return None, self.env._("Please pick a time.")
        problem = self._start_bound_problem(branch, start)
        return (None, problem) if problem else (start, False)

    @api.model
    def _day_bounds(self, branch, first_day, last_day=None):
        """Naive UTC bounds of the local days [first_day, last_day] at `branch` (days
        within _online_days: see _visitor_day)."""
        tz = pytz.timezone(branch._randevu_branch_tz())

        def midnight(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return midnight(first_day), midnight((last_day or first_day) + timedelta(days=1))

    @api.model
    def _local_day(self, branch, moment):
        tz = pytz.timezone(branch._randevu_branch_tz())
        return pytz.utc.localize(moment).astimezone(tz).date()

    @api.model
    def _bookable_days(self, branch, service, staff=None, first_day=None, count=DAY_WINDOW, exclude=None):
        """Up to `count` local days from `first_day` (today at the earliest) with a free
        slot, and the day to look from for more (False at the booking horizon).

        One engine call per window of DAY_WINDOW days: a closed week costs one call.
        """
        today = self._local_today(branch)
        day = max(first_day or today, today)
        last_day = today + timedelta(days=branch.randevu_horizon_days)
        Availability = self.env["randevu.availability"]
        days = []
        while day <= last_day:
            window_last = min(day + timedelta(days=DAY_WINDOW - 1), last_day)
            start, end = self._day_bounds(branch, day, window_last)
            slots = Availability.find_slots(service, branch, start, end, staff=staff or None, exclude=exclude)
            for found in sorted({self._local_day(branch, slot["start"]) for slot in slots}):
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
        start, end = self._day_bounds(branch, day)
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
        """Why `start` cannot be booked online (a message), or False when it can."""
        return self._start_check(branch, service, staff, start, exclude=exclude)[1]

    @api.model
    def _start_check(self, branch, service, staff, start, exclude=None):
        """(slot, problem): the engine's slot at `start` (a find_slots dict) when it
        can be booked online, else None and why (a message)."""
        if not start:
            return None, self.env._("Please pick a time.")
        problem = self._start_bound_problem(branch, start)
        if problem:
            return None, problem
        if start < fields.Datetime.now() + timedelta(hours=branch.randevu_min_notice):
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
        """What a page shows of `terms` (see _terms): ``duration`` (a label, a range
        when it varies), ``price`` (the lowest) and ``price_from`` (it varies), and
        ``token`` when both are exact: the figures as the details form sends them
        back (terms_token), False otherwise."""
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

    # ------------------------------------------------------------------ the customer's details
    @api.model
    def _check_details(self, branch, values):
        """Cleaned details of the form and the problems found.

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

        Every form where a visitor types an email (booking, waitlist, class seat) goes
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

    # ------------------------------------------------------------------ booking
    @api.model
    def _book(self, branch, service, staff, start, details, partner=None, terms=None):
        """Book `service` at `start` (naive UTC) for `partner`, or for the customer with
        the phone or email of `details` (created when unknown), through the engine.

        `terms` (terms_token) is the duration and price the visitor saw: an
        appointment that would take or cost anything else (the engine gave the time
        to another staff member meanwhile) is not booked.

        With a deposit due (the service's, or the no-show policy's) and a way to pay
        it online, the appointment is held (``randevu_hold_until``) and its customer is
        told once the deposit is paid (see randevu.appointment._randevu_record_deposit).

        All or nothing: when the time cannot be booked, the customer record created
        for it is rolled back with it. The existing customer's record is never changed
        and nothing tells the visitor whether the phone or email was known.

        :raise SlotUnavailable: the time was taken meanwhile (or is no longer free)
        :raise TermsChanged: the time is free at another duration or price than `terms`
        :raise BookingRefused: the branch's no-show policy refuses the customer online
        """
        Availability = self.env["randevu.availability"]
        try:
            with self.env.cr.savepoint():
                if not partner:
                    partner = self.env["res.partner"]._randevu_find_or_create(
                        details["name"], details["phone"], details["email"], country=branch.country_id
                    )
                if self._customer_busy(partner, service, start):
                    # Said as for a taken time: the visitor may not be this customer.
                    raise SlotUnavailable(self.env._("This time is not available. Please pick another one."))
                notes = [partner.randevu_customer_note, details.get("note")]
                # With a deposit to pay online, the booking is held and confirmed once paid.
                hold = branch._randevu_deposits_payable()
                appointment = Availability.with_context(randevu_deposit_hold=hold).book(
                    service,
                    branch,
                    start,
                    staff=staff or None,
                    partner=partner,
                    values={"source": "website", "customer_note": "\n\n".join(filter(None, notes)) or False},
                )
                if (
                    terms is not None
                    and terms_token(appointment.duration, appointment.price, branch.currency_id) != terms
                ):
                    raise TermsChanged(self._terms_changed_message())
                if hold:
                    appointment._randevu_start_hold()
                return appointment.with_context(randevu_deposit_hold=False)
        except (TermsChanged, BookingRefused):
            raise
        except (UserError, ValidationError) as error:
            _logger.info("Online booking of %s at %s refused: %s", service.name, start, error)
            raise SlotUnavailable(self.env._("Sorry, this time was just taken. Please pick another one.")) from error

    @api.model
    def _policy_refusal(self, branch, details, partner=None):
        """The message of `branch`'s no-show policy when it refuses online bookings to
        `partner`, or to the existing customer with the phone or email of `details`
        (why, and the branch's phone), else False. Asked before the time: a customer
        over the limit hears it whatever time they pick. Reads only."""
        if not partner:
            partner = self.env["res.partner"]._randevu_find_customer(
                details["name"], details["phone"], details["email"], country=branch.country_id
            )
        policy, message = partner._randevu_online_booking_policy(branch)
        return message if policy == "refused" else False

    @api.model
    def _terms_changed_message(self):
        return self.env._("The duration or price of this time has changed: please check them above and confirm again.")

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
