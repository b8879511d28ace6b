import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

// A seat of today's yoga class: picked from the Appointments list, paid in cash.
registry.category("web_tour.tours").add("randevu_pos_seat_tour", {
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
                content: "pick Inès's seat in the yoga class",
                trigger: ".modal .randevu-appointment-row:contains(Inès Petit):contains(Yoga) .randevu-pick",
                run: "click",
            },
            {
                content: "Inès is the order's customer",
                trigger: ".product-screen .set-partner:contains(Inès Petit)",
            },
            {
                content: "the class's service with its instructor",
                trigger: ".order-container .orderline:contains(Yoga) .randevu-performer:contains(Anna)",
            },
            ProductScreen.totalAmountIs("15.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
        ].flat(),
});
