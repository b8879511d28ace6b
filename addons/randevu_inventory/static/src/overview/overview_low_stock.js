import { patch } from "@web/core/utils/patch";
import { RandevuOverview } from "@randevu_calendar/overview/overview";

// The Low Stock figure of the owner's overview opens the branch's Low Stock list.
patch(RandevuOverview.prototype, {
    async openLowStock() {
        const action = await this.orm.call("res.company", "action_randevu_low_stock", [[this.state.data.branch.id]]);
        await this.actionService.doAction(action);
    },
});
