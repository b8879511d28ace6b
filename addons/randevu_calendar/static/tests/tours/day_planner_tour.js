import { registry } from "@web/core/registry";

// Started by TestDayPlannerTour on its own branch ("Salon Paris": Anna and Bruno work
// 09:00-13:00 and 14:00-18:00) on Monday 6 January 2031.
const column = (name) => `.o_randevu_planner_column[data-employee-name='${name}']`;
const slot = (name, time) => `${column(name)} .o_randevu_planner_slot[data-time='${time}']`;
const block = ".o_randevu_planner_appointment:contains(Tour Customer)";

/** Drops the step's element on the middle of `selector` (a drag of the pointer). */
const dropOn = (selector) =>
    async function (helpers) {
        await helpers.drag_and_drop(selector, { position: "center", relative: true });
    };

registry.category("web_tour.tours").add("randevu_day_planner_tour", {
    steps: () => [
        {
            content: "Anna and Bruno have a column",
            trigger: `${column("Anna")} ~ ${column("Bruno")}`,
        },
        {
            content: "Drag from 10:00 to 10:15 in Anna's column to book 10:00-10:30",
            trigger: slot("Anna", "10:00"),
            run: dropOn(slot("Anna", "10:15")),
        },
        {
            content: "Type the customer's name",
            trigger: ".modal .o_randevu_planner_qc_name",
            run: "edit Tour Customer",
        },
        {
            content: "And their phone number",
            trigger: ".modal .o_randevu_planner_qc_phone",
            run: "edit +33 6 99 88 77 66",
        },
        {
            content: "Pick the trim",
            trigger: ".modal .o_randevu_planner_qc_service",
            run: "selectByLabel Tour Trim",
        },
        {
            content: "Book",
            trigger: ".modal .o_randevu_planner_qc_create",
            run: "click",
        },
        {
            content: "The booking is in Anna's column at 10:00",
            trigger: `${column("Anna")} ${block} .o_randevu_planner_appointment_time:contains(10:00 - 10:30)`,
        },
        {
            content: "Move it to Bruno at 11:00 (grabbed by its first row)",
            trigger: `${block} .o_randevu_planner_appointment_time`,
            run: dropOn(slot("Bruno", "11:00")),
        },
        {
            content: "It is in Bruno's column at 11:00",
            trigger: `${column("Bruno")} ${block} .o_randevu_planner_appointment_time:contains(11:00 - 11:30)`,
        },
        {
            content: "Try to move it into Bruno's lunch break",
            trigger: `${block} .o_randevu_planner_appointment_time`,
            run: dropOn(slot("Bruno", "13:15")),
        },
        {
            content: "The server refuses: the reason is shown",
            trigger: ".o_notification:contains(would run into Bruno)",
        },
        {
            content: "Close the notification",
            trigger: ".o_notification:contains(would run into Bruno) .o_notification_close",
            run: "click",
        },
        {
            content: "And the appointment is back at 11:00",
            trigger: `${column("Bruno")} ${block}:not(.o_randevu_planner_dragged) .o_randevu_planner_appointment_time:contains(11:00 - 11:30)`,
        },
        {
            content: "Stretch it to 11:45 by its bottom edge",
            trigger: `${block} .o_randevu_planner_resize`,
            run: dropOn(slot("Bruno", "11:30")),
        },
        {
            content: "It now ends at 11:45",
            trigger: `${column("Bruno")} ${block} .o_randevu_planner_appointment_time:contains(11:00 - 11:45)`,
        },
        {
            content: "Open it",
            trigger: `${block} .o_randevu_planner_appointment_partner`,
            run: "click",
        },
        {
            content: "The customer has arrived",
            trigger: ".modal .o_form_view button[name=action_arrive]",
            run: "click",
        },
        {
            content: "The planner shows it",
            trigger: `${block}[data-state=arrived]`,
        },
        {
            content: "Open it again",
            trigger: `${block} .o_randevu_planner_appointment_partner`,
            run: "click",
        },
        {
            content: "Finish it",
            trigger: ".modal .o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "The appointment is done",
            trigger: `${column("Bruno")} ${block}[data-state=done]`,
        },
    ],
});
