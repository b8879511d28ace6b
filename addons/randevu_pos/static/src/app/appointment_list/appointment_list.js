import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useDebounced } from "@web/core/utils/timing";
import { usePos } from "@point_of_sale/app/store/pos_hook";

/**
 * Today's appointments of the till's branch (pos.config.randevu_pos_appointments):
 * searched by customer name or phone; picking one, or a whole visit, returns the
 * rows to put on the order (through getPayload).
 */
export class RandevuAppointmentList extends Component {
    static template = "randevu_pos.AppointmentList";
    static components = { Dialog };
    static props = {
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.pos = usePos();
        this.state = useState({ query: "", rows: [], loading: true });
        this.searchLater = useDebounced(() => this.load(), 300);
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.rows = await this.pos.data.call("pos.config", "randevu_pos_appointments", [
            this.pos.config.id,
            this.state.query,
        ]);
        this.state.loading = false;
    }

    onInput(ev) {
        this.state.query = ev.target.value;
        this.searchLater();
    }

    visitRows(row) {
        if (!row.visit_id) {
            return [row];
        }
        return this.state.rows.filter((other) => other.visit_id === row.visit_id && other.pickable);
    }

    pick(rows) {
        this.props.getPayload(rows);
        this.props.close();
    }
}
