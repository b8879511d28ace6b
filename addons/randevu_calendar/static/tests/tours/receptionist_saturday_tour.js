import { registry } from "@web/core/registry";

// Started by TestReceptionistSaturdayTour as its receptionist, on today's planner of a
// branch open around the clock (Ayşe and Burak take appointments; a Blow-dry is 30
// minutes at 40.00). Zeynep Arslan is booked in three days.
const column = (name) => `.o_randevu_planner_column[data-employee-name='${name}']`;
const block = (text) => `.o_randevu_planner_appointment:contains(${text})`;

registry.category("web_tour.tours").add("randevu_receptionist_saturday_tour", {
    steps: () => [
        {
            content: "The planner opens on today, one column per stylist",
            trigger: `${column("Ayşe")} ~ ${column("Burak")}`,
        },
        {
            content: "The time-zone gutter reads as a city and an offset",
            trigger: ".o_randevu_planner_header .o_randevu_planner_gutter:contains((GMT)",
        },
        {
            content: "An empty day so far",
            trigger: ".o_randevu_planner_summary_count:contains(0 appointments)",
        },
        // A new client calls: booked with "+ New", no drag needed.
        {
            content: "+ New",
            trigger: ".o_randevu_planner_new",
            run: "click",
        },
        {
            content: "The dialog proposes a stylist and a time",
            trigger: ".modal .o_randevu_planner_qc_time",
        },
        {
            content: "Type the caller's name",
            trigger: ".modal .o_randevu_planner_qc_name",
            run: "edit Selin Demir",
        },
        {
            content: "And her phone number",
            trigger: ".modal .o_randevu_planner_qc_phone",
            run: "edit +90 538 246 80 13",
        },
        {
            content: "Pick the blow-dry",
            trigger: ".modal .o_randevu_planner_qc_service",
            run: "selectByLabel Blow-dry (30 min)",
        },
        {
            content: "Book",
            trigger: ".modal .o_randevu_planner_qc_create",
            run: "click",
        },
        {
            content: "Selin is in Ayşe's column, marked as a first visit",
            trigger: `${column("Ayşe")} ${block("Selin Demir")} .o_randevu_planner_marker_first`,
        },
        // Someone walks in: W.
        {
            content: "Press W for a walk-in",
            trigger: "body:not(:has(.modal))",
            run: "press w",
        },
        {
            content: "The walk-in dialog: anyone free first",
            trigger: ".modal .o_randevu_planner_quick_create[data-mode=walkin]",
        },
        {
            content: "Pick the blow-dry",
            trigger: ".modal .o_randevu_planner_qc_service",
            run: "selectByLabel Blow-dry (30 min)",
        },
        {
            content: "Book the walk-in (no name: the customer is optional)",
            trigger: ".modal .o_randevu_planner_qc_create",
            run: "click",
        },
        {
            content: "The walk-in is booked and outlined",
            trigger: `.o_randevu_planner_highlight${block("Walk-in")}`,
        },
        // The walk-in sits down: check in.
        {
            content: "Open the walk-in",
            trigger: `${block("Walk-in")} .o_randevu_planner_appointment_partner`,
            run: "click",
        },
        {
            content: "Check in",
            trigger: ".modal .o_form_view button[name=action_arrive]",
            run: "click",
        },
        {
            content: "The planner shows the walk-in arrived",
            trigger: `${block("Walk-in")}[data-state=arrived]`,
        },
        // A customer calls about her appointment: search finds it.
        {
            content: "Press / to search a customer",
            trigger: "body:not(:has(.modal))",
            run: "press /",
        },
        {
            content: "Type her name",
            trigger: ".o_randevu_planner_search:focus",
            run: "edit Zeynep",
        },
        {
            content: "Search",
            trigger: ".o_randevu_planner_search_form button[type=submit]",
            run: "click",
        },
        {
            content: "The planner jumps to her day, her appointment outlined",
            trigger: `.o_randevu_planner_highlight${block("Zeynep Arslan")}`,
        },
        {
            content: "Press T to come back to today",
            trigger: ".o_randevu_planner_today:not(.active)",
            run: function () {
                // The search box has the focus: T would be typed into it.
                document.activeElement.blur();
            },
        },
        {
            content: "T",
            trigger: "body:not(:has(.modal))",
            run: "press t",
        },
        // The day in figures.
        {
            content: "Two appointments today",
            trigger: ".o_randevu_planner_today.active",
        },
        {
            content: "Two appointments",
            trigger: ".o_randevu_planner_summary_count:contains(2 appointments)",
        },
        {
            content: "Expected revenue: two blow-dries",
            trigger: ".o_randevu_planner_summary_revenue:contains(80.00)",
        },
        {
            content: "One customer in now: the walk-in",
            trigger: ".o_randevu_planner_summary_in:contains(In now 1)",
        },
        {
            content: "Free time is counted",
            trigger: ".o_randevu_planner_summary_free:contains(gaps)",
        },
    ],
});
