import { registry } from "@web/core/registry";

// Started by TestClassTour at phone width (360 px), as a visitor without an account: a
// place in the "Morning Yoga" class of "Salon Paris" (one session, two places left).

/** Fails the tour when the page scrolls sideways: everything must fit a phone's width. */
function fitsTheScreen() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) {
        throw new Error(`The page is ${overflow}px wider than the screen`);
    }
}

registry.category("web_tour.tours").add("randevu_booking_class_tour", {
    steps: () => [
        {
            content: "Pick the class, listed with its places",
            trigger: ".o_randevu_class[data-service-name='Morning Yoga']:contains(2 places)",
            run: "click",
        },
        {
            content: "Its session, with the places left and the trainer",
            trigger: ".o_randevu_session:contains(2 places left):contains(Anna)",
            run: fitsTheScreen,
        },
        {
            content: "Pick the session",
            trigger: ".o_randevu_session",
            run: "click",
        },
        {
            content: "Type a name",
            trigger: "input#o_randevu_name",
            run: "edit Tour Yogi",
        },
        {
            content: "A phone number, as people type them",
            trigger: "input#o_randevu_phone",
            run: "edit 06 55 44 33 29",
        },
        {
            content: "The form fits the screen",
            trigger: ".o_randevu_confirm:contains(Book my place)",
            run: fitsTheScreen,
        },
        {
            content: "Book the place",
            trigger: ".o_randevu_confirm",
            run: "click",
        },
        {
            content: "Booked, with a way to cancel",
            trigger: ".o_randevu_seat:contains(Your place is booked!)",
            run: fitsTheScreen,
        },
        {
            content: "The seat can be cancelled",
            trigger: ".o_randevu_seat_cancel button",
        },
    ],
});
