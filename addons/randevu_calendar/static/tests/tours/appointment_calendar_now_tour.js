import { registry } from "@web/core/registry";

// Started by TestAppointmentCalendarNow on the appointments' calendar of a Tokyo branch open around the clock,
// in a browser whose timezone is not Tokyo's: the red "now" line is drawn on the branch's clock, in the column of
// the branch's today and in the slot of the branch's current time.
const BRANCH_TZ = "Asia/Tokyo";

registry.category("web_tour.tours").add("randevu_appointment_calendar_now_tour", {
    steps: () => [
        {
            content: "The calendar draws the now line",
            trigger: ".o_calendar_renderer .fc-timegrid-now-indicator-line",
            run() {
                const now = luxon.DateTime.now().setZone(BRANCH_TZ);
                const line = document.querySelector(".fc-timegrid-now-indicator-line");
                const column = line.closest(".fc-timegrid-col");
                if (column.dataset.date !== now.toISODate()) {
                    throw new Error(`now line on ${column.dataset.date}, the branch's today is ${now.toISODate()}`);
                }
                const minutes = now.hour * 60 + now.minute;
                const lanes = [...document.querySelectorAll(".fc-timegrid-slot-lane[data-time]")].filter((lane) => {
                    const [hours, mins] = lane.dataset.time.split(":").map(Number);
                    return hours * 60 + mins <= minutes;
                });
                const lane = lanes.at(-1).getBoundingClientRect();
                const top = line.getBoundingClientRect().top;
                if (top < lane.top - 2 || top > lane.bottom + 2) {
                    throw new Error(
                        `now line at ${top}px, the branch's ${now.toFormat("HH:mm")} is ${lane.top}-${lane.bottom}px`
                    );
                }
            },
        },
    ],
});
