import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarModel } from "@web/views/calendar/calendar_model";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";

/**
 * The appointments' calendar of the current branch (the first company selected in the
 * switcher), drawn on the branch's clock whatever the browser's timezone, from its
 * earliest opening to its latest closing (res.company.randevu_calendar_view_settings).
 *
 * The calendar draws in the browser's zone: each appointment's start and end are moved
 * to the branch's wall time in that zone ("10:00 in Istanbul" drawn at 10:00), and
 * moved back before anything is written or searched.
 */
export class RandevuAppointmentCalendarModel extends CalendarModel {
    setup() {
        super.setup(...arguments);
        this.branchSettings = null;
    }

    async load(params = {}) {
        if (!this.branchSettings) {
            const branchId = (user.context.allowed_company_ids || [])[0];
            this.branchSettings = branchId
                ? await this.orm.call("res.company", "randevu_calendar_view_settings", [[branchId]])
                : {};
        }
        if (!this.meta.date && this.branchTz && !params.context?.initial_date) {
            // Opens on the branch's today (its "now" line is drawn there).
            this.meta.date = this.toBranchClock(luxon.DateTime.now()).startOf("day");
        }
        return super.load(params);
    }

    get branchTz() {
        return (this.branchSettings && this.branchSettings.tz) || null;
    }

    /** A moment as the branch's wall time, in the browser's zone (what the calendar draws). */
    toBranchClock(moment) {
        return this.branchTz ? moment.setZone(this.branchTz).setZone("local", { keepLocalTime: true }) : moment;
    }

    /** A wall time of the branch drawn in the browser's zone, as the moment it is. */
    fromBranchClock(wallTime) {
        return this.branchTz ? wallTime.setZone(this.branchTz, { keepLocalTime: true }) : wallTime;
    }

    /** The "Upcoming" filter of the lists (start from today) would empty the days of the
     * week already gone: the calendar's own range decides what it shows. */
    computeDomain(data) {
        const searchDomain = this.meta.domain.map((leaf) =>
            Array.isArray(leaf) && leaf[0] === "start" && leaf[1] === ">=" ? [1, "=", 1] : leaf
        );
        return [...searchDomain, ...this.computeRangeDomain(data), ...this.computeFiltersDomain(data)];
    }

    computeRangeDomain(data) {
        const range = { start: this.fromBranchClock(data.range.start), end: this.fromBranchClock(data.range.end) };
        return super.computeRangeDomain({ ...data, range });
    }

    normalizeRecord(rawRecord) {
        const record = super.normalizeRecord(rawRecord);
        record.start = this.toBranchClock(record.start);
        record.end = this.toBranchClock(record.end);
        return record;
    }

    buildRawRecord(partialRecord, options = {}) {
        const record = { ...partialRecord };
        for (const key of ["start", "end"]) {
            if (record[key] && record[key].isValid) {
                record[key] = this.fromBranchClock(record[key]);
            }
        }
        return super.buildRawRecord(record, options);
    }
}

export class RandevuAppointmentCalendarCommonRenderer extends CalendarCommonRenderer {
    get options() {
        const options = super.options;
        const settings = this.props.model.branchSettings || {};
        if (settings.min_time && settings.max_time) {
            options.slotMinTime = settings.min_time;
            options.slotMaxTime = settings.max_time;
            options.scrollTime = settings.min_time;
        }
        if (settings.tz) {
            // "Now" (the red line, today's column) on the branch's clock, like the
            // appointments: the branch's wall time, read by the calendar in its own zone.
            options.nowIndicator = true;
            options.now = () =>
                luxon.DateTime.now()
                    .setZone(settings.tz)
                    .toISO({ includeOffset: false, suppressMilliseconds: true });
        }
        return options;
    }
}

export class RandevuAppointmentCalendarRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: RandevuAppointmentCalendarCommonRenderer,
        week: RandevuAppointmentCalendarCommonRenderer,
        month: RandevuAppointmentCalendarCommonRenderer,
    };
}

export const randevuAppointmentCalendarView = {
    ...calendarView,
    Model: RandevuAppointmentCalendarModel,
    Renderer: RandevuAppointmentCalendarRenderer,
};

registry.category("views").add("randevu_appointment_calendar", randevuAppointmentCalendarView);
