import { patch } from "@web/core/utils/patch";
import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";

patch(PartnerList.prototype, {
    // What each customer owes at the till's branch (randevu_pos_due, loaded with them).
    get isBalanceDisplayed() {
        return true;
    },
});
