import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

registry.category("web_tour.tours").add("randevu_pos_pay_later_tour", {
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
                content: "pick Chloé's whole visit",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick-visit",
                run: "click",
            },
            {
                content: "the customer is on the order",
                trigger: ".product-screen .set-partner:contains(Chloé Martin)",
            },
            ProductScreen.totalAmountIs("48.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Customer Account"),
            PaymentScreen.selectedPaymentlineHas("Customer Account", "48.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.clickPartnerButton(),
            {
                content: "the customer list shows her new due at once (it was 0 when the till opened)",
                trigger: ".modal .partner-line:contains(Chloé Martin) .randevu-pos-due:contains(48.00)",
            },
        ].flat(),
});
