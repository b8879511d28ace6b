from markupsafe import Markup, escape

from odoo import fields, models


class StockWarehouseOrderpoint(models.Model):
    """The low-stock alert proposes a purchase: a branch's reordering rule whose product is
    bought (Odoo's *Buy* route, a vendor in the product's supplierinfo) is replenished by
    Odoo itself (`_procure_orderpoint_confirm`, what the scheduler and *Order Once* run),
    which makes or completes a draft RFQ in the branch's company; the alert's activity
    names that RFQ."""

    _inherit = "stock.warehouse.orderpoint"

    randevu_purchase_order_id = fields.Many2one(
        "purchase.order",
        string="Proposed Purchase",
        compute="_compute_randevu_purchase_order_id",
        compute_sudo=True,
        help="The draft request for quotation that this rule's replenishment made or completed.",
    )

    def _compute_randevu_purchase_order_id(self):
        lines = self.env["purchase.order.line"].search(
            [("orderpoint_id", "in", self.ids), ("order_id.state", "in", ("draft", "sent"))], order="id desc"
        )
        order_by_rule = {}
        for line in lines:  # newest first
            order_by_rule.setdefault(line.orderpoint_id.id, line.order_id)
        for orderpoint in self:
            orderpoint.randevu_purchase_order_id = order_by_rule.get(orderpoint.id, False)

    def _randevu_update_stock_alerts(self):
        result = super()._randevu_update_stock_alerts()
        low = self.filtered(lambda orderpoint: orderpoint.active and orderpoint.randevu_low_stock)
        low._randevu_propose_purchases()
        return result

    def _randevu_is_bought(self):
        """Replenished by the Buy route, with a vendor valid in the rule's branch."""
        self.ensure_one()
        if "buy" not in self.rule_ids.mapped("action"):
            return False
        sellers = self.product_id.with_company(self.company_id).seller_ids
        return any(
            seller.partner_id.active
            and (not seller.company_id or seller.company_id == self.company_id)
            and (not seller.product_id or seller.product_id == self.product_id)
            for seller in sellers
        )

    def _randevu_propose_purchases(self):
        """Odoo's replenishment of the bought rules below their minimum, per branch: up to
        the maximum, in the purchase unit; a draft RFQ already proposed counts in the
        forecast, so a second run orders nothing more. Then the alerts name the RFQ."""
        for company in self.company_id:
            bought = self.filtered(lambda orderpoint, company=company: orderpoint.company_id == company)
            bought = bought.with_company(company).filtered(lambda orderpoint: orderpoint._randevu_is_bought())
            if bought:
                # The rules' rows written first: a second run at once waits, then fails to
                # serialize and retries on a snapshot with this run's RFQ in the forecast
                # (never two proposals).
                self.env.cr.execute(
                    "UPDATE stock_warehouse_orderpoint SET write_date = write_date WHERE id IN %s",
                    [tuple(bought.ids)],
                )
                # As the scheduler: a rule that cannot be procured gets Odoo's exception
                # activity on its product instead of failing the others.
                bought._procure_orderpoint_confirm(company_id=company, raise_user_error=False)
        self.invalidate_recordset(["randevu_purchase_order_id"])
        self._randevu_mention_purchases()

    def _randevu_mention_purchases(self):
        """Add the proposed RFQ to each low-stock activity, once."""
        for orderpoint in self:
            activity = orderpoint.randevu_alert_activity_id
            order = orderpoint.randevu_purchase_order_id
            if not activity or not order or order.name in (activity.note or ""):
                continue
            line = order.order_line.filtered(lambda line, orderpoint=orderpoint: line.orderpoint_id == orderpoint)[:1]
            link = Markup('<a href="/odoo/action-purchase.purchase_rfq/%s">%s</a>') % (order.id, order.name)
            template = escape(
                self.env._("Proposed purchase: %(order)s, %(quantity)s %(unit)s from %(vendor)s (draft, to confirm).")
            )
            mention = template % {
                "order": link,
                "quantity": line.product_qty,
                "unit": line.product_uom.name,
                "vendor": order.partner_id.name,
            }
            activity.note = (activity.note or Markup()) + Markup("<p>%s</p>") % mention
