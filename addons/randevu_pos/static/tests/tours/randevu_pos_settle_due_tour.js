import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

registry.category("web_tour.tours").add("randevu_pos_settle_due_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            {
                content: "the customer list shows what Chloé owes at the branch",
                trigger: ".modal .partner-line:contains(Chloé Martin) .randevu-pos-due:contains(48.00)",
            },
            ProductScreen.clickCustomer("Chloé Martin"),
            {
                content: "settle her due",
                trigger: ".control-buttons .randevu-settle-due-button",
                run: "click",
            },
            {
                content: "the popup says how much she owes",
                trigger: ".modal .subtitle:contains(48.00)",
            },
            NumberPopup.enterValue("20"),
            NumberPopup.isShown("20"),
            Dialog.confirm("Settle"),
            PaymentScreen.selectedPaymentlineHas("Customer Account", "-20.00"),
            PaymentScreen.remainingIs("20.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.selectedPaymentlineHas("Cash", "20.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.clickPartnerButton(),
            {
                content: "the customer list shows what is left of her due at once (48 - 20)",
                trigger: ".modal .partner-line:contains(Chloé Martin) .randevu-pos-due:contains(28.00)",
            },
        ].flat(),
});
