import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

registry.category("web_tour.tours").add("randevu_pos_course_tour", {
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
                content: "her third laser session is listed as such",
                trigger:
                    ".modal .randevu-appointment-row:contains(17:00):contains(Laser) .randevu-row-course-session:contains(3/6)",
            },
            {
                content: "pick it",
                trigger: ".modal .randevu-appointment-row:contains(17:00):contains(Laser) .randevu-pick",
                run: "click",
            },
            {
                content: "the line shows the course session",
                trigger:
                    ".order-container .orderline:contains(Laser) .randevu-course-session:contains(Course session 3/6)",
            },
            ProductScreen.clickDisplayedProduct("Argan Shampoo"),
            ProductScreen.totalAmountIs("12.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt shows the course session",
                trigger: ".pos-receipt .orderline:contains(Laser) .randevu-course-session:contains(Course session 3/6)",
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});
