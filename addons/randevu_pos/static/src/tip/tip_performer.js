import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";

// A tip is for a staff member: the tip line's performer, chosen when the tip is added
// (the order's only performer by default; the server applies the same default).

patch(PosStore.prototype, {
    async set_tip(tip) {
        const line = await super.set_tip(...arguments);
        if (line && tip) {
            await this.randevuChooseTipPerformer(line);
        }
        return line;
    },

    async randevuChooseTipPerformer(tipLine) {
        const order = tipLine.order_id;
        const performers = [
            ...new Set(
                order.lines
                    .filter((line) => line !== tipLine && line.randevu_employee_id)
                    .map((line) => line.randevu_employee_id)
            ),
        ];
        const current =
            tipLine.randevu_employee_id || (performers.length === 1 ? performers[0] : undefined);
        const employee = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Who is the tip for?"),
            list: this.randevuPerformers().map((performer) => ({
                id: performer.id,
                label: performer.name,
                isSelected: performer.id === current?.id,
                item: performer,
            })),
        });
        const chosen = employee || current;
        if (chosen) {
            tipLine.update({ randevu_employee_id: chosen });
        }
    },
});
