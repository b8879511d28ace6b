import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { NumberPopup } from "@point_of_sale/app/utils/input_popups/number_popup";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { parseFloat } from "@web/views/fields/parsers";

patch(ControlButtons.prototype, {
    /** The till's customer account method (pay later, identifying the customer), deposits aside. */
    randevuCustomerAccountMethod() {
        return this.pos.config.payment_method_ids.find(
            (method) =>
                method.type === "pay_later" && method.split_transactions && !method.randevu_deposit
        );
    },
    randevuCanSettleDue() {
        const order = this.pos.get_order();
        return Boolean(
            order?.get_partner() &&
                !order.lines.length &&
                !order.payment_ids.length &&
                this.randevuCustomerAccountMethod()
        );
    },
    /**
     * Settle Due (as Odoo Enterprise's pos_settle_due): the empty order of the customer
     * gets a Customer Account line of minus the amount settled; the cashier pays that
     * amount (cash, card) on the payment screen. The server checks the amount again.
     */
    async onClickRandevuSettleDue() {
        const order = this.pos.get_order();
        const partner = order.get_partner();
        const { due, can_exceed } = await this.pos.data.call(
            "pos.config",
            "randevu_pos_customer_due",
            [this.pos.config.id, partner.id]
        );
        partner.randevu_pos_due = due;
        if (due <= 0 && !can_exceed) {
            this.dialog.add(AlertDialog, {
                title: _t("Nothing Due"),
                body: _t("%(customer)s owes nothing here.", { customer: partner.name }),
            });
            return;
        }
        const typed = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Settle Due"),
            subtitle: _t("%(customer)s owes %(due)s", {
                customer: partner.name,
                due: this.env.utils.formatCurrency(due),
            }),
            placeholder: this.env.utils.formatCurrency(due, false),
            confirmButtonLabel: _t("Settle"),
        });
        if (typed === undefined) {
            return;
        }
        const amount = typed === "" ? due : parseFloat(typed);
        if (!(amount > 0) || (amount > due + 0.000001 && !can_exceed)) {
            this.dialog.add(AlertDialog, {
                title: _t("Settle Due"),
                body: _t("Settle an amount above zero and at most %(due)s.", {
                    due: this.env.utils.formatCurrency(due),
                }),
            });
            return;
        }
        const line = order.add_paymentline(this.randevuCustomerAccountMethod());
        line.set_amount(-amount);
        this.pos.showScreen("PaymentScreen", { orderUuid: order.uuid });
    },
});
