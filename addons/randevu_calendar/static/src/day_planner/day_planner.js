import {
    Component,
    onMounted,
    onWillStart,
    useEffect,
    useExternalListener,
    useRef,
    useState,
} from "@odoo/owl";
import { serializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { DayPlannerQuickCreate } from "./day_planner_quick_create";

const { DateTime } = luxon;

/** Minutes per row of the time axis: drags snap to it. */
export const SLOT_MINUTES = 15;
/** Vertical scale: a 15-minute row is 24 pixels high. */
export const PIXELS_PER_MINUTE = 1.6;
/** Pixels a pressed block must travel before the press becomes a move (else a click). */
const DRAG_THRESHOLD = 4;

/**
 * "HH:MM" of a number of minutes since midnight.
 *
 * @param {number} minutes
 * @returns {string}
 */
export function formatMinutes(minutes) {
    const hours = String(Math.floor(minutes / 60)).padStart(2, "0");
    return `${hours}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * The receptionist's day planner: one column per bookable staff member of a branch,
 * a time axis in the branch's timezone, appointments as blocks.
 *
 * Press and drag on empty time to book (quick-create dialog), drag a block to move
 * it (to another time and/or staff member), drag its bottom edge to resize it, click
 * it to open the appointment. The server decides (working hours, overlaps...): when it
 * refuses, its message is shown and the block goes back where it was.
 *
 * Data comes from the `randevu.day.planner` model; times are minutes since the
 * branch's local midnight, written back as UTC datetimes. The branch shown is one of
 * the active companies (appointment forms only open in those): picking another of the
 * user's branches adds it to them, as the company switcher does.
 */
export class DayPlanner extends Component {
    static template = "randevu_calendar.DayPlanner";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.companyService = useService("company");
        this.gridRef = useRef("grid");
        this.searchRef = useRef("search");
        this.keepLast = new KeepLast();
        // Branch and day may come from the URL: /odoo/randevu-day-planner?branch_id=3&day=2031-01-06
        const params = { ...this.props.action.context?.params, ...this.props.action.params };
        this.state = useState({
            branchId: parseInt(params.branch_id) || false,
            day: params.day || false,
            data: null,
            // What a drag shows while it lasts or is saved: { mode, employeeId, start, stop, appointmentId }
            drag: null,
            // The appointment a search or a walk-in jumped to: outlined, scrolled into view.
            highlightId: false,
            search: "",
        });

        // The press being tracked (not reactive: pointer moves only change `state.drag`).
        this.press = null;

        useExternalListener(window, "pointermove", this.onWindowPointerMove);
        useExternalListener(window, "pointerup", this.onWindowPointerUp);
        useExternalListener(window, "pointercancel", this.cancelPress);
        useExternalListener(window, "keydown", this.onWindowKeydown);
        onWillStart(async () => {
            await this.load();
            this.activateBranch(this.state.branchId);
        });
        onMounted(() => this.updateActionState());
        useEffect(
            () => this.scrollToWorkingHours(),
            () => [this.state.data?.branch.id, this.state.data?.day]
        );
        useEffect(
            (highlightId) => highlightId && this.scrollToAppointment(highlightId),
            () => [this.state.highlightId, this.state.data]
        );
    }

    // ------------------------------------------------------------------ data

    /** The context that makes the selected branch the active company of server calls. */
    get branchContext() {
        const branchId = this.state.branchId;
        if (!branchId) {
            return {};
        }
        const active = (user.context.allowed_company_ids || []).filter((id) => id !== branchId);
        return { allowed_company_ids: [branchId, ...active] };
    }

    async load() {
        const data = await this.keepLast.add(
            this.orm.call("randevu.day.planner", "get_day", [this.state.branchId, this.state.day], {
                context: this.branchContext,
            })
        );
        this.state.data = data;
        this.state.branchId = data.branch.id;
        this.state.day = data.day;
        this.updateActionState();
    }

    /** Branch and day in the URL and breadcrumbs; today's planner stays "today" when bookmarked. */
    updateActionState() {
        const data = this.state.data;
        this.props.updateActionState?.({
            branch_id: data.branch.id,
            day: data.day === data.today ? undefined : data.day,
        });
    }

    /**
     * Makes `branchId` one of the active companies, and the current one, when it is not
     * active yet (the page then reloads on it); returns whether it already was.
     */
    activateBranch(branchId) {
        const activeIds = this.companyService.activeCompanyIds;
        if (activeIds.includes(branchId)) {
            return true;
        }
        this.props.updateActionState?.({ branch_id: branchId, day: this.state.day || undefined });
        // First: it becomes the current company, the one the planner opens on.
        this.companyService.setCompanies([branchId, ...activeIds], false);
        return false;
    }

    /**
     * Shows an error the server raised (ValidationError, UserError, AccessError) as a
     * notification; anything else goes on to the web client's error handling.
     */
    notifyError(error, title) {
        if (!(error instanceof RPCError)) {
            throw error;
        }
        this.notification.add(error.data?.message || error.message, { title, type: "danger" });
    }

    /** The naive UTC datetime string of `minutes` after the shown day's local midnight. */
    toUtc(minutes) {
        const { day, branch } = this.state.data;
        const midnight = DateTime.fromISO(day, { zone: branch.tz });
        const moment =
            minutes >= 24 * 60
                ? midnight.plus({ days: 1 })
                : midnight.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
        return serializeDateTime(moment);
    }

    // ------------------------------------------------------------------ geometry

    get range() {
        return this.state.data.range;
    }

    get slots() {
        const [start, stop] = this.range;
        const slots = [];
        for (let minute = start; minute < stop; minute += SLOT_MINUTES) {
            slots.push({ minute, label: formatMinutes(minute), isHour: minute % 60 === 0 });
        }
        return slots;
    }

    get hours() {
        return this.slots.filter((slot) => slot.isHour);
    }

    get bodyHeight() {
        return (this.range[1] - this.range[0]) * PIXELS_PER_MINUTE;
    }

    get dayLabel() {
        return DateTime.fromISO(this.state.data.day).toLocaleString({
            weekday: "long",
            day: "numeric",
            month: "long",
            year: "numeric",
        });
    }

    get isToday() {
        return this.state.data.day === this.state.data.today;
    }

    /** Minutes since local midnight now, when the shown day is today and now is on the axis. */
    get nowMinute() {
        if (!this.isToday) {
            return false;
        }
        const now = DateTime.now().setZone(this.state.data.branch.tz);
        const minute = now.hour * 60 + now.minute;
        return minute >= this.range[0] && minute < this.range[1] ? minute : false;
    }

    top(minute) {
        return (minute - this.range[0]) * PIXELS_PER_MINUTE;
    }

    intervalStyle(start, stop) {
        const top = this.top(Math.max(start, this.range[0]));
        const height = Math.max(this.top(Math.min(stop, this.range[1])) - top, 0);
        return `top: ${top}px; height: ${height}px;`;
    }

    /** Position of a processing gap inside its block. */
    gapStyle(appointment, gap) {
        const top = (gap[0] - appointment.start_minute) * PIXELS_PER_MINUTE;
        return `top: ${top}px; height: ${(gap[1] - gap[0]) * PIXELS_PER_MINUTE}px;`;
    }

    colorClass(color) {
        return `o_randevu_planner_color_${color || 0}`;
    }

    formatMinutes(minutes) {
        return formatMinutes(minutes);
    }

    timeLabel(start, stop) {
        return `${formatMinutes(start)} - ${formatMinutes(stop)}`;
    }

    /** "2 h 30" / "45 min" of a number of minutes. */
    durationLabel(minutes) {
        const hours = Math.floor(minutes / 60);
        const rest = minutes % 60;
        if (!hours) {
            return _t("%s min", rest);
        }
        return rest ? _t("%(hours)s h %(minutes)s", { hours, minutes: String(rest).padStart(2, "0") }) : _t("%s h", hours);
    }

    get freeLabel() {
        const summary = this.state.data.summary;
        return _t("%(time)s in %(count)s gaps", {
            time: this.durationLabel(summary.free_minutes),
            count: summary.free_gaps,
        });
    }

    /** What the block's tooltip shows (hover, or a long press on a phone). */
    tooltipInfo(appointment) {
        const staff = this.staffById(appointment.employee_id);
        return JSON.stringify({
            name: appointment.name,
            time: this.timeLabel(appointment.start_minute, appointment.stop_minute),
            partner: appointment.partner || "",
            phone: appointment.partner_phone,
            service: appointment.service || "",
            state: appointment.state_label,
            staff: staff?.name || "",
            markers: appointment.markers.map((marker) => marker.title),
            doubleBooked: appointment.double_booked,
        });
    }

    markerIcon(marker) {
        return (
            {
                note: "fa-exclamation-circle text-danger",
                first: "fa-star text-warning",
                deposit: "fa-money text-success",
            }[marker.key] || "fa-circle"
        );
    }

    appointmentsOf(employeeId) {
        return this.state.data.appointments.filter((appt) => appt.employee_id === employeeId);
    }

    appointmentById(appointmentId) {
        return this.state.data.appointments.find((appt) => appt.id === appointmentId);
    }

    staffById(employeeId) {
        return this.state.data.staff.find((staff) => staff.id === employeeId);
    }

    blockClass(appointment) {
        const drag = this.state.drag;
        return [
            this.colorClass(this.staffById(appointment.employee_id)?.color),
            `o_randevu_planner_state_${appointment.state}`,
            drag && drag.appointmentId === appointment.id ? "o_randevu_planner_dragged" : "",
            // Too short for three lines: time, customer and service on one or two.
            appointment.stop_minute - appointment.start_minute <= 20
                ? "o_randevu_planner_compact"
                : appointment.stop_minute - appointment.start_minute < 30
                ? "o_randevu_planner_short"
                : "",
            appointment.double_booked ? "o_randevu_planner_double" : "",
            this.state.highlightId === appointment.id ? "o_randevu_planner_highlight" : "",
        ].join(" ");
    }

    /** The preview of the current drag when it lies in the column of `employeeId`. */
    previewIn(employeeId) {
        const drag = this.state.drag;
        return drag && drag.employeeId === employeeId ? drag : null;
    }

    previewLabel(drag) {
        const label = this.timeLabel(drag.start, drag.stop);
        const appointment = drag.appointmentId && this.appointmentById(drag.appointmentId);
        return appointment ? `${label} ${appointment.partner || appointment.service || ""}` : label;
    }

    scrollToWorkingHours() {
        const grid = this.gridRef.el;
        const data = this.state.data;
        if (!grid || !data) {
            return;
        }
        // The first working minute of anyone (the end of the first greyed stretch that
        // starts the axis), else now, else the top; a little above it.
        const firstWork = data.staff
            .map((staff) => (staff.off[0]?.[0] === this.range[0] ? staff.off[0][1] : this.range[0]))
            .reduce((min, minute) => Math.min(min, minute), this.range[1]);
        const target = this.nowMinute !== false ? this.nowMinute - 60 : firstWork - 30;
        grid.scrollTop = Math.max(this.top(Math.max(target, this.range[0])), 0);
    }

    scrollToAppointment(appointmentId) {
        const el = this.gridRef.el?.querySelector(
            `.o_randevu_planner_appointment[data-id="${appointmentId}"]`
        );
        el?.scrollIntoView({ block: "center", inline: "center" });
    }

    /** Minutes since local midnight at the vertical position `clientY` of a column. */
    minuteAt(clientY, columnEl) {
        const rect = columnEl.getBoundingClientRect();
        const minute = this.range[0] + (clientY - rect.top) / PIXELS_PER_MINUTE;
        return Math.min(Math.max(minute, this.range[0]), this.range[1] - 1);
    }

    floorSlot(minute) {
        return Math.floor(minute / SLOT_MINUTES) * SLOT_MINUTES;
    }

    columnEl(employeeId) {
        return this.gridRef.el.querySelector(
            `.o_randevu_planner_column[data-employee-id="${employeeId}"]`
        );
    }

    /** The column under `clientX` (the nearest one at the edges). */
    columnAt(clientX) {
        const columns = [...this.gridRef.el.querySelectorAll(".o_randevu_planner_column")];
        let best = null;
        let bestDistance = Infinity;
        for (const el of columns) {
            const rect = el.getBoundingClientRect();
            const distance =
                clientX < rect.left ? rect.left - clientX : Math.max(clientX - rect.right, 0);
            if (distance < bestDistance) {
                best = el;
                bestDistance = distance;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ toolbar

    async onBranchChange(ev) {
        this.state.branchId = parseInt(ev.target.value);
        if (this.activateBranch(this.state.branchId)) {
            await this.load();
        }
    }

    async shiftDay(days) {
        this.state.highlightId = false;
        this.state.day = DateTime.fromISO(this.state.data.day).plus({ days }).toISODate();
        await this.load();
    }

    async goToday() {
        this.state.highlightId = false;
        this.state.day = false; // the server knows the branch's today
        await this.load();
    }

    async onDateChange(ev) {
        if (ev.target.value) {
            this.state.day = ev.target.value;
            await this.load();
        }
    }

    async onSearchSubmit(ev) {
        ev.preventDefault();
        const query = this.state.search.trim();
        if (!query) {
            return;
        }
        const found = await this.orm.call(
            "randevu.day.planner",
            "find_next_appointment",
            [this.state.branchId, query],
            { context: this.branchContext }
        );
        if (!found) {
            this.notification.add(_t("No upcoming appointment for “%s”.", query), {
                type: "warning",
            });
            return;
        }
        await this.jumpTo(found.day, found.appointment_id);
    }

    /** Shows `day` with `appointmentId` outlined and scrolled into view. */
    async jumpTo(day, appointmentId) {
        this.state.day = day;
        await this.load();
        this.state.highlightId = appointmentId;
    }

    // ------------------------------------------------------------------ pointer

    onColumnPointerDown(ev, staff) {
        if (ev.button !== 0 || this.press || this.state.drag) {
            return;
        }
        if (ev.target.closest(".o_randevu_planner_busy")) {
            return; // someone else's appointment: nothing to do here
        }
        ev.preventDefault(); // no text selection while dragging
        const minute = this.minuteAt(ev.clientY, ev.currentTarget);
        const blockEl = ev.target.closest(".o_randevu_planner_appointment");
        if (blockEl) {
            this.press = {
                mode: ev.target.closest(".o_randevu_planner_resize") ? "resize" : "move",
                appointment: this.appointmentById(parseInt(blockEl.dataset.id)),
                originMinute: minute,
                originX: ev.clientX,
                originY: ev.clientY,
                started: false,
            };
        } else {
            const start = this.floorSlot(minute);
            this.press = {
                mode: "create",
                employeeId: staff.id,
                originMinute: start,
                started: true,
            };
            this.state.drag = {
                mode: "create",
                employeeId: staff.id,
                start,
                stop: start + SLOT_MINUTES,
            };
        }
    }

    onWindowPointerMove(ev) {
        const press = this.press;
        if (!press) {
            return;
        }
        if (!press.started) {
            const distance = Math.hypot(ev.clientX - press.originX, ev.clientY - press.originY);
            if (distance < DRAG_THRESHOLD) {
                return;
            }
            press.started = true;
        }
        this.state.drag = this.dragAt(press, ev.clientX, ev.clientY);
    }

    /** Where the press `press` puts its appointment (or new booking) with the pointer here. */
    dragAt(press, clientX, clientY) {
        if (press.mode === "create") {
            const minute = this.floorSlot(this.minuteAt(clientY, this.columnEl(press.employeeId)));
            return {
                mode: "create",
                employeeId: press.employeeId,
                start: Math.min(press.originMinute, minute),
                stop: Math.max(press.originMinute, minute) + SLOT_MINUTES,
            };
        }
        const appointment = press.appointment;
        if (press.mode === "resize") {
            const columnEl = this.columnEl(appointment.employee_id);
            const minute = this.floorSlot(this.minuteAt(clientY, columnEl));
            return {
                mode: "resize",
                appointmentId: appointment.id,
                employeeId: appointment.employee_id,
                start: appointment.start_minute,
                stop: Math.max(minute + SLOT_MINUTES, appointment.start_minute + SLOT_MINUTES),
            };
        }
        // Move: the block follows the pointer row by row, keeping where it was grabbed.
        const columnEl = this.columnAt(clientX);
        const duration = appointment.stop_minute - appointment.start_minute;
        const delta =
            this.floorSlot(this.minuteAt(clientY, columnEl)) - this.floorSlot(press.originMinute);
        const start = Math.min(
            Math.max(appointment.start_minute + delta, this.range[0]),
            this.range[1] - duration
        );
        return {
            mode: "move",
            appointmentId: appointment.id,
            employeeId: parseInt(columnEl.dataset.employeeId),
            start,
            stop: start + duration,
        };
    }

    async onWindowPointerUp() {
        const press = this.press;
        if (!press) {
            return;
        }
        this.press = null;
        if (press.mode === "create") {
            this.openQuickCreate(this.state.drag);
        } else if (!press.started) {
            await this.openAppointment(press.appointment);
        } else {
            await this.saveDrag(press.appointment, this.state.drag);
        }
    }

    /**
     * The keyboard path: N books, W takes a walk-in, ← → change the day, T goes to
     * today, / searches a customer. Not while typing, nor under a dialog.
     */
    onWindowKeydown(ev) {
        if (ev.key === "Escape") {
            this.cancelPress();
            return;
        }
        const target = ev.target;
        const typing =
            target.closest?.("input, textarea, select, [contenteditable='true']") ||
            document.querySelector(".modal");
        if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || !this.state.data) {
            return;
        }
        const actions = {
            n: () => this.openNew(),
            w: () => this.openWalkIn(),
            t: () => this.goToday(),
            ArrowLeft: () => this.shiftDay(-1),
            ArrowRight: () => this.shiftDay(1),
            "/": () => this.searchRef.el?.focus(),
        };
        const action = actions[ev.key.length === 1 ? ev.key.toLowerCase() : ev.key];
        if (action) {
            ev.preventDefault();
            action();
        }
    }

    /** Drops the press under way (Escape, or the browser took the pointer over). */
    cancelPress() {
        if (this.press) {
            this.press = null;
            this.state.drag = null;
        }
    }

    // ------------------------------------------------------------------ actions

    async saveDrag(appointment, drag) {
        const unchanged =
            drag.employeeId === appointment.employee_id &&
            drag.start === appointment.start_minute &&
            drag.stop === appointment.stop_minute;
        if (unchanged) {
            this.state.drag = null;
            return;
        }
        // The preview stays where it was dropped while the server decides.
        drag.saving = true;
        try {
            await this.orm.call(
                "randevu.day.planner",
                "move",
                [appointment.id, drag.employeeId, this.toUtc(drag.start), this.toUtc(drag.stop)],
                { context: this.branchContext }
            );
        } catch (error) {
            this.state.drag = null; // back where it was
            this.notifyError(
                error,
                drag.mode === "resize"
                    ? _t("The appointment was not resized")
                    : _t("The appointment was not moved")
            );
            return this.load();
        }
        // Where it was dropped, until the reload brings its buffers and label.
        Object.assign(appointment, {
            employee_id: drag.employeeId,
            start_minute: drag.start,
            stop_minute: drag.stop,
        });
        this.state.drag = null;
        return this.load();
    }

    /** Staff who work on the shown day (everyone when the day is closed). */
    get workingStaff() {
        const working = this.state.data.staff.filter((staff) => !staff.status);
        return working.length ? working : this.state.data.staff;
    }

    /** Minutes of a "HH:MM" string. */
    parseTime(value) {
        const [hours, minutes] = value.split(":").map((part) => parseInt(part));
        return hours * 60 + minutes;
    }

    /** The time "+ New" proposes: the next quarter hour today, else the first working one. */
    get defaultNewMinute() {
        if (this.isToday) {
            const now = DateTime.now().setZone(this.state.data.branch.tz);
            return Math.min(
                Math.ceil((now.hour * 60 + now.minute) / SLOT_MINUTES) * SLOT_MINUTES,
                24 * 60 - SLOT_MINUTES
            );
        }
        const firstWork = this.state.data.staff
            .map((staff) =>
                staff.off[0]?.[0] === this.range[0] ? staff.off[0][1] : this.range[0]
            )
            .reduce((min, minute) => Math.min(min, minute), this.range[1]);
        return Math.min(firstWork, this.range[1] - SLOT_MINUTES);
    }

    addDialog(props) {
        this.dialog.add(DayPlannerQuickCreate, props, {
            onClose: () => (this.state.drag = null),
        });
    }

    openQuickCreate(drag) {
        const staff = this.staffById(drag.employeeId);
        const length = drag.stop - drag.start;
        // A longer drag suggests the service whose duration is closest to it.
        const suggested =
            length > SLOT_MINUTES
                ? [...staff.services].sort(
                      (a, b) => Math.abs(a.duration - length) - Math.abs(b.duration - length)
                  )[0]
                : staff.services[0];
        this.addDialog({
            mode: "slot",
            dayLabel: this.dayLabel,
            staff: [staff],
            staffId: staff.id,
            time: formatMinutes(drag.start),
            serviceId: suggested?.id || false,
            onCreate: (values) => this.createAppointment(values),
        });
    }

    /** "+ New" (or N): the dialog with the staff member and the time to choose. */
    openNew() {
        if (!this.state.data?.staff.length) {
            return;
        }
        const staff = this.workingStaff;
        this.addDialog({
            mode: "new",
            dayLabel: this.dayLabel,
            staff,
            staffId: staff[0].id,
            time: formatMinutes(this.defaultNewMinute),
            serviceId: staff[0].services[0]?.id || false,
            onCreate: (values) => this.createAppointment(values),
        });
    }

    /** "Walk-in" (or W): now, with whoever is free first unless a staff member is chosen. */
    openWalkIn() {
        if (!this.state.data?.staff.length) {
            return;
        }
        this.addDialog({
            mode: "walkin",
            dayLabel: _t("Today"),
            staff: this.state.data.staff,
            staffId: false,
            serviceId: false,
            onCreate: (values) => this.createWalkIn(values),
        });
    }

    /**
     * Calls the server for the dialog: `{ done: true }` (the dialog then closes),
     * `{ question }` (whom to book: the phone is someone else's) or `{ error }` (the
     * server's refusal, which the dialog shows).
     */
    async callForDialog(method, args, kwargs) {
        let result;
        try {
            result = await this.orm.call("randevu.day.planner", method, args, {
                ...kwargs,
                context: this.branchContext,
            });
        } catch (error) {
            if (!(error instanceof RPCError)) {
                throw error;
            }
            return { error: error.data?.message || error.message };
        }
        return result.question ? { question: result.question } : { done: true, result };
    }

    /** Books from the quick-create dialog (see callForDialog). */
    async createAppointment({
        employeeId,
        time,
        customerName,
        customerPhone,
        serviceId,
        customerId,
        newCustomer,
    }) {
        const answer = await this.callForDialog(
            "create_from_planner",
            [
                this.state.branchId,
                employeeId,
                serviceId,
                this.toUtc(this.parseTime(time)),
                customerName,
                customerPhone,
            ],
            { customer_id: customerId, new_customer: newCustomer }
        );
        if (answer.done) {
            this.state.highlightId = answer.result.appointment_id;
            this.load(); // the dialog closes meanwhile
        }
        return answer;
    }

    /** Books a walk-in from the dialog (see callForDialog), then shows it. */
    async createWalkIn({ employeeId, customerName, customerPhone, serviceId, customerId, newCustomer }) {
        const answer = await this.callForDialog(
            "walk_in",
            [this.state.branchId, serviceId, employeeId, customerName, customerPhone],
            { customer_id: customerId, new_customer: newCustomer }
        );
        if (answer.done) {
            const { day, appointment_id, employee, time } = answer.result;
            this.notification.add(
                _t("Walk-in booked with %(staff)s at %(time)s.", { staff: employee, time }),
                { type: "success" }
            );
            this.jumpTo(day, appointment_id);
        }
        return answer;
    }

    async openAppointment(appointment) {
        this.state.drag = null;
        await this.actionService.doAction(
            {
                type: "ir.actions.act_window",
                name: appointment.name,
                res_model: "randevu.appointment",
                res_id: appointment.id,
                views: [[false, "form"]],
                target: "new",
                context: this.branchContext,
            },
            { onClose: () => this.load() }
        );
    }
}

registry.category("actions").add("randevu_calendar.day_planner", DayPlanner);
