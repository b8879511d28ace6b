import { patch } from "@web/core/utils/patch";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { RandevuAppointmentList } from "@randevu_pos/app/appointment_list/appointment_list";

// On a phone the products' pane ends with Pay and Cart: Appointments sits beside them.
patch(ProductScreen.prototype, {
    async onClickRandevuAppointments() {
        const rows = await makeAwaitable(this.pos.dialog, RandevuAppointmentList, {});
        if (rows?.length) {
            await this.pos.randevuAddAppointments(rows);
        }
    },
});
