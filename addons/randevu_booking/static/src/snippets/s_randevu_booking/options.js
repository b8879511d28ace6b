import options from "@web_editor/js/editor/snippets.options";

/**
 * Options of the "Book now" button and of the booking block: the branch, service and
 * staff member picked are kept as data-randevu-* attributes, and written into the
 * button's link or the block's iframe address, so that the saved page needs no
 * JavaScript to go to the right step.
 *
 * Once a branch is picked, the Service and Staff pickers list only what the booking
 * pages accept there (res.company.randevu_builder_choices), and a service or staff
 * member that does not fit a newly picked branch or service is dropped.
 */
options.registry.RandevuBookingSnippet = options.Class.extend({
    init() {
        this._super(...arguments);
        this.orm = this.bindService("orm");
    },

    async willStart() {
        // The choices shape the pickers rendered by the parent's willStart; _super is
        // only bound until the first await.
        const _super = this._super.bind(this);
        await this._loadChoices();
        return _super(...arguments);
    },

    async selectDataAttribute(previewMode, widgetValue, params) {
        await this._super(...arguments);
        if (!previewMode && ["randevuBranch", "randevuService"].includes(params.attributeName)) {
            await this._loadChoices();
            this._dropWhatDoesNotFit();
            this.rerender = true;
        }
        this._updateTarget();
    },

    async updateUI() {
        if (this.rerender) {
            this.rerender = false;
            await this._rerenderXML();
            return;
        }
        return this._super(...arguments);
    },

    async _loadChoices() {
        const { randevuBranch, randevuService } = this.$target[0].dataset;
        const branchId = parseInt(randevuBranch);
        this.choices = branchId
            ? await this.orm.call("res.company", "randevu_builder_choices", [[branchId]], {
                  service_id: parseInt(randevuService) || false,
              })
            : null;
    },

    _dropWhatDoesNotFit() {
        if (!this.choices) {
            return;
        }
        const dataset = this.$target[0].dataset;
        const fits = (records, value) => records.some(([id]) => id === parseInt(value));
        if (dataset.randevuService && !fits(this.choices.services, dataset.randevuService)) {
            dataset.randevuService = "";
        }
        if (dataset.randevuStaff && !fits(this.choices.staff, dataset.randevuStaff)) {
            dataset.randevuStaff = "";
        }
    },

    async _renderCustomXML(uiFragment) {
        for (const [name, records] of [
            ["randevu_service_opt", this.choices && this.choices.services],
            ["randevu_staff_opt", this.choices && this.choices.staff],
        ]) {
            const picker = uiFragment.querySelector(`we-select[data-name="${name}"]`);
            if (!picker) {
                continue;
            }
            if (!records) {
                // No branch: the visitor chooses the branch first, then the rest.
                picker.remove();
                continue;
            }
            for (const [id, label] of records) {
                const button = document.createElement("we-button");
                button.dataset.selectDataAttribute = String(id);
                button.textContent = label;
                picker.appendChild(button);
            }
        }
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
