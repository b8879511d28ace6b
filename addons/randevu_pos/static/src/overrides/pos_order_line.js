import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";

patch(PosOrderline.prototype, {
    can_be_merged_with(orderline) {
        // A line that checks out an appointment or a class seat stays its own; performers are kept apart.
        if (
            this.randevu_appointment_id ||
            orderline.randevu_appointment_id ||
            this.randevu_attendee_id ||
            orderline.randevu_attendee_id
        ) {
            return false;
        }
        if (this.randevu_employee_id?.id !== orderline.randevu_employee_id?.id) {
            return false;
        }
        return super.can_be_merged_with(...arguments);
    },
    getDisplayData() {
        return {
            ...super.getDisplayData(),
            randevuPerformer: this.randevu_employee_id?.name || "",
            // An appointment covered by a course (priced 0): which of its sessions, "3/6".
            randevuCourseSession: this.randevu_appointment_id?.randevu_course_session
                ? _t("Course session %(session)s", {
                      session: this.randevu_appointment_id.randevu_course_session,
                  })
                : "",
        };
    },
});
