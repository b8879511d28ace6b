import { registry } from "@web/core/registry";

// Started by TestDayPlannerStock.test_tour: Anna's haircut is covered by the stock, Bruno's
// (he uses 80 ml of colour cream, the branch has 70 ml) is not.
const block = (customer) => `.o_randevu_planner_appointment:contains(${customer})`;

registry.category("web_tour.tours").add("randevu_inventory_day_planner_stock_tour", {
    steps: () => [
        {
            content: "Bruno's appointment carries the out-of-stock marker, titled with the products",
            trigger: `${block("Stock Short")} .o_randevu_planner_marker_stock.fa-cubes[title*='Test colour cream']`,
        },
        {
            content: "Anna's appointment has none",
            trigger: `${block("Stock Fine")}:not(:has(.o_randevu_planner_marker_stock))`,
        },
    ],
});
