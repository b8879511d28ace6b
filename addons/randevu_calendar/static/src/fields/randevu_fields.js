import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat, formatFloatTime } from "@web/views/fields/formatters";
import { parseFloat, parseFloatTime } from "@web/views/fields/parsers";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

/**
 * A number of hours typed and shown as "2 h" or "1.5 h" (a delay, not a time of day):
 * notice, cutoff, reminder offsets. "1:30" is read as 1.5 hours too.
 */
export class RandevuHoursField extends FloatField {
    static template = "randevu_calendar.HoursField";

    parse(value) {
        const text = String(value || "")
            .replace(/\s*(h|hours?|sa|saat|heures?)\.?\s*$/i, "")
            .trim();
        if (!text) {
            return 0;
        }
        return text.includes(":") ? parseFloatTime(text) : parseFloat(text);
    }

    get formattedValue() {
        const value = this.value || 0;
        const number = formatFloat(value, { digits: [16, 2] }).replace(/([.,]\d*?)0+$/, "$1").replace(/[.,]$/, "");
        return _t("%(hours)s h", { hours: number });
    }
}

export const randevuHoursField = {
    ...floatField,
    component: RandevuHoursField,
    displayName: _t("Hours"),
};

/**
 * A staff member's own duration or price on a service: "default" when unset (0), the
 * service's own then applies. Option `time`: shown as a duration (00:45).
 */
export class RandevuDefaultFloatField extends FloatField {
    static template = "randevu_calendar.DefaultFloatField";
    static props = { ...FloatField.props, isTime: { type: Boolean, optional: true } };

    get isDefault() {
        return !this.value;
    }

    get defaultLabel() {
        return _t("default");
    }

    parse(value) {
        const text = String(value || "").trim();
        if (!text) {
            return 0;
        }
        return this.props.isTime ? parseFloatTime(text) : super.parse(text);
    }

    get formattedValue() {
        if (this.isDefault) {
            return "";
        }
        return this.props.isTime ? formatFloatTime(this.value) : super.formattedValue;
    }
}

export const randevuDefaultFloatField = {
    ...floatField,
    component: RandevuDefaultFloatField,
    displayName: _t("Number or default"),
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        isTime: Boolean(fieldInfo.options.time),
    }),
};

registry.category("fields").add("randevu_hours", randevuHoursField);
registry.category("fields").add("randevu_default_float", randevuDefaultFloatField);
