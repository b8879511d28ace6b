import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { useAutofocus } from "@web/core/utils/hooks";

/**
 * The small booking form of the day planner: customer name and phone (both optional:
 * a walk-in has neither), and the service among those the staff member performs.
 *
 * Three ways in (`mode`): "slot" (dragged on the grid: staff member and time fixed),
 * "new" ("+ New" or N: staff member and time to choose) and "walkin" ("Walk-in" or W:
 * now, with anyone or the staff member chosen).
 *
 * `onCreate` books and resolves to `{ done: true }`, or `{ error }` (the server's
 * refusal, shown inside the dialog to correct it), or `{ question }` when the phone
 * belongs to someone else: the dialog asks whom to book, and books on the answer.
 */
export class DayPlannerQuickCreate extends Component {
    static template = "randevu_calendar.DayPlannerQuickCreate";
    static components = { Dialog };
    static props = {
        close: Function,
        mode: { type: String, validate: (mode) => ["slot", "new", "walkin"].includes(mode) },
        dayLabel: String,
        // [{ id, name, services: [{ id, name, duration }] }]
        staff: Array,
        staffId: { type: [Number, Boolean] },
        time: { type: String, optional: true },
        serviceId: { type: [Number, Boolean] },
        onCreate: Function,
    };

    setup() {
        this.state = useState({
            customerName: "",
            customerPhone: "",
            staffId: this.props.staffId,
            time: this.props.time || "",
            serviceId: this.props.serviceId || this.services[0]?.id || false,
            saving: false,
            error: false,
            // { message, customers: [{ id, name }], new_name } from the server
            question: false,
        });
        useAutofocus({ refName: "customerName" });
    }

    get title() {
        return this.props.mode === "walkin" ? _t("Walk-in") : _t("New Appointment");
    }

    get selectedStaff() {
        return this.props.staff.find((staff) => staff.id === this.state.staffId);
    }

    /** The chosen staff member's services; anyone's for a walk-in with no one chosen. */
    get services() {
        const staffId = this.state ? this.state.staffId : this.props.staffId;
        const chosen = this.props.staff.filter((staff) => !staffId || staff.id === staffId);
        const byId = new Map();
        for (const staff of chosen) {
            for (const service of staff.services) {
                byId.set(service.id, service);
            }
        }
        return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    }

    get canCreate() {
        return (
            Boolean(this.state.serviceId) &&
            !this.state.saving &&
            (this.props.mode === "walkin" || Boolean(this.state.staffId && this.state.time))
        );
    }

    formatDuration(minutes) {
        const hours = Math.floor(minutes / 60);
        return hours ? `${hours}h${String(minutes % 60).padStart(2, "0")}` : `${minutes} min`;
    }

    onStaffChange(ev) {
        this.state.staffId = parseInt(ev.target.value) || false;
        if (!this.services.some((service) => service.id === this.state.serviceId)) {
            this.state.serviceId = this.services[0]?.id || false;
        }
    }

    /**
     * Books; `choice` answers the server's question: `{ customerId }` books that
     * customer, `{ newCustomer: true }` adds the typed name with the same phone.
     */
    async onCreate(choice = {}) {
        if (!this.canCreate) {
            return;
        }
        this.state.saving = true;
        this.state.error = false;
        try {
            const result = await this.props.onCreate({
                employeeId: this.state.staffId,
                time: this.state.time,
                customerName: this.state.customerName.trim(),
                customerPhone: this.state.customerPhone.trim(),
                serviceId: this.state.serviceId,
                customerId: choice.customerId || false,
                newCustomer: choice.newCustomer || false,
            });
            this.state.question = result.question || false;
            this.state.error = result.error || false;
            if (result.done) {
                this.props.close();
            }
        } finally {
            this.state.saving = false;
        }
    }

    bookForLabel(customer) {
        return _t("Book for %s", customer.name);
    }

    get addNewLabel() {
        return _t("Add %s", this.state.question.new_name);
    }

    /** A changed name or phone is a new question. */
    onCustomerInput() {
        this.state.question = false;
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && ev.target.tagName === "INPUT" && !this.state.question) {
            ev.preventDefault();
            this.onCreate();
        }
    }
}
