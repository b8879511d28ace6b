import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /**
     * A First Visit Only program applies to a customer who has never come nor booked
     * (randevu_pos_first_visit, read with the customer): not to a returning customer,
     * nor to an order without a customer. The server refuses it again at sync.
     */
    _programIsApplicable(program) {
        if (program.randevu_first_visit && !this.get_partner()?.randevu_pos_first_visit) {
            return false;
        }
        return super._programIsApplicable(...arguments);
    },
});
