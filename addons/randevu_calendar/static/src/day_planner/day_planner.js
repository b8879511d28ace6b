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
        this.keepLast = new KeepLast();
        // Branch and day may come from the URL: /odoo/randevu-day-planner?branch_id=3&day=2031-01-06
        const params = { ...this.props.action.context?.params, ...this.props.action.params };
        this.state = useState({
            branchId: parseInt(params.branch_id) || false,
            day: params.day || false,
            data: null,
            // What a drag shows while it lasts or is saved: { mode, employeeId, start, stop, appointmentId }
            drag: null,
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

    timeLabel(start, stop) {
        return `${formatMinutes(start)} - ${formatMinutes(stop)}`;
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
            // Too short for three lines: time and customer on one.
            appointment.stop_minute - appointment.start_minute <= 20
                ? "o_randevu_planner_compact"
                : "",
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
        this.state.day = DateTime.fromISO(this.state.data.day).plus({ days }).toISODate();
        await this.load();
    }

    async goToday() {
        this.state.day = false; // the server knows the branch's today
        await this.load();
    }

    async onDateChange(ev) {
        if (ev.target.value) {
            this.state.day = ev.target.value;
            await this.load();
        }
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

    onWindowKeydown(ev) {
        if (ev.key === "Escape") {
            this.cancelPress();
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
        this.dialog.add(
            DayPlannerQuickCreate,
            {
                staffName: staff.name,
                dayLabel: this.dayLabel,
                timeLabel: formatMinutes(drag.start),
                services: staff.services,
                serviceId: suggested?.id || false,
                onCreate: (values) => this.createAppointment(drag, values),
            },
            { onClose: () => (this.state.drag = null) }
        );
    }

    /**
     * Books from the quick-create dialog: `{ done: true }` (the dialog then closes),
     * `{ question }` (whom to book: the phone is someone else's) or `{ error }` (the
     * server's refusal, which the dialog shows).
     */
    async createAppointment(
        drag,
        { customerName, customerPhone, serviceId, customerId, newCustomer }
    ) {
        let result;
        try {
            result = await this.orm.call(
                "randevu.day.planner",
                "create_from_planner",
                [
                    this.state.branchId,
                    drag.employeeId,
                    serviceId,
                    this.toUtc(drag.start),
                    customerName,
                    customerPhone,
                ],
                { customer_id: customerId, new_customer: newCustomer, context: this.branchContext }
            );
        } catch (error) {
            if (!(error instanceof RPCError)) {
                throw error;
            }
            return { error: error.data?.message || error.message };
        }
        if (result.question) {
            return { question: result.question };
        }
        this.load(); // the dialog closes meanwhile
        return { done: true };
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
