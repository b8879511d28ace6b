import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";

registry.category("web_tour.tours").add("randevu_pos_credit_tour", {
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
                content: "pick the whole visit",
                trigger: ".modal .randevu-appointment-row:contains(Cut):contains(Anna) .randevu-pick-visit",
                run: "click",
            },
            {
                content: "the cut is on the order with Anna",
                trigger: ".order-container .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            ProductScreen.totalAmountIs("48.00"),
            PosLoyalty.enterCode("TESTWELCOME10"),
            ProductScreen.totalAmountIs("43.20"),
            // 10 on the card and a credit limit of 10: the eWallet pays 20.
            PosLoyalty.eWalletButtonState({ highlighted: true, text: "eWallet Pay", click: true }),
            ProductScreen.totalAmountIs("23.20"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Card"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt shows the cut with Anna",
                trigger: ".pos-receipt .orderline:contains(Cut) .randevu-performer:contains(Anna)",
            },
            {
                content: "the receipt shows the credit used",
                trigger: ".pos-receipt .randevu-credit:contains(Account credit used):contains(20.00)",
            },
            {
                content: "and the credit left",
                trigger: ".pos-receipt .randevu-credit:contains(Account credit left):contains(-10.00)",
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
