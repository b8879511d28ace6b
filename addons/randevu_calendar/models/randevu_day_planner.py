from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..const import APPOINTMENT_CALLED_OFF_STATES, APPOINTMENT_HOLDING_STATES
from ..tools.intervals import intersect, normalize, subtract
from .res_partner import CustomerQuestion


class RandevuDayPlanner(models.AbstractModel):
    """Data and actions of the receptionist's day planner (client action
    ``randevu_calendar.day_planner``): one column per bookable staff member of a
    branch, one local day, appointments as blocks.

    Working time comes from the availability engine (`randevu.availability._load`):
    hours minus breaks, leave and closures. Appointments are read with the
    user's rights; those the user may not read (a staff member looking at a
    colleague's day) appear as anonymous busy time, taken from the engine.

    Times sent to the browser are minutes since the branch's local midnight
    (wall clock, for drawing) and naive UTC strings (for writing back).
    """

    _name = "randevu.day.planner"
    _description = "Day Planner"

    # The time axis shows at least this (local minutes); it widens to fit
    # working hours and appointments outside it.
    _DEFAULT_RANGE = (7 * 60, 21 * 60)

    # ------------------------------------------------------------------ reading a day
    @api.model
    def get_day(self, branch_id=False, day=False):
        """Everything the planner draws for `branch_id` on local `day` ('YYYY-MM-DD',
        today in the branch's timezone when empty)."""
        branch = self._planner_branch(branch_id)
        self = self.with_company(branch)
        local_day = fields.Date.to_date(day) if day else branch._randevu_local_today()
        day_start, day_end = branch._randevu_day_bounds(local_day)

        # Bookable staff are shown to everyone working at the branch (name and colour
        # only); receptionists are not HR officers and cannot read hr.employee.
        employees_sudo = (
            self.env["hr.employee"]
            .sudo()
            .search([("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)], order="name, id")
        )
        plan = self.env["randevu.availability"]._load(
            branch, employees_sudo, self.env["resource.resource"], day_start, day_end
        )
        appointments = self._planner_appointments(branch, employees_sudo, day_start, day_end)
        held_by_staff, held_by_appointment = self._planner_held_time(appointments)

        def minutes(moment):
            # Wall-clock minutes since the day's midnight, clipped to the day (0..1440).
            local = branch._randevu_to_local(moment)
            minutes = (local.date() - local_day).days * 24 * 60 + local.hour * 60 + local.minute
            return min(max(minutes, 0), 24 * 60)

        state_labels = dict(self.env["randevu.appointment"]._fields["state"]._description_selection(self.env))
        window = [(day_start, day_end)]
        staff = []
        for employee in employees_sudo:
            work = intersect(plan["work"][employee.id].intervals, window)
            busy = intersect(plan["busy"][employee.id], window)
            anonymous_busy = subtract(busy, normalize(held_by_staff[employee.id]))
            staff.append(
                {
                    "id": employee.id,
                    "name": employee.name,
                    # No colour chosen: one from the id, so that neighbours differ.
                    "color": employee.randevu_color or employee.id % 11 + 1,
                    "work": [(minutes(start), minutes(stop)) for start, stop in work],
                    "busy": [(minutes(start), minutes(stop)) for start, stop in anonymous_busy],
                }
            )
        blocks = [
            self._planner_block(appointment, normalize(held_by_appointment[appointment["id"]]), minutes, state_labels)
            for appointment in appointments
            if appointment["start"] < day_end and appointment["stop"] > day_start
        ]
        markers = self._planner_markers(self.env["randevu.appointment"].browse([block["id"] for block in blocks]))
        for block in blocks:
            block["markers"] = markers.get(block["id"], [])
        warnings = self._planner_double_bookings(branch, blocks, day_start, day_end)
        closed = self._planner_closed_label(branch, local_day, day_start, day_end)
        for column in staff:
            column["status"] = "" if closed or column["work"] else self.env._("Off")

        bounds = [bound for column in staff for interval in column["work"] + column["busy"] for bound in interval]
        bounds += [bound for block in blocks for bound in (block["start_minute"], block["stop_minute"])]
        range_start = min([self._DEFAULT_RANGE[0], *(bound // 60 * 60 for bound in bounds)])
        range_stop = max([self._DEFAULT_RANGE[1], *(-(-bound // 60) * 60 for bound in bounds)])
        range_start, range_stop = max(range_start, 0), min(range_stop, 24 * 60)
        for column in staff:
            column["off"] = subtract([(range_start, range_stop)], normalize(column.pop("work")))

        services = self._planner_services(branch, employees_sudo)
        for column in staff:
            column["services"] = services[column["id"]]
        summary = self._planner_summary(branch, local_day, blocks, plan, employees_sudo, window)
        return {
            "branch": {
                "id": branch.id,
                "name": branch.name,
                "tz": branch._randevu_branch_tz(),
                "tz_label": self._planner_tz_label(branch, day_start),
            },
            "closed": closed,
            "summary": summary,
            "warnings": warnings,
            "branches": [{"id": company.id, "name": company.name} for company in self._planner_branches()],
            "day": fields.Date.to_string(local_day),
            "today": fields.Date.to_string(branch._randevu_local_today()),
            "range": [range_start, range_stop],
            "staff": staff,
            "appointments": blocks,
        }

    @api.model
    def _planner_branch(self, branch_id):
        """The branch asked for (the current company by default), when the user works there."""
        branch = self.env["res.company"].browse(branch_id) if branch_id else self.env.company
        if branch not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work at this branch."))
        return branch

    @api.model
    def _planner_branches(self):
        return self.env.user.company_ids.sorted("name")

    @api.model
    def _planner_appointments(self, branch, employees, day_start, day_end):
        """Appointments of the day the current user may read (record rules apply), with a
        day of margin on each side so that buffers across midnight are recognised."""
        return self.env["randevu.appointment"].search_read(
            [
                ("company_id", "=", branch.id),
                ("employee_id", "in", employees.ids),
                ("start", "<", day_end + timedelta(days=1)),
                ("stop", ">", day_start - timedelta(days=1)),
                ("state", "in", APPOINTMENT_HOLDING_STATES),
            ],
            [
                "name",
                "partner_id",
                "partner_phone",
                "service_id",
                "employee_id",
                "start",
                "stop",
                "state",
                "service_capacity",
                "seats_taken",
                "price",
                "customer_note",
                "source",
            ],
            order="start, id",
        )

    @api.model
    def _planner_held_time(self, appointments):
        """The time the readable `appointments` hold (their busy segments: buffers
        included, processing gaps excluded), as two dicts of lists of (start, stop):
        by staff member id and by appointment id."""
        segments = self.env["randevu.appointment.segment"].search_read(
            [
                ("appointment_id", "in", [appointment["id"] for appointment in appointments]),
                ("employee_id", "!=", False),
            ],
            ["appointment_id", "employee_id", "start", "stop"],
        )
        by_staff, by_appointment = defaultdict(list), defaultdict(list)
        for segment in segments:
            interval = (segment["start"], segment["stop"])
            by_staff[segment["employee_id"][0]].append(interval)
            by_appointment[segment["appointment_id"][0]].append(interval)
        return by_staff, by_appointment

    @api.model
    def _planner_block(self, appointment, segments, minutes, state_labels):
        """One appointment as the planner draws it; `segments` is the time it holds."""
        start, stop = appointment["start"], appointment["stop"]
        return {
            "id": appointment["id"],
            "name": appointment["name"],
            "partner": appointment["partner_id"] and appointment["partner_id"][1],
            "partner_id": appointment["partner_id"] and appointment["partner_id"][0],
            "partner_phone": appointment["partner_phone"] or "",
            "service": appointment["service_id"] and appointment["service_id"][1],
            "employee_id": appointment["employee_id"][0],
            "start": fields.Datetime.to_string(start),
            "stop": fields.Datetime.to_string(stop),
            "start_minute": minutes(start),
            "stop_minute": minutes(stop),
            "state": appointment["state"],
            "state_label": state_labels[appointment["state"]],
            "price": appointment["price"],
            "note": appointment["customer_note"] or "",
            "walk_in": appointment["source"] == "walk_in",
            # A group class: its seats are shown instead of one customer.
            "capacity": appointment["service_capacity"],
            "seats_taken": appointment["seats_taken"],
            # Preparation and cleaning time around the block, processing gaps inside it.
            "buffers": [(minutes(s), minutes(e)) for s, e in subtract(segments, [(start, stop)])],
            "gaps": [(minutes(s), minutes(e)) for s, e in subtract([(start, stop)], segments)] if segments else [],
        }

    @api.model
    def _planner_markers(self, appointments):
        """{appointment id: [{"key", "title"}]}: what the planner flags on each block of
        `appointments` (readable ones): ``note`` (the customer's note or allergy), ``first``
        (the customer's first visit), ``deposit`` (a deposit is paid). Other addons add
        theirs by extending this method (randevu_account: the deposit paid online)."""
        markers = defaultdict(list)
        partners = appointments.partner_id
        # Superuser: only each customer's first appointment date is read, whoever made it and
        # wherever (a staff user reads only their own appointments; the customer is still known).
        first_starts = dict(
            self.env["randevu.appointment"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("state", "not in", APPOINTMENT_CALLED_OFF_STATES)],
                ["partner_id"],
                ["start:min"],
            )
        )
        for appointment in appointments:
            if appointment.customer_note:
                markers[appointment.id].append({"key": "note", "title": appointment.customer_note})
            partner = appointment.partner_id
            if partner and first_starts.get(partner) == appointment.start:
                markers[appointment.id].append({"key": "first", "title": self.env._("First visit")})
            if appointment.payment_state == "deposit":
                markers[appointment.id].append({"key": "deposit", "title": self.env._("Deposit paid")})
        return markers

    @api.model
    def _planner_double_bookings(self, branch, blocks, day_start, day_end):
        """Warnings for customers booked twice at the same time (in two chairs, here or at
        another branch the user may read); each block concerned gets ``double_booked``."""
        for block in blocks:
            block["double_booked"] = False
        partner_ids = {block["partner_id"] for block in blocks if block["partner_id"]}
        if not partner_ids:
            return []
        others = self.env["randevu.appointment"].search_read(
            [
                ("partner_id", "in", list(partner_ids)),
                ("start", "<", day_end),
                ("stop", ">", day_start),
                ("state", "in", APPOINTMENT_HOLDING_STATES),
                ("service_capacity", "<=", 1),
            ],
            ["partner_id", "employee_id", "company_id", "start", "stop"],
            order="start, id",
        )
        by_partner = defaultdict(list)
        for other in others:
            by_partner[other["partner_id"][0]].append(other)
        warnings = []
        block_by_id = {block["id"]: block for block in blocks}
        for rows in by_partner.values():
            for index, first in enumerate(rows):
                for second in rows[index + 1 :]:
                    if second["start"] >= first["stop"]:
                        break
                    for row in (first, second):
                        if row["id"] in block_by_id:
                            block_by_id[row["id"]]["double_booked"] = True
                    warnings.append(
                        {
                            "appointment_ids": [first["id"], second["id"]],
                            "message": self.env._(
                                "%(customer)s is booked twice at the same time: %(first)s with %(first_staff)s "
                                "and %(second)s with %(second_staff)s.",
                                customer=first["partner_id"][1],
                                first=self._planner_time_range(branch, first),
                                first_staff=first["employee_id"][1],
                                second=self._planner_time_range(branch, second),
                                second_staff=second["employee_id"][1]
                                + ("" if second["company_id"][0] == branch.id else f" ({second['company_id'][1]})"),
                            ),
                        }
                    )
        return warnings

    @api.model
    def _planner_time_range(self, branch, row):
        return f"{branch._randevu_to_local(row['start']):%H:%M}-{branch._randevu_to_local(row['stop']):%H:%M}"

    @api.model
    def _planner_closed_label(self, branch, local_day, day_start, day_end):
        """ "Closed — <holiday>" when a closure (public holiday, branch closure) covers the
        branch's hours of `local_day`, "Closed" when the branch has no hours that day,
        else False."""
        Availability = self.env["randevu.availability"]
        calendar = branch.resource_calendar_id
        if not calendar:
            return False
        clock = branch._randevu_clock()
        hours = normalize(
            Availability._calendar_intervals(
                calendar, Availability._read_attendances(calendar), clock, day_start, day_end
            )
        )
        hours = intersect(hours, [(day_start, day_end)])
        # Superuser: closures are read for their names and dates only (receptionists
        # cannot read resource.calendar.leaves of the whole company).
        closures_sudo = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(Availability._leaves_domain(branch, calendar, day_start, day_end))
        )
        closed = normalize([(leave.date_from, leave.date_to) for leave in closures_sudo])
        if hours and subtract(hours, closed):
            return False
        names = [name for name in closures_sudo.mapped("name") if name]
        if names:
            return self.env._("Closed — %s", ", ".join(names))
        return self.env._("Closed")

    @api.model
    def _planner_tz_label(self, branch, moment):
        """ "Istanbul (GMT+3)": the branch's time zone city and its offset on the day shown."""
        tz_name = branch._randevu_branch_tz()
        offset = pytz.timezone(tz_name).utcoffset(moment + timedelta(hours=12))
        minutes = round(offset.total_seconds() / 60)
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        gmt = f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "GMT"
        city = tz_name.rsplit("/", 1)[-1].replace("_", " ")
        return f"{city} ({gmt})"

    @api.model
    def _planner_summary(self, branch, local_day, blocks, plan, employees, window):
        """The day in figures: appointments, expected revenue (branch currency), free
        bookable time (from now on, today) and who is in now (arrived or in service)."""
        currency = branch.currency_id
        revenue = sum(block["price"] for block in blocks if block["price"])
        now = fields.Datetime.now()
        is_today = local_day == branch._randevu_local_today()
        start = max(window[0][0], now) if is_today else window[0][0]
        free_window = [(start, window[0][1])] if start < window[0][1] else []
        free_minutes, free_gaps = 0, 0
        for employee in employees:
            for gap_start, gap_stop in intersect(plan["free"][employee.id].intervals, free_window):
                length = (gap_stop - gap_start).total_seconds() / 60
                if length >= 15:
                    free_minutes += length
                    free_gaps += 1
        in_now = [
            block["partner"] or self.env._("Walk-in")
            for block in blocks
            if is_today and block["state"] in ("arrived", "in_progress")
        ]
        return {
            "appointments": len(blocks),
            "revenue": revenue,
            "revenue_label": format_amount(self.env, revenue, currency),
            "free_minutes": round(free_minutes),
            "free_gaps": free_gaps,
            "in_now": in_now,
        }

    @api.model
    def _planner_services(self, branch, employees):
        """{employee id: [{id, name, duration (minutes)}]}: the services each staff member
        performs (a service without a staff list is performed by everyone)."""
        services = self.env["product.template"].search(
            [("is_appointment_service", "=", True), ("company_id", "in", (False, branch.id))], order="name, id"
        )
        result = {employee.id: [] for employee in employees}
        # A service's whole staff list decides who performs it, lines of other branches
        # included (hidden by the branch record rule, they still make the list non-empty).
        for service in services.sudo():
            lines = service.randevu_staff_line_ids
            for employee in employees:
                line = lines.filtered(lambda line, employee=employee: line.employee_id.id == employee.id)[:1]
                if lines and not line:
                    continue
                duration = line._effective_duration() if line else service.randevu_duration
                result[employee.id].append({"id": service.id, "name": service.name, "duration": round(duration * 60)})
        return result

    # ------------------------------------------------------------------ changing appointments
    @api.model
    def move(self, appointment_id, employee_id, start_utc, stop_utc):
        """Move and/or resize an appointment (drag and drop in the planner). The
        appointment's own rules answer: a ValidationError reaches the browser."""
        appointment = self.env["randevu.appointment"].browse(appointment_id).exists()
        if not appointment:
            raise AccessError(self.env._("This appointment no longer exists."))
        vals = {"start": fields.Datetime.to_datetime(start_utc), "stop": fields.Datetime.to_datetime(stop_utc)}
        if employee_id and employee_id != appointment.employee_id.id:
            vals["employee_id"] = employee_id
        appointment.write(vals)
        return True

    @api.model
    def create_from_planner(
        self,
        branch_id,
        employee_id,
        service_id,
        start_utc,
        customer_name=False,
        customer_phone=False,
        customer_id=False,
        new_customer=False,
    ):
        """Book `service_id` with `employee_id` at `start_utc` for the customer named or
        phoned (`res.partner._randevu_find_or_create`); a free resource is taken when
        the service needs one.

        When the phone belongs only to customers whose names clearly differ from the
        one typed, nothing is booked and the receptionist is asked: the answer is
        ``{"question": {"message", "customers": [{"id", "name"}], "new_name"}}``; the
        call is then repeated with `customer_id` (book that customer) or
        `new_customer` (add the typed name as a new customer with that phone).

        :return: ``{"appointment_id": id}`` once booked
        """
        branch = self._planner_branch(branch_id)
        self = self.with_company(branch)
        partner = self._planner_customer(branch, customer_name, customer_phone, customer_id, new_customer)
        if isinstance(partner, dict):
            return partner
        service = self.env["product.template"].browse(service_id)
        employee = self.env["hr.employee"].browse(employee_id)
        start = fields.Datetime.to_datetime(start_utc)
        appointment = self.env["randevu.appointment"].create(
            {
                "company_id": branch.id,
                "service_id": service.id,
                "employee_id": employee.id,
                "start": start,
                "partner_id": partner.id,
                "resource_ids": [(6, 0, self._planner_free_resource(branch, service, employee, start).ids)],
                "source": "phone" if (customer_phone or "").strip() else "backend",
            }
        )
        return {"appointment_id": appointment.id}

    @api.model
    def walk_in(
        self,
        branch_id,
        service_id,
        employee_id=False,
        customer_name=False,
        customer_phone=False,
        customer_id=False,
        new_customer=False,
    ):
        """Book a walk-in: `service_id` now, or at the next free moment today, with
        `employee_id` or with whoever is free first; the customer is optional (found or
        added as in `create_from_planner`, which also explains the question answered).

        :return: ``{"appointment_id", "day", "employee", "time"}`` once booked
        """
        branch = self._planner_branch(branch_id)
        self = self.with_company(branch)
        service = self.env["product.template"].browse(service_id).exists()
        if not service:
            raise UserError(self.env._("Choose a service."))
        Availability = self.env["randevu.availability"]
        now = fields.Datetime.now()
        # From the next five minutes on: a walk-in starts now, not at the next slot of the grid.
        start = now.replace(second=0, microsecond=0) + timedelta(minutes=5 - now.minute % 5)
        end = branch._randevu_day_bounds(branch._randevu_local_today())[1]
        employees_sudo = Availability._eligible_staff(
            service, branch, self.env["hr.employee"].browse(employee_id) if employee_id else None
        )
        resources = Availability._branch_resources(service, branch)
        slots = []
        if employees_sudo and start < end and not (service.randevu_resource_ids and not resources):
            span = Availability._service_span(service)
            plan = Availability._load(branch, employees_sudo, resources, start, end + span)
            slots = Availability._enumerate(service, branch, employees_sudo, resources, plan, start, end, 1, exact=True)
        if not slots:
            raise UserError(
                self.env._("No one can take a walk-in for %(service)s any more today.", service=service.name)
            )
        slot = slots[0]
        partner = self._planner_customer(branch, customer_name, customer_phone, customer_id, new_customer)
        if isinstance(partner, dict):
            return partner
        appointment = self.env["randevu.appointment"].create(
            {
                "company_id": branch.id,
                "service_id": service.id,
                "employee_id": slot["employee_id"],
                "start": slot["start"],
                "partner_id": partner.id,
                "resource_ids": [(6, 0, slot["resource_ids"][:1])],
                "source": "walk_in",
            }
        )
        local_start = branch._randevu_to_local(appointment.start)
        return {
            "appointment_id": appointment.id,
            "day": fields.Date.to_string(local_start.date()),
            # Superuser: receptionists cannot read hr.employee; only the name is shown.
            "employee": appointment.employee_id.sudo().name,
            "time": f"{local_start:%H:%M}",
        }

    @api.model
    def _planner_customer(self, branch, customer_name, customer_phone, customer_id, new_customer):
        """The customer to book (maybe none: a walk-in), or ``{"question": …}`` when the
        phone belongs to someone else (see `create_from_planner`)."""
        Partner = self.env["res.partner"]
        customer_name, customer_phone = (customer_name or "").strip(), (customer_phone or "").strip()
        if customer_id:
            partner = Partner.browse(customer_id).exists()
            if not partner:
                raise UserError(self.env._("This customer no longer exists."))
            return partner
        if not (customer_name or customer_phone):
            return Partner
        try:
            return Partner._randevu_find_or_create(
                customer_name, customer_phone, country=branch.country_id, ask=not new_customer
            )
        except CustomerQuestion as question:
            return {"question": self._planner_customer_question(question)}
        except AccessError as error:
            # Odoo's own message names models and groups: say it in a receptionist's words.
            raise AccessError(
                self.env._("You may not add new customers: ask a manager to add this customer, then book again.")
            ) from error

    @api.model
    def find_next_appointment(self, branch_id, query):
        """The next appointment at the branch (from the start of today, branch time) of the
        customers whose name, phone or email matches `query`:
        ``{"appointment_id", "day", "partner"}``, or False when there is none."""
        branch = self._planner_branch(branch_id)
        self = self.with_company(branch)
        query = (query or "").strip()
        if len(query) < 2:
            return False
        from_moment = branch._randevu_day_bounds(branch._randevu_local_today())[0]
        appointment = self.env["randevu.appointment"].search(
            [
                ("company_id", "=", branch.id),
                ("start", ">=", from_moment),
                ("state", "in", APPOINTMENT_HOLDING_STATES),
                "|",
                "|",
                ("partner_id.name", "ilike", query),
                ("partner_id.phone", "ilike", query),
                ("partner_id.email", "ilike", query),
            ],
            order="start, id",
            limit=1,
        )
        if not appointment:
            return False
        return {
            "appointment_id": appointment.id,
            "day": fields.Date.to_string(branch._randevu_to_local(appointment.start).date()),
            "partner": appointment.partner_id.name,
        }

    @api.model
    def _planner_customer_question(self, question):
        """What the quick-create dialog asks when the typed phone belongs to others."""
        names = question.partners.mapped("name")
        if len(names) == 1:
            message = self.env._(
                "This phone belongs to %(customer)s. Book for %(customer)s, or add %(name)s with the same phone?",
                customer=names[0],
                name=question.name,
            )
        else:
            message = self.env._(
                "This phone belongs to %(customers)s. Book for one of them, or add %(name)s with the same phone?",
                customers=", ".join(names),
                name=question.name,
            )
        return {
            "message": message,
            "customers": [{"id": partner.id, "name": partner.name} for partner in question.partners],
            "new_name": question.name,
        }

    @api.model
    def _planner_free_resource(self, branch, service, employee, start):
        """One resource of `service` free for the whole booking (buffers included), or the
        first one when none is (the appointment's check then names the conflict)."""
        Availability = self.env["randevu.availability"]
        resources = Availability._branch_resources(service, branch)
        if not resources:
            return resources
        line = service._randevu_staff_line(employee)
        duration = line._effective_duration() if line else service.randevu_duration
        _staff_parts, (held_start, held_stop) = service._randevu_held_intervals(
            start, start + timedelta(hours=duration)
        )
        plan = Availability._load(branch, employee, resources, held_start, held_stop)
        free = resources.filtered(lambda res: plan["resource_free"][res.id].contains(held_start, held_stop))
        return free[:1] or resources[:1]
