import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";

patch(PosStore.prototype, {
    /** Whether this cashier may check out appointments (a Randevu user of the branch). */
    randevuCanCheckOut() {
        return Boolean(this.config._randevu_can_check_out);
    },

    /** The employees a line may name as its performer (front desk and stylists). */
    randevuPerformers() {
        return this.models["hr.employee"].filter((employee) => employee._randevu_performer);
    },

    /**
     * Put appointments (rows of pos.config.randevu_pos_appointments, one customer's)
     * on the order: the customer, one line per service at the booked price, with its
     * staff member as performer. An order of another customer is left for a new one.
     */
    async randevuAddAppointments(rows) {
        if (!rows?.length) {
            return;
        }
        const partnerId = rows[0].partner_id;
        let order = this.get_order();
        if (order.partner_id && order.partner_id.id !== partnerId && !order.is_empty()) {
            order = this.add_new_order();
        }
        const missing = (model, ids) => [...new Set(ids)].filter((id) => !this.models[model].get(id));
        const partners = missing("res.partner", [partnerId]);
        if (partners.length) {
            await this.data.read("res.partner", partners);
        }
        const products = missing(
            "product.product",
            rows.map((row) => row.product_id)
        );
        if (products.length) {
            await this.data.read("product.product", products);
        }
        // A class seat (row.attendee_id) is checked out by its seat, not by the class.
        const seats = rows.filter((row) => row.attendee_id);
        const appointments = rows.filter((row) => !row.attendee_id);
        if (appointments.length) {
            await this.data.read(
                "randevu.appointment",
                appointments.map((row) => row.id)
            );
        }
        if (seats.length) {
            await this.data.read(
                "randevu.attendee",
                seats.map((row) => row.attendee_id)
            );
        }
        order.set_partner(this.models["res.partner"].get(partnerId));
        for (const row of rows) {
            const onOrder = row.attendee_id
                ? (line) => line.randevu_attendee_id?.id === row.attendee_id
                : (line) => line.randevu_appointment_id?.id === row.id;
            if (order.lines.some(onOrder)) {
                continue;
            }
            const link = row.attendee_id
                ? { randevu_attendee_id: this.models["randevu.attendee"].get(row.attendee_id) }
                : { randevu_appointment_id: this.models["randevu.appointment"].get(row.id) };
            await this.addLineToOrder(
                {
                    product_id: this.models["product.product"].get(row.product_id),
                    price_unit: row.price,
                    qty: 1,
                    order_id: order,
                    ...link,
                    randevu_employee_id: this.models["hr.employee"].get(row.employee_id),
                },
                order,
                {},
                false
            );
        }
    },
});
