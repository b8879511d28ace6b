import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarModel } from "@web/views/calendar/calendar_model";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";

/**
 * The appointments' calendar of the current branch (the first company selected in the
 * switcher): shown in the branch's timezone, from its earliest opening to its latest
 * closing (res.company.randevu_calendar_view_settings).
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
        return super.load(params);
    }

    get branchTz() {
        return (this.branchSettings && this.branchSettings.tz) || null;
    }

    /** The "Upcoming" filter of the lists (start from today) would empty the days of the
     * week already gone: the calendar's own range decides what it shows. */
    computeDomain(data) {
        const domain = super.computeDomain(data);
        const rangeLeaves = this.computeRangeDomain(data).length;
        const searchDomain = domain.slice(0, domain.length - rangeLeaves - this.computeFiltersDomain(data).length);
        const rest = domain.slice(searchDomain.length);
        const withoutUpcoming = searchDomain.map((leaf) =>
            Array.isArray(leaf) && leaf[0] === "start" && leaf[1] === ">=" ? [1, "=", 1] : leaf
        );
        return [...withoutUpcoming, ...rest];
    }

    normalizeRecord(rawRecord) {
        const record = super.normalizeRecord(rawRecord);
        if (this.branchTz) {
            record.start = record.start.setZone(this.branchTz);
            record.end = record.end.setZone(this.branchTz);
        }
        return record;
    }
}

export class RandevuAppointmentCalendarCommonRenderer extends CalendarCommonRenderer {
    get options() {
        const options = super.options;
        const settings = this.props.model.branchSettings || {};
        if (settings.tz) {
            options.timeZone = settings.tz;
        }
        if (settings.min_time && settings.max_time) {
            options.slotMinTime = settings.min_time;
            options.slotMaxTime = settings.max_time;
            options.scrollTime = settings.min_time;
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
