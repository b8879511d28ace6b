import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";

// A phone till (390 px wide): Appointments is beside Pay and Cart, and in the cart's action pad.
registry.category("web_tour.tours").add("randevu_pos_mobile_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "Pay, Appointments and Cart fit the phone's width",
                trigger: ".switchpane .review-button",
                run() {
                    const bar = document.querySelector(".switchpane");
                    if (bar.scrollWidth > bar.clientWidth + 1) {
                        throw new Error("the switch pane overflows the screen");
                    }
                },
            },
            {
                content: "the page is laid out at the phone's width: no horizontal scroll, no button cut",
                trigger: ".switchpane .review-button",
                run() {
                    const width = window.innerWidth;
                    const page = document.documentElement.scrollWidth;
                    if (page > width) {
                        throw new Error(`the page is ${page} px wide on a ${width} px screen`);
                    }
                    const cut = [...document.querySelectorAll(".product-screen .switchpane button")]
                        .filter((button) => button.offsetParent !== null)
                        .map((button) => [button.innerText.replace(/\s+/g, " ").trim() || button.className, button.getBoundingClientRect().right])
                        .filter(([, right]) => right > width + 0.5);
                    if (cut.length) {
                        throw new Error(
                            `buttons of the bottom bar end past the ${width} px screen: ` +
                                cut.map(([name, right]) => `${name} at ${Math.round(right)} px`).join(", ")
                        );
                    }
                },
            },
            {
                content: "open today's appointments from the products' pane",
                trigger: ".switchpane .randevu-appointments-button",
                run: "click",
            },
            {
                content: "the phone is shown in the branch's format",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(06 45 01 92 83)",
            },
            {
                content: "pick the cut",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick",
                run: "click",
            },
            {
                content: "the cart holds one item",
                trigger: ".switchpane .review-button:contains(1 items)",
                run: "click",
            },
            {
                content: "the cut is in the cart with Anna",
                trigger: ".order-container .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            {
                content: "the cart's action pad offers Appointments too",
                trigger: ".actionpad .randevu-appointments-button",
            },
        ].flat(),
});
