import { registry } from "@web/core/registry";

// Started by TestPortalTour as the portal customer "Portal Paula", who has one upcoming
// haircut on the branch "Salon Paris".

registry.category("web_tour.tours").add("randevu_booking_portal_reschedule_tour", {
    steps: () => [
        {
            content: "Open the upcoming appointment",
            trigger: ".o_randevu_portal_upcoming .o_randevu_portal_appointment",
            run: "click",
        },
        {
            content: "Move it",
            trigger: ".o_randevu_move",
            run: "click",
        },
        {
            content: "Pick another day",
            trigger: ".o_randevu_day:not([aria-current]):eq(1)",
            run: "click",
        },
        {
            content: "That day is chosen",
            trigger: ".o_randevu_day:eq(2)[aria-current=date]",
        },
        {
            content: "Pick its first free time",
            trigger: ".o_randevu_reschedule_form .o_randevu_slot:first",
            run: "click",
        },
        {
            content: "Asked first: from the current time to the new one",
            trigger: ".o_randevu_reschedule_confirm .o_randevu_reschedule_to",
        },
        {
            content: "Nothing moved yet: confirm",
            trigger: ".o_randevu_reschedule_confirm .o_randevu_reschedule_yes",
            run: "click",
        },
        {
            content: "Moved",
            trigger: ".o_randevu_message:contains(Your appointment is moved.)",
        },
        {
            content: "Still bookable: it can be moved or cancelled again",
            trigger: ".o_randevu_cancel",
        },
    ],
});
