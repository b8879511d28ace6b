import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

patch(PaymentScreen.prototype, {
    setup() {
        super.setup(...arguments);
        // The Deposit method is added by the till from the appointments' deposits paid
        // online, never chosen by the cashier for an amount of their own.
        this.payment_methods_from_config = this.payment_methods_from_config.filter(
            (method) => !method.randevu_deposit
        );
    },
});
