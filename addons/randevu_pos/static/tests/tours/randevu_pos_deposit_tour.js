import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

registry.category("web_tour.tours").add("randevu_pos_deposit_tour", {
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
                content: "pick Chloé's whole visit (the cut's deposit was paid online)",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick-visit",
                run: "click",
            },
            {
                content: "the blow-dry is on the order with Bruno",
                trigger: ".order-container .orderline:contains(Blow-dry) .randevu-performer:contains(Bruno)",
            },
            ProductScreen.totalAmountIs("48.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.selectedPaymentlineHas("Deposit", "10.00"),
            PaymentScreen.remainingIs("38.00"),
            {
                content: "the cashier cannot choose the Deposit method",
                trigger: ".paymentmethods:has(.paymentmethod:contains(Cash)):not(:has(.paymentmethod:contains(Deposit)))",
            },
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "38.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
