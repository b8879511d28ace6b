import { registry } from "@web/core/registry";

// Started by TestDepositTour at phone width (360 px), as a visitor without an account, on
// the hair category of "Salon Paris", whose "Bridal hair" asks for a deposit of 50 paid with
// Odoo's demo provider (payment_demo) in test mode.

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

registry.category("web_tour.tours").add("randevu_booking_deposit_tour", {
    steps: () => [
        {
            content: "Pick the service with a deposit",
            trigger: ".o_randevu_service[data-service-name='Bridal hair']",
            run: "click",
        },
        {
            content: "Pick the first free time",
            trigger: ".o_randevu_slots:not([aria-busy]) .o_randevu_slot:first",
            run: "click",
        },
        {
            content: "Type a name",
            trigger: "input#o_randevu_name",
            run: "edit Deposit Guest",
        },
        {
            content: "A phone number",
            trigger: "input#o_randevu_phone",
            run: "edit 06 55 44 33 77",
        },
        {
            content: "Confirm",
            trigger: ".o_randevu_confirm",
            run: "click",
        },
        {
            content: "The time is held while the deposit is paid",
            trigger: ".o_randevu_portal_pay_page .o_randevu_hold",
        },
        {
            content: "The deposit to pay",
            trigger: ".o_randevu_deposit_due:contains(50.00)",
            run: fitsTheScreen,
        },
        {
            content: "The demo provider's inline form is shown",
            trigger: "input#customer_input",
            run: "edit 4242 4242 4242 4242",
        },
        {
            content: "Simulate a successful payment",
            trigger: "select#simulated_payment_state",
            run: "select done",
        },
        {
            content: "Pay",
            trigger: "button[name=o_payment_submit_button]:enabled",
            run: "click",
        },
        {
            content: "Back on the confirmation, once paid",
            trigger: ".o_randevu_confirmation:contains(You're booked!)",
            timeout: 30000,
        },
        {
            content: "The payment is received",
            trigger: ".o_randevu_message:contains(your payment is received)",
            run: fitsTheScreen,
        },
        {
            content: "The booking is confirmed",
            trigger: ".o_randevu_state:contains(Confirmed)",
        },
        {
            content: "The deposit is paid",
            trigger: ".o_randevu_deposit_paid:contains(50.00)",
        },
    ],
});
