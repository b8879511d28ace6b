import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";

registry.category("web_tour.tours").add("randevu_pos_refund_tour", {
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
            {
                content: "the cut is on the order with Anna",
                trigger: ".order-container .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            ProductScreen.totalAmountIs("48.00"),
            ProductScreen.clickPayButton(),
            // A tip of 5 for Bruno (Anna, the first performer, is not the only one).
            PaymentScreen.clickTipButton(),
            NumberPopup.enterValue("5"),
            Dialog.confirm(),
            {
                content: "whom the tip is for",
                trigger: ".modal .selection-item:contains(Bruno)",
                run: "click",
            },
            PaymentScreen.totalIs("53.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
            // Refund the cut: the ticket screen, its line, one to refund.
            ...ProductScreen.clickRefund(),
            TicketScreen.filterIs("Paid"),
            TicketScreen.selectOrder("Chloé Martin"),
            {
                content: "select the cut on the paid order",
                trigger: ".ticket-screen .orderline:contains(Cut)",
                run: "click",
            },
            ProductScreen.clickNumpad("1"),
            TicketScreen.toRefundTextContains("To Refund: 1.00"),
            TicketScreen.confirmRefund(),
            {
                content: "the reason is asked",
                trigger: ".modal .selection-item:contains(Service not performed)",
                run: "click",
            },
            {
                content: "then a manager's PIN",
                trigger: ".modal-title:contains(Manager's PIN)",
            },
            NumberPopup.enterValue("4321"),
            NumberPopup.isShown("••••"),
            Dialog.confirm(),
            {
                content: "the refund line keeps Anna",
                trigger: ".order-container .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            ProductScreen.totalAmountIs("-28.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
