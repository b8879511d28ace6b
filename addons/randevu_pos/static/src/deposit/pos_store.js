import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";
// The appointments' patch first: this one extends its randevuAddAppointments.
import "@randevu_pos/overrides/pos_store";

patch(PosStore.prototype, {
    /** The till's method paying with the deposits paid online (at most one). */
    randevuDepositMethod() {
        return this.config.payment_method_ids.find((method) => method.randevu_deposit);
    },

    /**
     * Appointments picked with a deposit paid online: the order is paid that much with
     * the Deposit method (never more than the order's total; the server checks the
     * amount against the deposits left to deduct).
     */
    async randevuAddAppointments(rows) {
        const before = this.get_order();
        const known = new Set(
            (before?.lines || []).map((line) => line.randevu_appointment_id?.id).filter(Boolean)
        );
        await super.randevuAddAppointments(...arguments);
        const method = this.randevuDepositMethod();
        const order = this.get_order();
        const deposit = (rows || [])
            .filter((row) => order !== before || !known.has(row.id))
            .reduce((total, row) => total + (row.deposit || 0), 0);
        if (!method || !order || deposit <= 0) {
            return;
        }
        let line = order.payment_ids.find((payment) => payment.payment_method_id.id === method.id);
        let amount = deposit;
        if (line) {
            amount += line.amount;
        } else {
            line = order.add_paymentline(method);
        }
        line?.set_amount(Math.min(amount, order.get_total_with_tax()));
    },
});
