import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";

// Started by TestTillFirstVisitTour: the Welcome 10% code is First Visit Only. Chloé
// Martin has come before: the code gives her nothing; Nora Newcomer gets 10% off.
registry.category("web_tour.tours").add("randevu_pos_first_visit_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Argan Shampoo"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Chloé Martin"),
            PosLoyalty.enterCode("TESTWELCOME10"),
            ProductScreen.totalAmountIs("12.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            ReceiptScreen.clickNextOrder(),
            ProductScreen.clickDisplayedProduct("Argan Shampoo"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.inputCustomerSearchbar("Nora Newcomer"),
            {
                content: "a new customer: searched on the server",
                trigger: ".modal .search-more-button button",
                run: "click",
            },
            ProductScreen.clickCustomer("Nora Newcomer"),
            PosLoyalty.enterCode("TESTWELCOME10"),
            ProductScreen.totalAmountIs("10.80"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
        ].flat(),
});
