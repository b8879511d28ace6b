import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

registry.category("web_tour.tours").add("randevu_pos_checkout_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "open today's appointments",
                trigger: ".control-buttons .randevu-appointments-button",
                run: "click",
            },
            {
                content: "search the customer by phone",
                trigger: ".modal .randevu-appointment-search",
                run: "edit 06 45 01 92 83",
            },
            {
                content: "her cut by Anna and blow-dry by Bruno are listed",
                trigger: ".modal .randevu-appointment-row:contains(Blow-dry):contains(Bruno):contains(In Progress)",
            },
            {
                content: "pick the whole visit",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick-visit",
                run: "click",
            },
            {
                content: "the customer is on the order",
                trigger: ".product-screen .set-partner:contains(Chloé Martin)",
            },
            {
                content: "the cut is on the order with Anna",
                trigger: ".order-container .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            {
                content: "the blow-dry is on the order with Bruno",
                trigger: ".order-container .orderline:contains(Blow-dry) .randevu-performer:contains(Bruno)",
            },
            ProductScreen.clickDisplayedProduct("Argan Shampoo"),
            ProductScreen.totalAmountIs("60.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt shows the cut with Anna",
                trigger: ".pos-receipt .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            {
                content: "the receipt shows the blow-dry with Bruno",
                trigger: ".pos-receipt .orderline:contains(Blow-dry) .randevu-performer:contains(Bruno)",
            },
            {
                content: "and the shampoo",
                trigger: ".pos-receipt .orderline:contains(Argan Shampoo)",
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
