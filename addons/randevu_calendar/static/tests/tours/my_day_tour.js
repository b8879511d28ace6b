import { registry } from "@web/core/registry";

// Started by TestMyDayPhoneTour at 390 x 844 px (touch) as Anna's user, on Monday
// 6 January 2031: a haircut at 09:00 (customer with an allergy note), a colour at 11:00.
const first = ".o_randevu_my_day_list > li:nth-child(1)";

/** Fails when something is wider than the phone's screen (cut off or scrolling sideways). */
function assertFitsThePhone() {
    const width = document.documentElement.clientWidth;
    const tooWide = [...document.querySelectorAll(".o_randevu_my_day_page, .o_randevu_my_day_card *")].filter(
        (el) => el.getBoundingClientRect().right > width + 1 || el.scrollWidth > el.clientWidth + 1
    );
    if (width > 400 || tooWide.length) {
        throw new Error(
            `My day does not fit a ${width} px screen: ${tooWide.map((el) => el.className).join(", ")}`
        );
    }
}

registry.category("web_tour.tours").add("randevu_my_day_phone_tour", {
    steps: () => [
        {
            content: "Her next customer comes first, with the allergy note in full",
            trigger: `${first}.o_randevu_my_day_next_card .o_randevu_my_day_note:contains(Allergic to ammonia — use the ammonia-free colour)`,
        },
        {
            content: "The service, its time and length read on the card",
            trigger: `${first} .o_randevu_my_day_time:contains(09:00–09:30)`,
            run: assertFitsThePhone,
        },
        {
            content: "The customer is here: check her in",
            trigger: `${first} button[data-action=action_arrive]`,
            run: "click",
        },
        {
            content: "Start the service",
            trigger: `${first}[data-state=arrived] button[data-action=action_start]`,
            run: "click",
        },
        {
            content: "Finish it",
            trigger: `${first}[data-state=in_progress] button[data-action=action_done]`,
            run: "click",
        },
        {
            content: "Done; the colour is next",
            trigger: `${first}[data-state=done] + li.o_randevu_my_day_next_card`,
            run: assertFitsThePhone,
        },
        {
            content: "No cancel button: the branch does not let staff cancel",
            trigger: `.o_randevu_my_day_list:not(:has(button[data-action=action_cancel]))`,
        },
    ],
});
