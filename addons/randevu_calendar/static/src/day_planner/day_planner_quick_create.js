import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useAutofocus } from "@web/core/utils/hooks";

/**
 * The small booking form of the day planner: customer name and phone (both optional:
 * a walk-in has neither), and the service among those the staff member performs.
 * `onCreate` books and resolves to true when done; on false (the server refused,
 * the planner showed why) the dialog stays open to correct it.
 */
export class DayPlannerQuickCreate extends Component {
    static template = "randevu_calendar.DayPlannerQuickCreate";
    static components = { Dialog };
    static props = {
        close: Function,
        staffName: String,
        dayLabel: String,
        timeLabel: String,
        services: Array,
        serviceId: { type: [Number, Boolean] },
        onCreate: Function,
    };

    setup() {
        this.state = useState({
            customerName: "",
            customerPhone: "",
            serviceId: this.props.serviceId,
            saving: false,
        });
        useAutofocus({ refName: "customerName" });
    }

    get canCreate() {
        return Boolean(this.state.serviceId) && !this.state.saving;
    }

    formatDuration(minutes) {
        const hours = Math.floor(minutes / 60);
        return hours ? `${hours}h${String(minutes % 60).padStart(2, "0")}` : `${minutes} min`;
    }

    async onCreate() {
        if (!this.canCreate) {
            return;
        }
        this.state.saving = true;
        try {
            const done = await this.props.onCreate({
                customerName: this.state.customerName.trim(),
                customerPhone: this.state.customerPhone.trim(),
                serviceId: this.state.serviceId,
            });
            if (done) {
                this.props.close();
            }
        } finally {
            this.state.saving = false;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && ev.target.tagName === "INPUT") {
            ev.preventDefault();
            this.onCreate();
        }
    }
}
