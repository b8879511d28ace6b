import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { RandevuAppointmentList } from "@randevu_pos/app/appointment_list/appointment_list";

patch(ControlButtons.prototype, {
    async onClickRandevuAppointments() {
        const rows = await makeAwaitable(this.dialog, RandevuAppointmentList, {});
        if (rows?.length) {
            await this.pos.randevuAddAppointments(rows);
        }
    },
    /**
     * A refund with a customer, whose money may go onto their account credit (an
     * eWallet programme at this till) instead of leaving the till.
     */
    randevuCanRefundToCredit() {
        const order = this.pos.get_order();
        return Boolean(
            order?.get_partner() &&
                order.lines.some((line) => line.refunded_orderline_id) &&
                order.get_total_with_tax() < 0 &&
                this.pos.models["loyalty.program"]?.some(
                    (program) => program.program_type === "ewallet" && program.trigger_product_ids.length
                )
        );
    },
    async onClickRandevuRefundToCredit() {
        // pos_loyalty's eWallet refund: the programme's top-up product at the refunded
        // amount, so that the order totals 0 and the customer's card is credited.
        if (this.randevuCanRefundToCredit()) {
            await this.onClickWallet();
        }
    },
    async onClickRandevuPerformer() {
        const line = this.pos.get_order()?.get_selected_orderline();
        if (!line) {
            return;
        }
        const employee = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Performed By"),
            list: this.pos.randevuPerformers().map((performer) => ({
                id: performer.id,
                label: performer.name,
                isSelected: performer.id === line.randevu_employee_id?.id,
                item: performer,
            })),
        });
        if (employee) {
            line.update({ randevu_employee_id: employee });
        }
    },
});
