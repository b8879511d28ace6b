import { registry } from "@web/core/registry";

// Started by TestReportsTour at /odoo as the accountant of Salon Paris: the Randevu app ->
// Reporting -> Revenue (paid orders, the performer's row) -> Reporting -> Utilisation, No-shows
// and XLSX -> the staff utilisation pivot of this month.
registry.category("web_tour.tours").add("randevu_pos_reports_tour", {
    steps: () => [
        {
            content: "Open the Randevu app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Pick Randevu",
            trigger: ".o_app[data-menu-xmlid='randevu_calendar.randevu_menu_root']",
            run: "click",
        },
        {
            content: "Open Reporting",
            trigger: ".o_main_navbar [data-menu-xmlid='randevu_pos.randevu_report_menu']",
            run: "click",
        },
        {
            content: "Open Revenue",
            trigger: ".dropdown-item[data-menu-xmlid='randevu_pos.randevu_report_revenue_menu']",
            run: "click",
        },
        {
            content: "Revenue per branch and performer: Anna's cut",
            trigger: ".o_pivot .o_pivot_header_cell_opened:contains('Salon Paris')",
        },
        {
            content: "Anna performed a line",
            trigger: ".o_pivot th:contains('Anna')",
        },
        {
            content: "Open Reporting again",
            trigger: ".o_main_navbar [data-menu-xmlid='randevu_pos.randevu_report_menu']",
            run: "click",
        },
        {
            content: "Open the period's reports",
            trigger: ".dropdown-item[data-menu-xmlid='randevu_pos.randevu_report_wizard_menu']",
            run: "click",
        },
        {
            content: "Utilisation and no-shows of this month at her branch",
            trigger: ".modal .o_field_many2many_tags:contains('Salon Paris')",
        },
        {
            content: "Compute",
            trigger: ".modal button[name='action_open_utilisation']",
            run: "click",
        },
        {
            content: "Bruno's line: his no-show of today",
            trigger: ".o_pivot th:contains('Bruno')",
        },
        {
            content: "The no-show cost is a measure",
            trigger: ".o_pivot th:contains('No-show Cost')",
        },
    ],
});
