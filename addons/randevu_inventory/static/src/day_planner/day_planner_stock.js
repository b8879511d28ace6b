import { DayPlanner } from "@randevu_calendar/day_planner/day_planner";
import { patch } from "@web/core/utils/patch";

// The marker randevu_inventory adds (``stock``: a product the appointment needs is not in
// stock at the branch) gets its own icon; its title is the appointment form's warning.
patch(DayPlanner.prototype, {
    markerIcon(marker) {
        return marker.key === "stock" ? "fa-cubes text-danger" : super.markerIcon(marker);
    },
});
