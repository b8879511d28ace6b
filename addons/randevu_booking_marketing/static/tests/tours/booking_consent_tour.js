import { registry } from "@web/core/registry";

// Started by TestBookingConsentTour at phone width (360 px), as a visitor without an
// account, on the hair category of "Salon Paris": books a haircut and ticks the email box.

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

registry.category("web_tour.tours").add("randevu_booking_consent_tour", {
    steps: () => [
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
            content: "Pick the first free time",
            trigger: ".o_randevu_slots:not([aria-busy]) .o_randevu_slot:first",
            run: "click",
        },
        {
            content: "Every consent box is unticked",
            trigger: ".o_randevu_consent:not(:has(input:checked)) input[name=randevu_consent_whatsapp]",
        },
        {
            content: "Type a name",
            trigger: "input#o_randevu_name",
            run: "edit Consent Guest",
        },
        {
            content: "A phone number",
            trigger: "input#o_randevu_phone",
            run: "edit 06 55 44 33 88",
        },
        {
            content: "An email",
            trigger: "input#o_randevu_email",
            run: "edit consent.guest@example.com",
        },
        {
            content: "Tick the email box",
            trigger: "input#o_randevu_consent_email",
            run: "click",
        },
        {
            content: "The form fits the screen",
            trigger: "input#o_randevu_consent_email:checked",
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
        },
    ],
});
