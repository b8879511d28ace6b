import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { TicketScreen } from "@point_of_sale/app/screens/ticket_screen/ticket_screen";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { NumberPopup } from "@point_of_sale/app/utils/input_popups/number_popup";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";

// A refund's reason and its manager's approval, asked at the till. The server checks them
// again when the refund is synced (pos.order._randevu_refund_approver): this is only the
// cashier's side, so that a refused approval is known before the money is paid back.

patch(PosOrder.prototype, {
    randevuIsRefund() {
        return this.lines.some((line) => line.refunded_orderline_id);
    },
    serialize() {
        const data = super.serialize(...arguments);
        if (this.randevuRefundPin) {
            data.randevu_refund_pin = this.randevuRefundPin;
        }
        return data;
    },
});

patch(PosStore.prototype, {
    /**
     * Ask the reason of the refund `order` and, unless the till's user is a POS manager,
     * a manager's PIN; the server says whose it is. False when cancelled or refused.
     */
    async randevuApproveRefund(order) {
        if (!order?.randevuIsRefund()) {
            return true;
        }
        if (order.randevu_refund_reason && (order.randevuRefundApprover || this.randevuIsManager())) {
            return true;
        }
        const reasons = await this.data.call("pos.order", "randevu_refund_reasons", []);
        const reason = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Reason for the refund"),
            list: reasons.map(([value, label]) => ({
                id: value,
                label,
                isSelected: value === order.randevu_refund_reason,
                item: value,
            })),
        });
        if (!reason) {
            return false;
        }
        let pin = false;
        if (!this.randevuIsManager()) {
            pin = await makeAwaitable(this.dialog, NumberPopup, {
                title: _t("Manager's PIN"),
                formatDisplayedValue: (value) => value.replace(/./g, "•"),
            });
            if (!pin) {
                return false;
            }
        }
        let approver;
        try {
            approver = await this.data.call("pos.order", "randevu_check_refund_approval", [
                this.config.id,
                reason,
                pin,
            ]);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Refund not approved"),
                body: error.data?.message || _t("The refund could not be approved."),
            });
            return false;
        }
        order.update({ randevu_refund_reason: reason });
        order.randevuRefundPin = pin;
        order.randevuRefundApprover = approver;
        return true;
    },

    randevuIsManager() {
        return this.user?._role === "manager";
    },
});

patch(TicketScreen.prototype, {
    async addAdditionalRefundInfo(order, destinationOrder) {
        await super.addAdditionalRefundInfo(...arguments);
        // The performer of the refunded line stays on the refund (the server sets it too).
        for (const line of destinationOrder.lines) {
            const performer = line.refunded_orderline_id?.randevu_employee_id;
            if (performer && !line.randevu_employee_id) {
                line.update({ randevu_employee_id: performer });
            }
        }
        await this.pos.randevuApproveRefund(destinationOrder);
    },
});

patch(PaymentScreen.prototype, {
    async validateOrder(isForceValidate) {
        if (!(await this.pos.randevuApproveRefund(this.currentOrder))) {
            return;
        }
        return super.validateOrder(...arguments);
    },
});
