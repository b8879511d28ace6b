import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";

registry.category("web_tour.tours").add("randevu_pos_refund_credit_tour", {
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
                content: "pick the whole visit",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick-visit",
                run: "click",
            },
            ProductScreen.totalAmountIs("48.00"),
            {
                content: "no refund to credit on a sale",
                trigger: ".control-buttons:not(:has(.randevu-refund-credit-button))",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
            ...ProductScreen.clickRefund(),
            TicketScreen.filterIs("Paid"),
            TicketScreen.selectOrder("Chloé Martin"),
            {
                content: "select the cut on the paid order",
                trigger: ".ticket-screen .orderline:contains(Cut)",
                run: "click",
            },
            ProductScreen.clickNumpad("1"),
            TicketScreen.confirmRefund(),
            {
                content: "the reason is asked",
                trigger: ".modal .selection-item:contains(Service not performed)",
                run: "click",
            },
            NumberPopup.enterValue("4321"),
            Dialog.confirm(),
            ProductScreen.totalAmountIs("-28.00"),
            {
                content: "refund it to her account credit",
                trigger: ".control-buttons .randevu-refund-credit-button",
                run: "click",
            },
            {
                content: "the top-up is on the order at the refunded amount",
                trigger: ".order-container .orderline:contains(Credit Top-up) .price:contains(28.00)",
            },
            ProductScreen.totalAmountIs("0.00"),
            {
                content: "nothing more to refund to credit",
                trigger: ".control-buttons:not(:has(.randevu-refund-credit-button))",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
