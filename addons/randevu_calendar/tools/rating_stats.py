"""Average customer rating of appointments grouped by staff member or service."""

from odoo.addons.rating.models.rating_data import RATING_LIMIT_MIN


def randevu_rating_stats(env, field, ids):
    """{id: (average, count)} of the customers' ratings of the appointments whose
    `field` (employee_id, service_id) is in `ids`: one grouped query on
    rating.rating and one read of the rated appointments, whatever the number of
    records."""
    if not ids:
        return {}
    appointments = env["randevu.appointment"].sudo()._search([(field, "in", list(ids))])
    ratings = (
        env["rating.rating"]
        .sudo()
        ._read_group(
            [
                ("res_model", "=", "randevu.appointment"),
                ("res_id", "in", appointments),
                ("consumed", "=", True),
                ("rating", ">=", RATING_LIMIT_MIN),
            ],
            ["res_id"],
            ["rating:sum", "__count"],
        )
    )
    by_appointment = {res_id: (total, count) for res_id, total, count in ratings}
    if not by_appointment:
        return {}
    totals = {}
    for appointment in env["randevu.appointment"].sudo().browse(list(by_appointment)):
        key = appointment[field].id
        total, count = by_appointment[appointment.id]
        previous_total, previous_count = totals.get(key, (0.0, 0))
        totals[key] = (previous_total + total, previous_count + count)
    return {key: (total / count, count) for key, (total, count) in totals.items()}
