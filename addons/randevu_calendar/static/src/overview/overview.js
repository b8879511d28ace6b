import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The owner's overview of one branch: today and this week (appointments, revenue,
 * no-shows), occupancy per staff member, the gaps left today and the messages to
 * customers that failed. Data comes from `randevu.overview`.
 */
export class RandevuOverview extends Component {
    static template = "randevu_calendar.Overview";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.companyService = useService("company");
        this.keepLast = new KeepLast();
        const params = { ...this.props.action.context?.params, ...this.props.action.params };
        this.state = useState({ branchId: parseInt(params.branch_id) || false, data: null });
        onWillStart(async () => {
            await this.load();
            this.activateBranch(this.state.branchId);
        });
    }

    /**
     * Makes the branch shown one of the active companies (the page then reloads on it),
     * so that the planner and the lists opened from here show its records.
     */
    activateBranch(branchId) {
        const activeIds = this.companyService.activeCompanyIds;
        if (!activeIds.includes(branchId)) {
            this.companyService.setCompanies([branchId, ...activeIds], false);
        }
    }

    async load() {
        const data = await this.keepLast.add(
            this.orm.call("randevu.overview", "get_overview", [this.state.branchId])
        );
        this.state.data = data;
        this.state.branchId = data.branch.id;
        this.props.updateActionState?.({ branch_id: data.branch.id });
    }

    get periods() {
        const data = this.state.data;
        return [
            { key: "today", label: _t("Today"), figures: data.today },
            { key: "week", label: _t("This week"), figures: data.week },
        ];
    }

    money(amount, currencyId = this.state.data.branch.currency_id) {
        return formatMonetary(amount, { currencyId });
    }

    doneLabel(figures) {
        return _t("Done (%s)", this.money(figures.revenue_done));
    }

    noShowLabel(figures) {
        return _t("No-shows (%s cancelled)", figures.cancelled);
    }

    async onBranchChange(ev) {
        await this.selectBranch(parseInt(ev.target.value));
    }

    async selectBranch(branchId) {
        this.state.branchId = branchId;
        await this.load();
        this.activateBranch(branchId);
    }

    occupancyClass(percent) {
        return percent >= 80 ? "bg-success" : percent >= 50 ? "bg-info" : "bg-warning";
    }

    openPlanner() {
        this.actionService.doAction("randevu_calendar.randevu_day_planner_action", {
            additionalContext: { params: { branch_id: this.state.data.branch.id } },
        });
    }

    openFailedMessages() {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            name: _t("Failed messages"),
            res_model: "randevu.message",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["state", "=", "error"],
                ["company_id", "=", this.state.data.branch.id],
            ],
        });
    }
}

registry.category("actions").add("randevu_calendar.overview", RandevuOverview);
