"""Benchmark of a campaign to a saved segment queued by mass_mailing (email and SMS).

    .venv/bin/python bench/campaign_queue.py --conf .randevu/odoo.bench.conf --db randevu_bench_campaign

Creates its own database once (randevu_marketing, no demo data) with a generated branch:
50,000 customers tagged *Bench campaign*, mixed marketing consents (40% email granted,
10% email withdrawn, 5% email granted for an old address, 30% SMS granted), a frequency
cap of 1 message in 7 days and, for a tenth of the customers, a trace of an earlier
mailing sent yesterday (they are over the cap). The data is written with plain SQL.

Then sends an email mailing and an SMS mailing to the segment of the tagged customers,
as mass_mailing's queue does (`mailing.mailing.action_send_mail`, commit after each batch
of `mail.batch_size`, 50 by default, for email; one composer for every recipient for SMS,
as mass_mailing_sms does), measures the wall time and the queries of each email batch
(first and last batches must cost the same: nothing grows with the customers already
queued) and checks the outcome: a queued email/SMS and a trace for each customer reached,
a cancelled trace (opted out, frequency cap) for the others, and the emails / texts made by
state. The mailings, emails, texts and traces made are deleted afterwards. Writes bench/out/campaign_queue.json.

A smaller campaign on a database of its own: `--customers 5000 --db randevu_bench_campaign_5k`.
`--profile PATH` runs each sending under cProfile (PATH.mail.prof, PATH.sms.prof) and prints
its top functions, cumulative then Randevu's own; `--batch-size N` sends the emails in
batches of N (system parameter `mail.batch_size`, restored afterwards).
"""

import argparse
import cProfile
import io
import itertools
import pstats
import random
import statistics
import time
from datetime import datetime

from common import DEFAULT_CONF, insert_customers, open_registry, write_result

CUSTOMERS = 50_000
BRANCH = "Bench campaign branch"
TAG = "Bench campaign"


def generate(env, customers):
    """The branch, its customers, consents and earlier traces; commits once."""
    print(f"==> generating {customers} customers")
    started = time.time()
    rng = random.Random(16)
    cr = env.cr
    env["res.company"].create(
        {
            "name": BRANCH,
            "parent_id": env.ref("base.main_company").id,
            "randevu_marketing_cap_count": 1,
            "randevu_marketing_cap_days": 7,
            "randevu_quiet_start": 0,
            "randevu_quiet_end": 0,
        }
    )
    tag = env["res.partner.category"].create({"name": TAG})
    earlier = env["mailing.mailing"].create(
        {"name": "Bench earlier mailing", "subject": "Earlier", "body_html": "<p>Earlier</p>", "state": "done"}
    )
    ids, consents = insert_customers(env, customers, "Campaign customer", "camp", "+90533", rng)
    cr.execute(
        "INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id) SELECT unnest(%s::int[]), %s",
        [ids, tag.id],
    )
    cr.execute(
        """
        INSERT INTO mailing_trace (mass_mailing_id, model, res_id, email, trace_type, trace_status,
                                   sent_datetime, create_date, write_date)
        SELECT %s, 'res.partner', p.id, p.email, 'mail', 'sent',
               now() - interval '1 day', now() - interval '1 day', now()
          FROM res_partner p WHERE p.id = ANY(%s)
        """,
        [earlier.id, ids[::10]],
    )
    cr.execute("ANALYZE res_partner; ANALYZE randevu_consent; ANALYZE mailing_trace")
    cr.commit()
    print(f"    {len(ids)} customers, {consents} consents in {time.time() - started:.0f}s")


class BatchMeter:
    """Wall time and queries between the starts of consecutive email batches
    (`mail.compose.message._prepare_mail_values`, called once per batch)."""

    def __init__(self, env):
        self.cr = env.cr
        self.marks = []
        composer = type(env["mail.compose.message"])
        original = composer._prepare_mail_values
        meter = self

        def _prepare_mail_values(wizard, res_ids):
            meter.marks.append((time.perf_counter(), meter.cr.sql_log_count, len(res_ids)))
            return original(wizard, res_ids)

        composer._prepare_mail_values = _prepare_mail_values
        self.restore = lambda: setattr(composer, "_prepare_mail_values", original)

    def batches(self, end_time, end_queries):
        marks = [*self.marks, (end_time, end_queries, 0)]
        return [
            {"size": size, "seconds": later[0] - started, "queries": later[1] - queries}
            for (started, queries, size), later in itertools.pairwise(marks)
        ]


def outcome(cr, mailing):
    cr.execute(
        """
        SELECT trace_status, COALESCE(failure_type, ''), count(*)
          FROM mailing_trace WHERE mass_mailing_id = %s GROUP BY 1, 2 ORDER BY 3 DESC
        """,
        [mailing.id],
    )
    traces = {f"{status} {failure}".strip(): count for status, failure, count in cr.fetchall()}
    table = "mail_mail" if mailing.mailing_type == "mail" else "sms_sms"
    cr.execute(f"SELECT state, count(*) FROM {table} WHERE mailing_id = %s GROUP BY 1 ORDER BY 2 DESC", [mailing.id])
    return traces, dict(cr.fetchall())


def print_profile(profiler, path, mailing_type):
    """The profile's top functions by cumulative time, then Randevu's own (addons/randevu_*)."""
    profiler.dump_stats(path)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"addons/randevu_", 20)
    stats.sort_stats("tottime").print_stats(25)
    print(f"==> profile of the {mailing_type} mailing: {path}")
    print(out.getvalue())


def send(env, segment, mailing_type, profile=None):
    cr = env.cr
    mailing = env["mailing.mailing"].create(
        {
            "name": f"Bench {mailing_type} campaign",
            "subject": "Spring offer",
            "mailing_type": mailing_type,
            "randevu_segment_id": segment.id,
            "body_html": "<p>20% off colours: <a href='https://salon.example.com/book'>book</a>. "
            "<a href='/unsubscribe_from_list'>Unsubscribe</a></p>",
            "body_plaintext": "20% off colours: https://salon.example.com/book",
            "email_from": "salon@example.com",
        }
    )
    cr.commit()
    meter = BatchMeter(env) if mailing_type == "mail" else None
    before = cr.sql_log_count
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        mailing.action_send_mail()
        env.flush_all()
        cr.commit()
    finally:
        if profiler:
            profiler.disable()
        if meter:
            meter.restore()
    seconds = time.perf_counter() - started
    if profiler:
        print_profile(profiler, f"{profile}.{mailing_type}.prof", mailing_type)
    queries = cr.sql_log_count - before
    traces, made = outcome(cr, mailing)
    made_key = "emails made" if mailing_type == "mail" else "texts made"
    result = {"seconds": round(seconds, 1), "queries": queries, "traces": traces, made_key: made}
    if meter:
        batches = meter.batches(started + seconds, before + queries)
        first, last = batches[:10], batches[-11:-1]  # the last one is often short
        result["batches"] = {
            "count": len(batches),
            "size": batches[0]["size"],
            "first_10_seconds_median": round(statistics.median(b["seconds"] for b in first), 3),
            "last_10_seconds_median": round(statistics.median(b["seconds"] for b in last), 3),
            "first_10_queries": [b["queries"] for b in first],
            "last_10_queries": [b["queries"] for b in last],
            "seconds_before_first_batch": round(meter.marks[0][0] - started, 2),
            "queries_before_first_batch": meter.marks[0][1] - before,
        }
    return mailing, result


def cleanup(env, mailings):
    cr = env.cr
    ids = list(mailings.ids)
    cr.execute("DELETE FROM mail_mail WHERE mailing_id = ANY(%s) RETURNING mail_message_id", [ids])
    message_ids = [row[0] for row in cr.fetchall()]
    cr.execute("DELETE FROM mail_message WHERE id = ANY(%s)", [message_ids])
    cr.execute("DELETE FROM sms_sms WHERE mailing_id = ANY(%s)", [ids])
    cr.execute("DELETE FROM mailing_trace WHERE mass_mailing_id = ANY(%s)", [ids])
    cr.execute("DELETE FROM mailing_mailing WHERE id = ANY(%s)", [ids])
    cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_campaign")
    parser.add_argument("--customers", type=int, default=CUSTOMERS, help="on the first run only")
    parser.add_argument("--only", choices=["mail", "sms"], help="send only this kind of mailing")
    parser.add_argument(
        "--batch-size",
        type=int,
        help="emails per batch for this run (system parameter mail.batch_size, restored afterwards)",
    )
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="run each sending under cProfile: PATH.<mail|sms>.prof, top functions printed (slower)",
    )
    args = parser.parse_args()

    import odoo

    registry = open_registry(
        args.conf,
        args.db,
        "randevu_marketing",
        "SELECT 1 FROM pg_indexes WHERE indexname = 'mailing_trace_randevu_mailing_email_index'",
    )
    results = {"date": datetime.now().isoformat(timespec="minutes")}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        branch = env["res.company"].search([("name", "=", BRANCH)])
        if not branch:
            generate(env, args.customers)
            branch = env["res.company"].search([("name", "=", BRANCH)])
        tag = env["res.partner.category"].search([("name", "=", TAG)])
        segment = env["randevu.segment"].search([("name", "=", "Bench campaign segment")]) or env[
            "randevu.segment"
        ].create({"name": "Bench campaign segment", "company_id": branch.id, "tag_ids": [(6, 0, tag.ids)]})
        cr.commit()
        results["customers"] = segment.partner_count
        params = env["ir.config_parameter"]
        batch_size = params.get_param("mail.batch_size")
        if args.batch_size:
            params.set_param("mail.batch_size", args.batch_size)
            cr.commit()
        print(f"==> segment of {results['customers']} customers")
        mailings = env["mailing.mailing"]
        try:
            for mailing_type in ("mail", "sms"):
                if args.only and args.only != mailing_type:
                    continue
                mailing, result = send(env, segment, mailing_type, args.profile)
                mailings |= mailing
                results[mailing_type] = result
                print(f"==> {mailing_type}: {result['seconds']}s, {result['queries']} queries")
                for key, value in result.items():
                    if key not in ("seconds", "queries"):
                        print(f"    {key}: {value}")
        finally:
            cr.rollback()
            cleanup(env, mailings)
            if args.batch_size:
                params.set_param("mail.batch_size", batch_size or False)
                cr.commit()
    write_result("campaign_queue", results)
    print("==> bench/out/campaign_queue.json")


if __name__ == "__main__":
    main()
