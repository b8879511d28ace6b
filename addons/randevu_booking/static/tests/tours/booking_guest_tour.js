import { registry } from "@web/core/registry";

// Started by TestBookingTour at phone width (360 px), as a visitor without an account, on
// its own branch "Salon Paris" (Anna and Bruno) next to another open branch.

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

registry.category("web_tour.tours").add("randevu_booking_guest_tour", {
    steps: () => [
        {
            content: "Pick the branch",
            trigger: ".o_randevu_branch[data-branch-name='Salon Paris']",
            run: "click",
        },
        {
            content: "Pick the category",
            trigger: ".o_randevu_category[data-category-name='Booking Hair']",
            run: "click",
        },
        {
            content: "Pick the haircut",
            trigger: ".o_randevu_service[data-service-name='Haircut']",
            run: "click",
        },
        {
            content: "Anyone available will do",
            trigger: ".o_randevu_anyone",
            run: "click",
        },
        {
            content: "The first bookable day is chosen, with its times",
            trigger: ".o_randevu_day[aria-current=date] + .o_randevu_day",
            run: fitsTheScreen,
        },
        {
            content: "Show later dates (loaded without leaving the page)",
            trigger: ".o_randevu_days_more",
            run: "click",
        },
        {
            content: "The later dates are shown, the first one chosen with its times",
            trigger: ".o_randevu_days:not([aria-busy]) .o_randevu_day:first-child[aria-current=date]",
        },
        {
            content: "Its times are there",
            trigger: ".o_randevu_slots:not([aria-busy]) .o_randevu_slot",
        },
        {
            content: "Pick the second day of those",
            trigger: ".o_randevu_day:nth-child(2):not([aria-current])",
            run: "click",
        },
        {
            content: "It is the chosen day now",
            trigger: ".o_randevu_day:nth-child(2)[aria-current=date]",
        },
        {
            content: "Pick its first free time",
            trigger: ".o_randevu_slots:not([aria-busy]) .o_randevu_slot:first",
            run: "click",
        },
        {
            content: "Type a name",
            trigger: "input#o_randevu_name",
            run: "edit Tour Guest",
        },
        {
            content: "A phone number, as people type them",
            trigger: "input#o_randevu_phone",
            run: "edit 06 55 44 33 21",
        },
        {
            content: "An email",
            trigger: "input#o_randevu_email",
            run: "edit tour.guest@example.com",
        },
        {
            content: "The form fits the screen",
            trigger: ".o_randevu_confirm",
            run: fitsTheScreen,
        },
        {
            content: "Confirm",
            trigger: ".o_randevu_confirm",
            run: "click",
        },
        {
            content: "Booked",
            trigger: ".o_randevu_confirmation:contains(You're booked!)",
            run: fitsTheScreen,
        },
        {
            content: "With the staff member the engine chose",
            trigger: ".o_randevu_summary:contains(With Anna), .o_randevu_summary:contains(With Bruno)",
        },
    ],
});
