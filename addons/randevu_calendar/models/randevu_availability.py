import math
from collections import defaultdict
from datetime import datetime, time, timedelta
from itertools import pairwise

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..const import APPOINTMENT_EXPECTED_STATES
from ..exceptions import BookingRefused
from ..tools.held_time import held_intervals
from ..tools.intervals import IntervalSet, intersect, normalize, subtract

# Channels where customers book by themselves: the branch's no-show policy applies there.
ONLINE_SOURCES = ("website", "whatsapp", "instagram")


class RandevuAvailability(models.AbstractModel):
    """The availability engine: the one place that says when a service can be booked.

    Backend, website, chat assistant and POS all call `find_slots`. Data is read
    in a fixed number of queries whatever the number of staff, days or
    appointments (attendances, leaves, busy segments, each in one query); the
    rest is interval arithmetic over sorted lists (tools/intervals.py).

    Times are naive UTC datetimes (Odoo's convention); working hours are read in
    the branch's timezone, day by day, so DST changes move them correctly.

    Daylight-saving time (tools/local_clock.py): a working-hours boundary that the
    clock shows twice (fall-back night) is the first time it shows it, one that it
    skips (spring forward) is the change itself. Slot starts are the wall-clock grid
    (multiples of the branch's step after local midnight) walked in real time: a
    repeated grid time gives two starts (01:00 EDT, then 01:00 EST), a skipped one
    none, and neither busy time nor a 45-minute step shifts the grid.

    "Anyone": when the customer has no preference, each slot goes to the free
    eligible staff member with the fewest appointments that (local) day, then
    the lowest sequence on the service's staff list, then the lowest id.
    """

    _name = "randevu.availability"
    _description = "Availability Engine"

    # ------------------------------------------------------------------ public API
    @api.model
    def find_slots(self, service, branch, start, end, staff=None, customer=None, limit=None, now=None, exclude=None):
        """Bookable slots of `service` at `branch` starting in [start, end).

        :param service: product.template (an appointment service)
        :param branch: res.company
        :param start, end: naive UTC datetimes bounding the slot starts
        :param staff: hr.employee to book with, or None/empty for anyone
        :param customer: res.partner booking (reserved for per-customer policies)
        :param limit: stop after this many slots
        :param now: naive UTC "now" (minimum notice and horizon count from it)
        :param exclude: randevu.appointment whose time counts as free (the one being moved)
        :return: list of dicts sorted by start: ``start``, ``stop`` (naive UTC),
            ``employee_id`` (the staff member proposed), ``employee_ids`` (every
            free eligible staff member), ``resource_ids`` (free resources, one is
            needed when the service lists any).
            For a group class (service capacity > 1) each slot also has
            ``appointment_id`` (an existing session with seats left, or False for a
            new session) and ``seats_left``; at equal starts, existing sessions come
            first, so that classes fill up before new ones open.
        """
        service.ensure_one()
        branch.ensure_one()
        earliest, latest = branch._randevu_online_window(now)
        start, end = max(start, earliest), min(end, latest)
        if start >= end:
            return []
        employees_sudo = self._eligible_staff(service, branch, staff)
        if not employees_sudo:
            return []
        resources = self._branch_resources(service, branch)
        if service.randevu_resource_ids and not resources:
            return []
        plan = self._load(branch, employees_sudo, resources, start, end + self._service_span(service), exclude=exclude)
        slots = self._enumerate(service, branch, employees_sudo, resources, plan, start, end, limit)
        if service.randevu_capacity > 1:
            for slot in slots:
                slot.update(appointment_id=False, seats_left=service.randevu_capacity)
            sessions = self._read_open_sessions(service, branch, employees_sudo, start, end)
            slots = sorted(sessions + slots, key=lambda slot: (slot["start"], not slot["appointment_id"]))
            slots = slots[:limit] if limit else slots
        return slots

    @api.model
    def find_alternatives(self, service, branch, when, staff=None, count=3, days=7, now=None):
        """The free slots nearest to `when`: up to `count` before and `count` after.

        Same staff member first; when they have nothing within `days`, anyone.
        Returns ``{'before': [...], 'after': [...], 'same_staff': bool}``.
        """
        window_start, window_end = when - timedelta(days=days), when + timedelta(days=days)
        for candidate_staff in ([staff] if staff else []) + [None]:
            slots = self.find_slots(service, branch, window_start, window_end, staff=candidate_staff, now=now)
            before = [slot for slot in slots if slot["start"] < when][-count:][::-1]
            after = [slot for slot in slots if slot["start"] > when][:count]
            if before or after:
                return {"before": before, "after": after, "same_staff": bool(candidate_staff)}
        return {"before": [], "after": [], "same_staff": False}

    @api.model
    def find_package_slots(self, package, branch, start, end, staff=None, now=None, limit=None):
        """Bookable chains of the services of `package` at `branch`, the first service
        starting in [start, end).

        Each service starts exactly when the previous one ends (its end, the buffer after
        excluded; its own buffer before must fit), with any eligible staff member: the
        previous step's when free, else the "anyone" rule. A staff member's earlier steps
        in the chain count as busy time, so a buffer after one's own step is respected.
        Data is loaded once for every step's staff and resources: a fixed number of
        queries, as for find_slots.

        :param package: product.template with is_randevu_package
        :param staff: hr.employee the customer asked for: the first step is with them,
            the following ones prefer them while they are free
        :return: list of dicts sorted by start: ``start``, ``stop`` (of the whole chain)
            and ``steps``, one find_slots slot dict per service, in order
        """
        package.ensure_one()
        branch.ensure_one()
        services = [line.service_tmpl_id for line in package._randevu_package_lines()]
        if not package.is_randevu_package or not services:
            return []
        earliest, latest = branch._randevu_online_window(now)
        start, end = max(start, earliest), min(end, latest)
        if start >= end:
            return []
        eligible, staff_by_step, resources_by_step = {}, [], []
        for index, service in enumerate(services):
            key = (service.id, index == 0)
            if key not in eligible:
                eligible[key] = self._eligible_staff(service, branch, staff if index == 0 else None)
            staff_by_step.append(eligible[key])
            resources_by_step.append(self._branch_resources(service, branch))
            if not staff_by_step[-1] or (service.randevu_resource_ids and not resources_by_step[-1]):
                return []
        all_staff_sudo = self.env["hr.employee"].sudo().concat(*staff_by_step)
        all_resources = self.env["resource.resource"].concat(*resources_by_step)
        span = sum((self._service_span(service) for service in services), timedelta())
        plan = self._load(branch, all_staff_sudo, all_resources, start, end + span)
        firsts = self._enumerate(services[0], branch, staff_by_step[0], resources_by_step[0], plan, start, end, None)
        chains = []
        for first in firsts:
            steps = self._package_chain(services, branch, staff_by_step, resources_by_step, plan, first)
            if steps:
                chains.append({"start": steps[0]["start"], "stop": steps[-1]["stop"], "steps": steps})
                if limit and len(chains) >= limit:
                    break
        return chains

    @api.model
    def book_package(self, package, branch, start, partner, staff=None, now=None, values=None):
        """Book every service of `package` as consecutive appointments from `start`
        (naive UTC), all or nothing, in one visit of `partner`. `values` are written on
        every appointment. Returns the appointments, in the package's order.

        Online bookings (``values['source']`` website, WhatsApp or Instagram) follow
        the branch's no-show policy, as in `book`."""
        values = self._apply_noshow_policy(branch, partner, values, now=now)
        chains = self.find_package_slots(
            package, branch, start, start + timedelta(seconds=1), staff=staff, now=now, limit=1
        )
        if not chains:
            raise UserError(
                self.env._("This time is no longer available for %s. Please pick another one.", package.name)
            )
        vals_list = []
        for step, line in zip(chains[0]["steps"], package._randevu_package_lines(), strict=True):
            vals = {
                "company_id": branch.id,
                "service_id": line.service_tmpl_id.id,
                "employee_id": step["employee_id"],
                "start": step["start"],
                "resource_ids": [(6, 0, step["resource_ids"][:1])],
                "partner_id": partner.id if partner else False,
            }
            vals.update(values or {})
            vals_list.append(vals)
        # One create (its checks see every step), in a savepoint: a step taken meanwhile
        # and none of the appointments is left behind.
        with self.env.cr.savepoint():
            return self.env["randevu.appointment"].create(vals_list)

    def _package_chain(self, services, branch, staff_by_step, resources_by_step, plan, first):
        """The steps of the chain that starts with the slot `first`, or None when a
        following service cannot start right when the previous one ends."""
        steps = [first]
        for index in range(1, len(services)):
            previous, service = steps[-1], services[index]
            plan = self._plan_with_step(plan, services[index - 1], previous)
            found = self._enumerate(
                service,
                branch,
                staff_by_step[index],
                resources_by_step[index],
                plan,
                previous["stop"],
                previous["stop"] + timedelta(seconds=1),
                1,
                exact=True,
            )
            if not found:
                return None
            slot = found[0]
            if previous["employee_id"] in slot["employee_ids"] and slot["employee_id"] != previous["employee_id"]:
                slot = self._slot_with_staff(service, resources_by_step[index], plan, slot, previous["employee_id"])
            steps.append(slot)
        return steps

    def _slot_with_staff(self, service, resources, plan, slot, employee_id):
        """`slot` given to `employee_id` (one of its free staff): their own duration and
        the resources free for it."""
        employee = self.env["hr.employee"].browse(employee_id)
        line = service._randevu_staff_line(employee)
        stop = slot["start"] + timedelta(hours=line._effective_duration() if line else service.randevu_duration)
        _staff_parts, held = service._randevu_held_intervals(slot["start"], stop)
        free_resources = [rid for rid in resources.ids if plan["resource_free"][rid].contains(*held)]
        return dict(slot, stop=stop, employee_id=employee_id, resource_ids=free_resources)

    def _plan_with_step(self, plan, service, slot):
        """`plan` with the time a chain's step holds taken from its staff member and
        resource (a shallow copy: only their free intervals are rebuilt)."""
        staff_parts, held = service._randevu_held_intervals(slot["start"], slot["stop"])
        free = dict(plan["free"])
        free[slot["employee_id"]] = IntervalSet(subtract(free[slot["employee_id"]].intervals, normalize(staff_parts)))
        resource_free = dict(plan["resource_free"])
        for resource_id in slot["resource_ids"][:1]:
            resource_free[resource_id] = IntervalSet(subtract(resource_free[resource_id].intervals, [held]))
        return dict(plan, free=free, resource_free=resource_free)

    # ------------------------------------------------------------------ validation of appointments
    @api.model
    def _check_appointments(self, appointments):
        """Raise a ValidationError listing every appointment that breaks working hours,
        leave, closures or overlaps another one. Batched per branch."""
        problems = [problem for found in self._appointment_conflicts(appointments).values() for problem in found]
        if problems:
            raise ValidationError("\n".join(problems))

    @api.model
    def _appointment_conflicts(self, appointments):
        """{appointment: [problem messages]} for the `appointments` that break working
        hours, leave, closures or overlap another appointment (or one another).

        Works on unsaved records too (``new()``): the recurrence wizard lists the
        conflicts of each occurrence before creating any. Batched per branch: a fixed
        number of queries whatever the number of appointments.
        """
        conflicts = {}
        for branch, branch_appointments in appointments.grouped("company_id").items():
            employees = branch_appointments.employee_id
            resources = branch_appointments.resource_ids
            services = branch_appointments.service_id
            span = max((self._service_span(service) for service in services), default=timedelta())
            window_start = min(branch_appointments.mapped("start")) - span
            window_end = max(branch_appointments.mapped("stop")) + span
            plan = self._load(branch, employees, resources, window_start, window_end, exclude=branch_appointments)
            own_segments = defaultdict(list)
            for appointment in branch_appointments:
                for vals in appointment._segment_values():
                    own_segments[vals.get("employee_id") or ("r", vals.get("resource_id"))].append(
                        (vals["start"], vals["stop"], appointment)
                    )
            for appointment in branch_appointments:
                problems = self._appointment_problems(appointment, plan, own_segments)
                if problems:
                    conflicts[appointment] = problems
        return conflicts

    def _appointment_problems(self, appointment, plan, own_segments):
        problems = []
        label = appointment._local_labels()[0]
        override = appointment.sudo().hours_override  # a manager-only field, read for the check
        values = appointment._segment_values()
        held_start = min(vals["start"] for vals in values)
        held_stop = max(vals["stop"] for vals in values)
        employee = appointment.employee_id
        if not override and not plan["work"][employee.id].contains(held_start, held_stop):
            reason = self._working_time_refusal(appointment, held_start, held_stop)
            problems.append(
                self.env._("%(appointment)s: %(reason)s.", appointment=label, reason=reason)
                if reason
                else self.env._(
                    "%(appointment)s is outside %(staff)s's working hours, on leave or when the branch is closed.",
                    appointment=label,
                    staff=employee.name,
                )
            )
        for resource in appointment.resource_ids:
            if not override and not plan["resource_open"][resource.id].contains(held_start, held_stop):
                problems.append(
                    self.env._(
                        "%(appointment)s: %(resource)s is unavailable then.", appointment=label, resource=resource.name
                    )
                )
        for vals in values:
            key = vals.get("employee_id") or ("r", vals.get("resource_id"))
            busy = (
                plan["busy"][vals["employee_id"]]
                if vals.get("employee_id")
                else plan["resource_busy"][vals["resource_id"]]
            )
            clashes = [(s, e) for s, e in busy if s < vals["stop"] and e > vals["start"]]
            clashes += [
                (s, e)
                for s, e, other in own_segments[key]
                if other != appointment and s < vals["stop"] and e > vals["start"]
            ]
            if clashes:
                holder = (
                    employee.name
                    if vals.get("employee_id")
                    else self.env["resource.resource"].browse(vals["resource_id"]).name
                )
                problems.append(
                    self.env._(
                        "%(appointment)s overlaps another appointment of %(holder)s.", appointment=label, holder=holder
                    )
                )
        return problems

    def _working_time_refusal(self, appointment, held_start, held_stop):
        """Why `appointment` (holding [held_start, held_stop), buffers included) is not
        within its staff member's working time, in a receptionist's words: a closure, a
        leave, a day off, opening or closing time (of the service or of its buffer), a
        break. False when no single reason is found (the caller then says it generally).

        Only called for a refused appointment: reads what it needs on its own."""
        branch, service = appointment.company_id, appointment.service_id
        # Superuser, as in _load: the staff member's schedule and leaves are HR data.
        employee_sudo = appointment.employee_id.sudo()
        clock = branch._randevu_clock()
        day_start, day_end = branch._randevu_day_bounds(clock.local_day(appointment.start))
        calendar = self.env["resource.calendar"].browse(self._staff_calendars(branch, employee_sudo)[employee_sudo.id])
        branch_calendar = branch.resource_calendar_id
        attendances = self._read_attendances(calendar | branch_calendar)
        leaves_sudo = self.env["resource.calendar.leaves"].sudo()
        overlapping = [("date_from", "<", held_stop), ("date_to", ">", held_start)]
        closures = leaves_sudo.search(
            [
                *overlapping,
                ("resource_id", "=", False),
                "|",
                ("calendar_id", "in", (calendar | branch_calendar).ids),
                "&",
                ("calendar_id", "=", False),
                ("company_id", "=", branch.id),
            ]
        )
        if closures:
            return self.env._(
                "%(branch)s is closed then (%(closure)s)",
                branch=branch.name,
                closure=", ".join(name for name in closures.mapped("name") if name) or self.env._("closed"),
            )
        if employee_sudo.resource_id and leaves_sudo.search_count(
            [*overlapping, ("resource_id", "=", employee_sudo.resource_id.id)], limit=1
        ):
            return self.env._("%(staff)s is on leave then", staff=employee_sudo.name)
        branch_hours = (
            normalize(self._calendar_intervals(branch_calendar, attendances, clock, day_start, day_end))
            if branch_calendar
            else [(day_start, day_end)]
        )
        branch_hours = intersect(branch_hours, [(day_start, day_end)])
        if not branch_hours:
            return self.env._("%(branch)s is closed that day", branch=branch.name)
        staff_hours = self._calendar_intervals(calendar, attendances, clock, day_start, day_end) if calendar else None
        hours = intersect(normalize(staff_hours), branch_hours) if calendar else branch_hours
        if not hours:
            return self.env._("%(staff)s does not work that day", staff=employee_sudo.name)

        def at(moment):
            return f"{clock.to_local(moment):%H:%M}"

        def minutes(delta):
            return round(delta.total_seconds() / 60)

        what = service.name or appointment.name
        start, stop = appointment.start, appointment.stop
        opening, closing = hours[0][0], hours[-1][1]
        opening_label = (
            self.env._("opening")
            if opening == branch_hours[0][0]
            else self.env._("%(staff)s's first hour", staff=employee_sudo.name)
        )
        closing_label = (
            self.env._("closing")
            if closing == branch_hours[-1][1]
            else self.env._("the end of %(staff)s's day", staff=employee_sudo.name)
        )
        if start < opening:
            return self.env._(
                "%(service)s would start before %(when)s (%(time)s)", service=what, when=opening_label, time=at(opening)
            )
        if held_start < opening:
            return self.env._(
                "the %(minutes)s-min preparation before %(service)s would start before %(when)s (%(time)s)",
                minutes=minutes(start - held_start),
                service=what,
                when=opening_label,
                time=at(opening),
            )
        if stop > closing:
            return self.env._(
                "%(service)s would end after %(when)s (%(time)s)", service=what, when=closing_label, time=at(closing)
            )
        if held_stop > closing:
            return self.env._(
                "the %(minutes)s-min buffer after %(service)s would end after %(when)s (%(time)s)",
                minutes=minutes(held_stop - stop),
                service=what,
                when=closing_label,
                time=at(closing),
            )
        for (_before_start, break_start), (break_stop, _after_stop) in pairwise(hours):
            if break_start < held_stop and break_stop > held_start:
                values = {
                    "service": what,
                    "staff": employee_sudo.name,
                    "from": at(break_start),
                    "to": at(break_stop),
                }
                if break_start < stop and break_stop > start:
                    return self.env._("%(service)s would run into %(staff)s's break (%(from)s-%(to)s)", **values)
                if break_start >= stop:
                    return self.env._(
                        "the %(minutes)s-min buffer after %(service)s would run into %(staff)s's break "
                        "(%(from)s-%(to)s)",
                        minutes=minutes(held_stop - stop),
                        **values,
                    )
                return self.env._(
                    "the %(minutes)s-min preparation before %(service)s would run into %(staff)s's break "
                    "(%(from)s-%(to)s)",
                    minutes=minutes(start - held_start),
                    **values,
                )
        return False

    # ------------------------------------------------------------------ data loading (fixed number of queries)
    @api.model
    def _eligible_staff(self, service, branch, staff=None):
        """Bookable staff working at `branch` (home or other branch) listed on the service (everyone at the branch when
        the service lists nobody). One search: reading the employees' records field by
        field would fetch (and access-check) every column of hr.employee."""
        domain = [("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)]
        if service.randevu_staff_line_ids:
            domain.append(("id", "in", service.randevu_staff_line_ids.employee_id.ids))
        if staff:
            domain.append(("id", "in", staff.ids))
        # Superuser: receptionists, staff and website visitors need availability, and Odoo
        # sends non-HR users' employee searches to hr.employee.public. Only ids, names
        # and calendars are read; slots carry ids. The names come with the search (the
        # pages order staff by them): one column, not every column of hr.employee.
        return self.env["hr.employee"].sudo().search_fetch(domain, ["name"])

    @api.model
    def _branch_resources(self, service, branch):
        """The service's resources that this branch can use (its own or shared ones)."""
        return service.randevu_resource_ids.filtered(lambda res: not res.company_id or res.company_id == branch)

    @api.model
    def _service_span(self, service):
        """Longest time a booking of `service` holds, buffers included (for window padding)."""
        longest = max([service.randevu_duration, *service.randevu_staff_line_ids.mapped("duration")])
        margins = service._randevu_held_margins()
        return margins.before + timedelta(hours=longest) + margins.after

    @api.model
    def _load(self, branch, employees, resources, start, end, exclude=None):
        """Working, free and busy intervals of `employees` and `resources` over [start, end).

        Returns a dict of IntervalSets and lists keyed by employee / resource id:
        ``work`` (hours minus leave and closures), ``free`` (work minus busy),
        ``busy`` (sorted segments), ``resource_open``, ``resource_free``,
        ``resource_busy``, and ``day_load`` ({(employee id, local date): count}).
        """
        clock = branch._randevu_clock()
        tz = clock.tz
        # Pad by a day: local days overlapping the window start before it in UTC.
        window_start, window_end = start - timedelta(days=1), end + timedelta(days=1)
        # Superuser (see _eligible_staff): only the staff's resources and calendars are read.
        employees = employees.sudo().with_context(active_test=False)
        employees.fetch(["resource_id", "resource_calendar_id", "company_id"])  # only what the engine reads
        staff_calendar = self._staff_calendars(branch, employees)
        calendars = (
            self.env["resource.calendar"].browse(set(staff_calendar.values()))
            | resources.calendar_id
            | branch.resource_calendar_id
        )
        calendars.fetch(["two_weeks_calendar"])  # all at once: they come from different prefetch groups
        attendances = self._read_attendances(calendars)
        leaves = self._read_leaves(branch, calendars, employees.resource_id | resources, window_start, window_end)
        busy_staff, busy_resources, day_load = self._read_busy(
            employees, resources, window_start, window_end, clock, exclude
        )

        branch_hours = (
            self._calendar_intervals(branch.resource_calendar_id, attendances, clock, window_start, window_end)
            if branch.resource_calendar_id
            else [(window_start, window_end)]
        )
        branch_closed = normalize(leaves["global"].get(branch.resource_calendar_id.id, []) + leaves["company"])
        # Clipped to the loaded window: leaves were read for it only, so hours beyond it
        # would show as free. Every staff and resource interval is intersected with this.
        branch_open = intersect(subtract(normalize(branch_hours), branch_closed), [(window_start, window_end)])

        calendar_cache = {}

        def calendar_hours(calendar):
            if calendar.id not in calendar_cache:
                hours = self._calendar_intervals(calendar, attendances, clock, window_start, window_end)
                closed = normalize(leaves["global"].get(calendar.id, []))
                calendar_cache[calendar.id] = subtract(intersect(normalize(hours), branch_open), closed)
            return calendar_cache[calendar.id]

        plan = {"work": {}, "free": {}, "busy": {}, "resource_open": {}, "resource_free": {}, "resource_busy": {}}
        for employee in employees:
            calendar = self.env["resource.calendar"].browse(staff_calendar[employee.id])
            hours = calendar_hours(calendar) if calendar else branch_open
            work = subtract(hours, normalize(leaves["resource"].get(employee.resource_id.id, [])))
            busy = normalize(busy_staff.get(employee.id, []))
            plan["work"][employee.id] = IntervalSet(work)
            plan["free"][employee.id] = IntervalSet(subtract(work, busy))
            plan["busy"][employee.id] = busy
        for resource in resources:
            hours = calendar_hours(resource.calendar_id) if resource.calendar_id else branch_open
            open_ = subtract(hours, normalize(leaves["resource"].get(resource.id, [])))
            busy = normalize(busy_resources.get(resource.id, []))
            plan["resource_open"][resource.id] = IntervalSet(open_)
            plan["resource_free"][resource.id] = IntervalSet(subtract(open_, busy))
            plan["resource_busy"][resource.id] = busy
        plan["day_load"] = day_load
        plan["tz"] = tz
        plan["clock"] = clock
        return plan

    @api.model
    def _staff_calendars(self, branch, employees):
        """{employee id: id of their working schedule at `branch`, or False}.

        Home branch: the employee's schedule. Another branch: the schedule of their
        line for it, read in one query and only when someone works away from home."""
        result = {employee.id: employee.resource_calendar_id.id for employee in employees}
        away = employees.filtered(lambda employee: employee.company_id != branch)
        if away:
            for employee in away:
                result[employee.id] = False
            # Superuser, as in _eligible_staff: the home branch may be unreadable to the user.
            staff_branches = self.env["randevu.staff.branch"].sudo()
            lines = staff_branches.search_read(
                [("employee_id", "in", away.ids), ("branch_id", "=", branch.id)],
                ["employee_id", "resource_calendar_id"],
                load=None,
            )
            for line in lines:
                result[line["employee_id"]] = line["resource_calendar_id"]
        return result

    @api.model
    def _read_attendances(self, calendars):
        """{calendar id: [attendance dicts]} in one query."""
        rows = self.env["resource.calendar.attendance"].search_read(
            [("calendar_id", "in", calendars.ids), ("display_type", "=", False), ("day_period", "!=", "lunch")],
            ["calendar_id", "dayofweek", "hour_from", "hour_to", "week_type", "date_from", "date_to"],
            load=None,  # plain ids: no extra query for the calendars' names
        )
        by_calendar = defaultdict(list)
        for row in rows:
            by_calendar[row["calendar_id"]].append(row)
        return by_calendar

    @api.model
    def _leaves_domain(self, branch, calendars, start, end, resources=None):
        """Domain of the leaves overlapping [start, end) that close `calendars` (public
        holidays, branch closures) or every calendar of `branch`, and, when `resources`
        is given, those of these staff members or resources too."""
        closures = [
            "&",
            ("resource_id", "=", False),
            "|",
            ("calendar_id", "in", calendars.ids),
            "&",
            ("calendar_id", "=", False),
            ("company_id", "=", branch.id),
        ]
        if resources is not None:
            closures = ["|", ("resource_id", "in", resources.ids), *closures]
        return [("date_from", "<", end), ("date_to", ">", start), *closures]

    @api.model
    def _read_leaves(self, branch, calendars, resources, start, end):
        """Leaves overlapping [start, end) in one query, split by what they close:
        ``resource`` (one staff member or resource), ``global`` (a whole calendar:
        public holidays, branch closures), ``company`` (every calendar of the branch)."""
        rows = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(  # leaves of other staff are read as busy time only
                self._leaves_domain(branch, calendars, start, end, resources=resources),
                ["resource_id", "calendar_id", "date_from", "date_to"],
                load=None,  # plain ids: no extra query for names, whether leaves exist or not
            )
        )
        leaves = {"resource": defaultdict(list), "global": defaultdict(list), "company": []}
        for row in rows:
            interval = (row["date_from"], row["date_to"])
            if row["resource_id"]:
                leaves["resource"][row["resource_id"]].append(interval)
            elif row["calendar_id"]:
                leaves["global"][row["calendar_id"]].append(interval)
            else:
                leaves["company"].append(interval)
        return leaves

    @api.model
    def _read_busy(self, employees, resources, start, end, clock, exclude=None):
        """Busy segments of `employees` and `resources` in one query, and each staff
        member's number of appointments per local day of `clock` (for the "anyone" rule)."""
        self.env["randevu.appointment.segment"].flush_model()
        # Raw SQL: every staff member's busy time is needed, including appointments
        # the current user may not read (a staff user sees others only as busy time).
        self.env.cr.execute(
            """
            SELECT employee_id, resource_id, start, stop, appointment_id
              FROM randevu_appointment_segment
             WHERE start < %s AND stop > %s
               AND (employee_id = ANY(%s) OR resource_id = ANY(%s))
               AND NOT appointment_id = ANY(%s)
             ORDER BY start
            """,
            [end, start, employees.ids, resources.ids, list(exclude.ids) if exclude else []],
        )
        busy_staff, busy_resources = defaultdict(list), defaultdict(list)
        day_appointments = defaultdict(set)
        for employee_id, resource_id, seg_start, seg_stop, appointment_id in self.env.cr.fetchall():
            if employee_id:
                busy_staff[employee_id].append((seg_start, seg_stop))
                local_day = clock.local_day(seg_start)
                day_appointments[(employee_id, local_day)].add(appointment_id)
            else:
                busy_resources[resource_id].append((seg_start, seg_stop))
        day_load = {key: len(ids) for key, ids in day_appointments.items()}
        return busy_staff, busy_resources, day_load

    @api.model
    def _read_open_sessions(self, service, branch, employees, start, end):
        """Sessions of the group class `service` at `branch`, held by `employees`,
        starting in [start, end), not started yet and with seats left, as slot dicts.
        One query whatever the number of sessions."""
        self.env["randevu.appointment"].flush_model(
            ["service_id", "company_id", "employee_id", "state", "start", "stop", "seats_left", "resource_ids"]
        )
        # Raw SQL: the seats of a session are offered to whoever may book, including
        # users who cannot read the session itself (a portal customer, another staff member).
        self.env.cr.execute(
            """
            SELECT appt.id, appt.start, appt.stop, appt.employee_id, appt.seats_left,
                   ARRAY(SELECT rel.resource_id
                           FROM randevu_appointment_resource_rel rel
                          WHERE rel.appointment_id = appt.id
                          ORDER BY rel.resource_id)
              FROM randevu_appointment appt
             WHERE appt.service_id = %s
               AND appt.company_id = %s
               AND appt.employee_id = ANY(%s)
               AND appt.state = ANY(%s)
               AND appt.start >= %s AND appt.start < %s
               AND appt.seats_left > 0
             ORDER BY appt.start, appt.id
            """,
            [service.id, branch.id, employees.ids, list(APPOINTMENT_EXPECTED_STATES), start, end],
        )
        return [
            {
                "start": session_start,
                "stop": session_stop,
                "employee_id": employee_id,
                "employee_ids": [employee_id],
                "resource_ids": resource_ids,
                "appointment_id": session_id,
                "seats_left": seats_left,
            }
            for session_id, session_start, session_stop, employee_id, seats_left, resource_ids in self.env.cr.fetchall()
        ]

    @api.model
    def _calendar_intervals(self, calendar, attendances, clock, start, end):
        """Attendance intervals of `calendar` between two naive UTC datetimes, built
        day by day in the local time of `clock` (so that 09:00 stays 09:00 across DST).
        A boundary the clock shows twice is its first time, one it skips is the
        change (LocalClock.to_utc)."""
        rows_by_weekday = defaultdict(list)
        for row in attendances.get(calendar.id, []):
            rows_by_weekday[row["dayofweek"]].append(row)
        two_weeks = calendar.two_weeks_calendar
        intervals = []
        day = clock.local_day(start)
        last_day = clock.local_day(end)
        while day <= last_day:
            week_type = str(math.floor((day.toordinal() - 1) / 7) % 2)
            for row in rows_by_weekday[str(day.weekday())]:
                if two_weeks and row["week_type"] != week_type:
                    continue
                if (row["date_from"] and day < row["date_from"]) or (row["date_to"] and day > row["date_to"]):
                    continue
                intervals.append(
                    (self._local_to_utc(clock, day, row["hour_from"]), self._local_to_utc(clock, day, row["hour_to"]))
                )
            day += timedelta(days=1)
        return intervals

    @staticmethod
    def _local_to_utc(clock, day, hours):
        """Naive UTC datetime of `hours` (float) on local `day` of `clock`."""
        minutes = round(hours * 60)
        if minutes >= 24 * 60:
            return clock.to_utc(datetime.combine(day + timedelta(days=1), time.min))
        return clock.to_utc(datetime.combine(day, time(minutes // 60, minutes % 60)))

    # ------------------------------------------------------------------ slot enumeration (no ORM, no query)
    def _enumerate(self, service, branch, employees, resources, plan, start, end, limit, exact=False):
        """Slots of `service` starting in [start, end) on the branch's grid of
        `randevu_slot_step` (local wall-clock times, LocalClock.grid), or, with `exact`,
        at the earliest free moment from `start` (a package step starts exactly when
        the previous one ends, on the grid or not)."""
        clock = plan["clock"]
        step = timedelta(minutes=branch.randevu_slot_step)
        margins = service._randevu_held_margins()
        before, after, gap = margins.before, margins.after, margins.processing_duration
        resource_ids = resources.ids
        sequence = {
            line.employee_id.id: (line.sequence, line.employee_id.id) for line in service.randevu_staff_line_ids
        }
        durations = {}
        for employee in employees:
            line = service._randevu_staff_line(employee)
            durations[employee.id] = timedelta(hours=line._effective_duration() if line else service.randevu_duration)

        by_start = defaultdict(list)
        for employee in employees:
            duration = durations[employee.id]
            work, free = plan["work"][employee.id], plan["free"][employee.id]
            needed = before + duration + after
            for free_start, free_stop in free.intervals if not gap else work.intervals:
                if free_stop - free_start < needed or free_stop <= start:
                    continue  # too short for the service, or over: no grid alignment needed
                first = max(free_start + before, start)
                # Starts up to the last one that ends in time (datetimes count in microseconds).
                stop = min(end, free_stop - duration - after + timedelta.resolution)
                for slot in ([first] if first < stop else []) if exact else clock.grid(first, stop, step):
                    staff_parts, held = held_intervals(slot, slot + duration, margins)
                    # Without a gap the slot lies in a free interval; with one, in working time.
                    if not gap or all(free.contains(*part) for part in staff_parts):
                        by_start[slot].append((employee.id, slot + duration, held))
        slots = []
        for slot_start in sorted(by_start):
            candidates = []
            free_resources_any = []
            for employee_id, slot_stop, held in by_start[slot_start]:
                free_resources = [rid for rid in resource_ids if plan["resource_free"][rid].contains(*held)]
                if resource_ids and not free_resources:
                    continue
                candidates.append((employee_id, slot_stop))
                free_resources_any = free_resources_any or free_resources
            if not candidates:
                continue
            local_day = clock.local_day(slot_start)
            chosen_id, chosen_stop = min(
                candidates,
                key=lambda cand: (
                    plan["day_load"].get((cand[0], local_day), 0),
                    sequence.get(cand[0], (10**6, cand[0])),
                ),
            )
            slots.append(
                {
                    "start": slot_start,
                    "stop": chosen_stop,
                    "employee_id": chosen_id,
                    "employee_ids": [employee_id for employee_id, _stop in candidates],
                    "resource_ids": free_resources_any,
                }
            )
            if limit and len(slots) >= limit:
                break
        return slots

    # ------------------------------------------------------------------ booking helper
    @api.model
    def book(self, service, branch, start, staff=None, partner=None, values=None, now=None):
        """Create an appointment at `start` (naive UTC) through the engine: picks the
        staff member ("anyone" rule) and a free resource, then creates it (the
        database still refuses a slot taken meanwhile).

        For a group class, `partner` joins the session already planned at `start`
        when it has seats left (that session is returned), else a new session opens.

        Online bookings (``values['source']`` website, WhatsApp or Instagram) follow
        the branch's no-show policy: a customer over the limit is refused with a
        UserError that says why, or the appointment (the attendee, in a class) is
        flagged ``noshow_deposit_required``. Bookings by staff are not checked."""
        values = self._apply_noshow_policy(branch, partner, values, now=now)
        slots = self.find_slots(service, branch, start, start + timedelta(seconds=1), staff=staff, now=now)
        if not slots:
            raise UserError(self.env._("This time is no longer available. Please pick another one."))
        return self._book_slot(service, branch, slots[0], partner, values)

    @api.model
    def _book_slot(self, service, branch, slot, partner=None, values=None):
        """Book `slot` (a find_slots dict of `service` at `branch`, found in this
        transaction) for `partner` with `values`, as `book` does once it has the slot:
        the appointment's overlap check trusts the slot (see _checked_slot_key)
        instead of running the engine again; the database's EXCLUDE constraints still
        refuse a time taken meanwhile."""
        values = dict(values or {})
        if slot.get("appointment_id"):
            if not partner:
                raise UserError(self.env._("Choose the customer who takes the seat."))
            session = self.env["randevu.appointment"].browse(slot["appointment_id"])
            attendee = session._add_attendee(partner)
            if values.get("noshow_deposit_required"):
                attendee.noshow_deposit_required = True
            return session
        vals = {
            "company_id": branch.id,
            "service_id": service.id,
            "employee_id": slot["employee_id"],
            "start": slot["start"],
            "resource_ids": [(6, 0, slot["resource_ids"][:1])],
            "partner_id": partner.id if partner else False,
        }
        vals.update(values)
        Appointment = self.env["randevu.appointment"]
        checked = self._checked_slot_key(branch, service, slot)
        appointment = Appointment.with_context(randevu_checked_slot=checked).create(vals)
        return appointment.with_context(randevu_checked_slot=False)

    @api.model
    def _checked_slot_key(self, branch, service, slot):
        """What the context key ``randevu_checked_slot`` carries for `slot`, checked by
        the engine in this transaction: randevu.appointment._check_booking_rules skips
        the engine for an appointment with exactly these values (branch, service, staff
        member, start, stop, resources among the slot's free ones)."""
        return (
            branch.id,
            service.id,
            slot["employee_id"],
            slot["start"],
            slot["stop"],
            tuple(slot["resource_ids"]),
        )

    @api.model
    def _apply_noshow_policy(self, branch, partner, values, now=None):
        """`values` of an appointment booked by `partner` at `branch`, with what the
        branch's no-show policy asks of online bookings: a refusal raises
        BookingRefused (a UserError) with the message for the customer, a deposit sets
        ``noshow_deposit_required``.
        Bookings made by staff (backend, phone, walk-in) pass unchanged."""
        values = dict(values or {})
        if not partner or values.get("source") not in ONLINE_SOURCES:
            return values
        policy, message = partner._randevu_online_booking_policy(branch, now=now)
        if policy == "refused":
            raise BookingRefused(message)
        if policy == "deposit":
            values["noshow_deposit_required"] = True
        return values
