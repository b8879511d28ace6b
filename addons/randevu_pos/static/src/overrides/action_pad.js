import { patch } from "@web/core/utils/patch";
import { ActionpadWidget } from "@point_of_sale/app/screens/product_screen/action_pad/action_pad";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { RandevuAppointmentList } from "@randevu_pos/app/appointment_list/appointment_list";

// On a phone (ui.isSmall) Odoo shows no control bar: the Appointments button sits in the
// cart's action pad, beside the customer button, instead of the Actions overflow.
patch(ActionpadWidget.prototype, {
    async onClickRandevuAppointments() {
        const rows = await makeAwaitable(this.pos.dialog, RandevuAppointmentList, {});
        if (rows?.length) {
            await this.pos.randevuAddAppointments(rows);
        }
    },
});
