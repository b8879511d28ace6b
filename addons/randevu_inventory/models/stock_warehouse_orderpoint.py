from odoo import api, fields, models
from odoo.tools import float_compare


class StockWarehouseOrderpoint(models.Model):
    """A branch's minimum and maximum of a product (Odoo's reordering rule on the branch
    warehouse's stock) and the alert when the stock falls below the minimum: one activity
    for the branch's manager, not repeated while the product stays below, marked done when
    it is back at or above its minimum."""

    _inherit = "stock.warehouse.orderpoint"

    randevu_low_stock = fields.Boolean(
        string="Below Minimum",
        readonly=True,
        copy=False,
        index=True,
        help="On hand below the minimum when the stock alerts last ran.",
    )
    randevu_alert_activity_id = fields.Many2one("mail.activity", string="Low Stock Activity", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        orderpoints = super().create(vals_list)
        self._randevu_trigger_stock_alerts()
        return orderpoints

    def write(self, vals):
        result = super().write(vals)
        if {"product_min_qty", "location_id", "product_id", "active"} & set(vals):
            self._randevu_trigger_stock_alerts()
        return result

    @api.model
    def _randevu_trigger_stock_alerts(self):
        cron = self.env.ref("randevu_inventory.ir_cron_randevu_stock_alerts", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _randevu_cron_stock_alerts(self):
        """Compare every reordering rule's on-hand quantity with its minimum."""
        orderpoints = self.sudo().with_context(active_test=False).search([])
        orderpoints._randevu_update_stock_alerts()

    def _randevu_update_stock_alerts(self):
        activity_type = self.env.ref("randevu_inventory.mail_activity_type_low_stock")
        # On-hand quantities are computed from the quants, which the cache does not follow.
        self.env.invalidate_all()
        for orderpoint in self:
            rounding = orderpoint.product_uom.rounding
            low = orderpoint.active and (
                float_compare(orderpoint.qty_on_hand, orderpoint.product_min_qty, precision_rounding=rounding) < 0
            )
            activity = orderpoint.randevu_alert_activity_id
            if low and not activity:
                # The rule's row locked first: a second run at once waits, then fails to
                # serialize and retries on a snapshot with this activity (never two).
                self.env.cr.execute(
                    "SELECT id FROM stock_warehouse_orderpoint WHERE id = %s FOR NO KEY UPDATE", [orderpoint.id]
                )
                branch = orderpoint.company_id
                template = orderpoint.product_id.product_tmpl_id.with_company(branch)
                orderpoint.randevu_alert_activity_id = template.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._(
                        "Low stock at %(branch)s: %(product)s", branch=branch.name, product=orderpoint.product_id.name
                    ),
                    note=self.env._(
                        "%(on_hand)s %(unit)s on hand at %(location)s, below the minimum of %(minimum)s.",
                        on_hand=orderpoint.qty_on_hand,
                        unit=orderpoint.product_uom.name,
                        location=orderpoint.location_id.display_name,
                        minimum=orderpoint.product_min_qty,
                    ),
                    user_id=branch._randevu_stock_manager().id,
                )
            elif not low and activity:
                activity.action_feedback(feedback=self.env._("Back at or above its minimum."))
                orderpoint.randevu_alert_activity_id = False
            if orderpoint.randevu_low_stock != low:
                orderpoint.randevu_low_stock = low
