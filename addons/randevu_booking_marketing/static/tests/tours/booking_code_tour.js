import { registry } from "@web/core/registry";

// Started by TestDiscountCodeTour at phone width (360 px), as a visitor without an
// account, on the hair category of "Salon Paris": a haircut of 40.00 with a deposit of
// 50 %, a wrong code refused, then SPRING10 (10 %) applied: the discounted price and
// deposit are shown before confirming (SPRING10 typed and Confirm pressed: applied
// first), and the discounted deposit is asked.

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

registry.category("web_tour.tours").add("randevu_booking_code_tour", {
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
            content: "Type a name",
            trigger: "input#o_randevu_name",
            run: "edit Code Guest",
        },
        {
            content: "A phone number",
            trigger: "input#o_randevu_phone",
            run: "edit 06 55 44 33 77",
        },
        {
            content: "A code that does not exist",
            trigger: "input#o_randevu_discount_code",
            run: "edit NOPE",
        },
        {
            content: "Apply it",
            trigger: ".o_randevu_apply_code",
            run: "click",
        },
        {
            content: "It is refused under the field, nothing booked",
            trigger: "#o_randevu_discount_code_error:contains(This discount code is not valid.)",
        },
        {
            content: "The real code",
            trigger: "input#o_randevu_discount_code.is-invalid",
            run: "edit SPRING10",
        },
        {
            content: "Confirm right away: the code not applied yet, its discount is shown first",
            trigger: ".o_randevu_confirm",
            run: "click",
        },
        {
            content: "The price, the discount and the new price are shown",
            trigger:
                ".o_randevu_discount_summary:has(.o_randevu_discount_price:contains(40.00)):has(.o_randevu_discount_amount:contains(4.00)):has(.o_randevu_discount_new_price:contains(36.00))",
        },
        {
            content: "The deposit is that of the new price, and the page fits the screen",
            trigger: ".o_randevu_discount_summary .o_randevu_discount_deposit:contains(18.00)",
            run: fitsTheScreen,
        },
        {
            content: "The deposit box says the same",
            trigger: ".o_randevu_deposit .o_randevu_deposit_amount:contains(18.00)",
        },
        {
            content: "The details typed are kept",
            trigger: "input#o_randevu_name:value(Code Guest)",
        },
        {
            content: "Confirm, the code applied",
            trigger: "input#o_randevu_discount_code[data-applied-code=SPRING10]",
            run() {
                document.querySelector(".o_randevu_confirm").click();
            },
        },
        {
            content: "The discounted deposit is asked",
            trigger: ".o_randevu_portal_pay_page:contains(18.00)",
        },
    ],
});
