import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

patch(PaymentScreen.prototype, {
    /**
     * An order left on the customer's account, or settling their due, changes what they
     * owe at the branch: read it again from the server once the order is saved, so the
     * customer list shows the new due at once (not only when Settle Due is pressed).
     */
    async afterOrderValidation() {
        const order = this.currentOrder;
        const partner = order.get_partner();
        const onAccount =
            partner &&
            order.payment_ids.some(
                (payment) =>
                    payment.payment_method_id?.type === "pay_later" &&
                    !payment.payment_method_id.randevu_deposit &&
                    payment.amount
            );
        const result = await super.afterOrderValidation(...arguments);
        if (onAccount) {
            try {
                const { due } = await this.pos.data.call("pos.config", "randevu_pos_customer_due", [
                    this.pos.config.id,
                    partner.id,
                ]);
                partner.randevu_pos_due = due;
            } catch {
                // Offline: the due is read again at the next Settle Due.
            }
        }
        return result;
    },
});
