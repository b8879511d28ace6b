"""Commission periods made before weeks had to run Monday to Sunday and months from the
1st (18.0.1.1.0's CHECK constraint `calendar_period`) are moved to the calendar week or
month of their first day, so that the constraint can be added (in rounds: a move may free
the room another needs). A period whose move would overlap another of its branch is left;
Odoo then logs that the constraint could not be added, naming the table, and the manager
moves or deletes that period."""


def align_commission_periods(cr):
    """Move what can be moved; returns the ids of the periods moved."""
    moved = []
    while True:
        ids = _align_once(cr)
        if not ids:
            return moved
        moved += ids


def _align_once(cr):
    cr.execute(
        """
        WITH aligned AS (
            SELECT id, company_id, start,
                   CASE WHEN period_type = 'week' THEN start + 6
                        ELSE (start + INTERVAL '1 month' - INTERVAL '1 day')::date END AS stop
              FROM (SELECT id, company_id, period_type,
                           date_trunc(CASE WHEN period_type = 'week' THEN 'week' ELSE 'month' END,
                                      date_from)::date AS start
                      FROM randevu_commission_period) periods
        )
        UPDATE randevu_commission_period period
           SET date_from = aligned.start, date_to = aligned.stop
          FROM aligned
         WHERE aligned.id = period.id
           AND (period.date_from, period.date_to) <> (aligned.start, aligned.stop)
           AND NOT EXISTS (
                SELECT 1 FROM randevu_commission_period other
                 WHERE other.company_id = period.company_id AND other.id <> period.id
                   AND daterange(other.date_from, other.date_to, '[]')
                       && daterange(aligned.start, aligned.stop, '[]'))
        RETURNING period.id
        """
    )
    return [row[0] for row in cr.fetchall()]


def migrate(cr, version):
    cr.execute("SELECT to_regclass('randevu_commission_period')")
    if cr.fetchone()[0]:
        align_commission_periods(cr)
