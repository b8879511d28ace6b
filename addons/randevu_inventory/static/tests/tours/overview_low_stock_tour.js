import { registry } from "@web/core/registry";

// Started by TestOverviewLowStockTour as the owner of Paris (also an inventory user): the
// overview shows one product below its minimum and opens the Low Stock list.
registry.category("web_tour.tours").add("randevu_inventory_overview_low_stock_tour", {
    steps: () => [
        {
            content: "One product below its minimum at Paris",
            trigger: ".o_randevu_overview_low_stock .o_randevu_overview_low_stock_count:contains(1)",
        },
        {
            content: "Open the list",
            trigger: ".o_randevu_overview_low_stock_open",
            run: "click",
        },
        {
            content: "The colour cream's rule",
            trigger: ".o_list_view .o_data_row:contains('Test colour cream')",
        },
    ],
});
