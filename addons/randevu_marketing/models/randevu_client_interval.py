from odoo import api, fields, models
from odoo.tools import SQL

# Visits (days with a completed appointment in the category) before a client's own
# interval is known: two gaps at least.
INTERVAL_MIN_VISITS = 3


class RandevuClientInterval(models.Model):
    """A client's own usual interval between two visits for a service category (client
    reconnect, issue 16): the median of the gaps between the days she had a completed
    appointment in that category, once she came on three days at least. Rebuilt by the
    automations' daily cron (`_randevu_refresh`, one statement); the core's rebooking
    reminder uses it instead of the service's fixed interval when the client's branch has
    an active *Client reconnect* automation (randevu.message._randevu_rebook_days)."""

    _name = "randevu.client.interval"
    _description = "Client's Usual Interval"
    _order = "next_visit_date, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="partner_id.company_id", string="Branch", store=True)
    categ_id = fields.Many2one("product.category", string="Service Category", required=True, ondelete="cascade")
    visit_count = fields.Integer("Visits", help="Days with a completed appointment in this category.")
    interval_days = fields.Integer("Usual Interval (days)", help="The median of the gaps between her visits.")
    last_visit = fields.Datetime()
    next_visit_date = fields.Date("Due On", help="Her last visit plus her usual interval: she is nudged after it.")

    _sql_constraints = [
        ("partner_categ_unique", "UNIQUE(partner_id, categ_id)", "One usual interval per client and category."),
        ("interval_positive", "CHECK(interval_days > 0)", "A usual interval is at least one day."),
    ]

    @api.model
    def _randevu_refresh(self, partner_ids=None):
        """Compute the usual intervals again from the completed appointments (of
        `partner_ids`, default every client) in one statement: upsert those with three
        visits or more, delete the others."""
        self.env.flush_all()
        only = SQL("AND a.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        self.env.cr.execute(
            SQL(
                """
                WITH days AS (
                    SELECT DISTINCT a.partner_id, t.categ_id, a.start::date AS day
                      FROM randevu_appointment a
                      JOIN product_template t ON t.id = a.service_id
                     WHERE a.state = 'done' AND a.partner_id IS NOT NULL AND t.categ_id IS NOT NULL %(only)s
                ), gaps AS (
                    SELECT partner_id, categ_id, day,
                           day - LAG(day) OVER (PARTITION BY partner_id, categ_id ORDER BY day) AS gap
                      FROM days
                ), stats AS (
                    SELECT partner_id, categ_id, COUNT(*) AS visits, MAX(day) AS last_day,
                           GREATEST(ROUND(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap)
                                          FILTER (WHERE gap IS NOT NULL))::integer, 1) AS median
                      FROM gaps
                  GROUP BY partner_id, categ_id
                    HAVING COUNT(*) >= %(min_visits)s
                ), last_visits AS (
                    SELECT a.partner_id, t.categ_id, MAX(a.start) AS last_visit
                      FROM randevu_appointment a
                      JOIN product_template t ON t.id = a.service_id
                     WHERE a.state = 'done' AND a.partner_id IS NOT NULL %(only)s
                  GROUP BY a.partner_id, t.categ_id
                ), upserted AS (
                    INSERT INTO randevu_client_interval
                           (partner_id, company_id, categ_id, visit_count, interval_days, last_visit,
                            next_visit_date, create_uid, create_date, write_uid, write_date)
                    SELECT s.partner_id, p.company_id, s.categ_id, s.visits, s.median, l.last_visit,
                           s.last_day + s.median, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM stats s
                      JOIN res_partner p ON p.id = s.partner_id
                      JOIN last_visits l ON l.partner_id = s.partner_id AND l.categ_id = s.categ_id
                    ON CONFLICT (partner_id, categ_id) DO UPDATE
                       SET visit_count = EXCLUDED.visit_count, interval_days = EXCLUDED.interval_days,
                           last_visit = EXCLUDED.last_visit, next_visit_date = EXCLUDED.next_visit_date,
                           company_id = EXCLUDED.company_id, write_date = EXCLUDED.write_date
                    RETURNING id
                )
                DELETE FROM randevu_client_interval c
                 WHERE c.id NOT IN (SELECT id FROM upserted) %(only_c)s
                """,
                only=only,
                only_c=SQL("AND c.partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL(),
                min_visits=INTERVAL_MIN_VISITS,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
