import options from "@web_editor/js/editor/snippets.options";

/**
 * Options of the "Book now" button and of the booking block: the branch, service and
 * staff member picked are kept as data-randevu-* attributes, and written into the
 * button's link or the block's iframe address, so that the saved page needs no
 * JavaScript to go to the right step.
 */
options.registry.RandevuBookingSnippet = options.Class.extend({
    async selectDataAttribute(previewMode, widgetValue, params) {
        await this._super(...arguments);
        this._updateTarget();
    },

    _bookingPath() {
        const { randevuBranch, randevuService, randevuStaff } = this.$target[0].dataset;
        const embedded = this.$target[0].classList.contains("s_randevu_booking_embed");
        if (!randevuBranch) {
            return embedded ? "/book?embed=1" : "/book";
        }
        let path = `${embedded ? "/book/embed" : "/book"}/${parseInt(randevuBranch)}`;
        if (randevuService) {
            path += `/${parseInt(randevuService)}`;
        }
        return randevuStaff ? `${path}?staff=${parseInt(randevuStaff)}` : path;
    },

    _updateTarget() {
        const path = this._bookingPath();
        const link = this.$target[0].querySelector(".o_randevu_book_button_link");
        if (link) {
            link.setAttribute("href", path);
        }
        const frame = this.$target[0].querySelector(".o_randevu_booking_frame");
        if (frame) {
            frame.setAttribute("src", path);
        }
    },
});
