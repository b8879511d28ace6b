import { registry } from "@web/core/registry";

// Started by TestHomeToBookingTour at phone width (360 px), as a visitor: the home page
// built from the salon's blocks, then the booking of a haircut with Anna, whose own
// price (55) differs from the service's (40).

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

function priceOf(selector) {
    const element = document.querySelector(selector);
    return element && parseFloat(element.dataset.price);
}

registry.category("web_tour.tours").add("randevu_booking_home_tour", {
    steps: () => [
        {
            content: "The services block shows the haircut from the lowest price",
            trigger: ".s_randevu_services .s_randevu_live_content .s_randevu_service[data-service-name='Haircut'] .o_randevu_price[data-price-from]",
            run: fitsTheScreen,
        },
        {
            content: "The team block shows Anna",
            trigger: ".s_randevu_team .s_randevu_member[data-staff-name='Anna']",
        },
        {
            content: "The branches block shows the address and hours",
            trigger: ".s_randevu_branches .s_randevu_branch_card .s_randevu_hours",
            run: fitsTheScreen,
        },
        {
            content: "Book now",
            trigger: ".s_randevu_hero .o_randevu_book_button_link",
            run: "click",
        },
        {
            content: "Pick the category",
            trigger: ".o_randevu_category[data-category-name='Booking Hair']",
            run: "click",
        },
        {
            content: "The haircut is shown from the lowest price: pick it",
            trigger: ".o_randevu_service[data-service-name='Haircut']:has(.o_randevu_price[data-price-from])",
            run: "click",
        },
        {
            content: "Anna shows her own price",
            trigger: ".o_randevu_staff_member[data-staff-name='Anna'] .o_randevu_price[data-price='55.0']",
            run: fitsTheScreen,
        },
        {
            content: "Pick Anna",
            trigger: ".o_randevu_staff_member[data-staff-name='Anna']",
            run: "click",
        },
        {
            content: "The time step shows her price, exactly",
            trigger: ".o_randevu_summary_terms .o_randevu_price[data-price='55.0']:not([data-price-from])",
            run() {
                fitsTheScreen();
                if (document.querySelector(".o_randevu_price_hint")) {
                    throw new Error("A chosen staff member's price is exact");
                }
            },
        },
        {
            content: "Pick the first free time",
            trigger: ".o_randevu_slots:not([aria-busy]) .o_randevu_slot",
            run: "click",
        },
        {
            content: "The details show the same price before confirming",
            trigger: ".o_randevu_summary .o_randevu_price[data-price='55.0']",
            run: fitsTheScreen,
        },
        {
            content: "Name",
            trigger: "input[name=name]",
            run: "edit Home Tour Guest",
        },
        {
            content: "Phone",
            trigger: "input[name=phone]",
            run: "edit 06 55 44 33 88",
        },
        {
            content: "Note down the price shown (read by the test)",
            trigger: "textarea[name=note]",
            run() {
                const shown = priceOf(".o_randevu_summary .o_randevu_price");
                document.querySelector("textarea[name=note]").value = `?shown=${shown}`;
            },
        },
        {
            content: "Confirm booking",
            trigger: ".o_randevu_confirm",
            run: "click",
        },
        {
            content: "Booked, at the price shown",
            trigger: ".o_randevu_confirmation",
        },
        {
            content: "The confirmation shows the price",
            trigger: ".o_randevu_summary .o_randevu_price[data-price='55.0']",
            run: fitsTheScreen,
        },
    ],
});
