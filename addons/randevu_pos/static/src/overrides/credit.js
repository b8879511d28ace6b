import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /**
     * An eWallet may be spent below zero, down to minus its customer's credit limit
     * (res.partner.randevu_credit_limit, loaded with the partner): pos_loyalty claims and
     * caps its rewards with these points. The server refuses anything further at sync.
     */
    _getRealCouponPoints(coupon_id) {
        const points = super._getRealCouponPoints(...arguments);
        const card = this.models["loyalty.card"].get(coupon_id);
        if (card?.program_id?.program_type !== "ewallet") {
            return points;
        }
        return points + (card.partner_id?.randevu_credit_limit || 0);
    },
});

patch(PosOrder.prototype, {
    export_for_printing() {
        return { ...super.export_for_printing(...arguments), randevuCredit: this._randevuCreditStats() };
    },
    /**
     * Account credit used by the order, per eWallet card, with the balance left (the
     * card's points, updated from the server once the order is paid).
     */
    _randevuCreditStats() {
        const stats = {};
        for (const line of this._get_reward_lines()) {
            const card = line.coupon_id;
            if (line.reward_id?.program_id?.program_type !== "ewallet" || !card) {
                continue;
            }
            stats[card.id] ||= { cardId: card.id, used: 0, left: card.points };
            stats[card.id].used += line.points_cost;
        }
        return Object.values(stats);
    },
});
