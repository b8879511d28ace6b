# ruff: noqa: RUF001 (Turkish dotless i)
"""Benchmark of the inbox and its assistant (randevu_inbox): inbound WhatsApp messages
processed through the real path.

    make bench                      # = scripts/randevu.sh bench: setup, then the benchmarks
    .venv/bin/python bench/inbox_messages.py --conf .randevu/odoo.bench.conf --db randevu_bench_inbox

Creates its own database once (randevu_inbox, no demo data) with a branch where the
assistant acts (open 08:00-20:00 every day, 20 staff, three services, an FAQ entry) and a
WhatsApp account sending to a local fake of the Graph API (tests/fake_graph.py). Each run
removes what an earlier one left, then sends `--messages` inbound messages from about a
third as many conversations, as the webhook stores them (randevu.inbox.event rows), through
the inbox worker (_cron_process) and the assistant's worker (_cron_assistant), a commit per
batch as ir.cron does. The conversations are a mix: a booking in three messages then a
cancel in two, an availability question and the opening hours, an FAQ and a price, a
booking in three messages. Messages go in rounds (every conversation's next message), so
the customers of a round compete for the same times. Reports wall time and queries per
message for 100 messages, then for `--messages` (default 1,000): the queries per message
do not grow with the number of conversations. Writes bench/out/inbox_messages.json.
"""

import argparse
import importlib.util
import sys
import time
import uuid

from common import DEFAULT_CONF, open_registry, opening_hours, percentile, write_result

BRANCH = "Bench inbox branch"
STAFF = 20
# Each conversation's messages, by kind (the conversation's number modulo 4).
SCRIPTS = [
    ["Öbür gün saç kesimi istiyorum", "{choice}", "evet", "Randevumu iptal etmek istiyorum", "evet"],
    ["Yarın saç kesimi için müsait misiniz?", "Çalışma saatleriniz nedir?"],
    ["Otopark var mı?", "Manikür ne kadar?"],
    ["Yarın manikür istiyorum", "{choice}", "evet"],
]


def text_message(sender, text, wamid):
    """A text message as WhatsApp's webhook delivers it (messages[] of a change)."""
    return {"from": sender, "id": wamid, "timestamp": str(int(time.time())), "type": "text", "text": {"body": text}}


def fake_graph_class():
    """tests/fake_graph.py's FakeGraph, loaded by its path (importing the addon's tests
    package would load Odoo's test framework)."""
    import odoo.addons.randevu_inbox as addon

    path = f"{addon.__path__[0]}/tests/fake_graph.py"
    spec = importlib.util.spec_from_file_location("randevu_bench_fake_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeGraph


def make_branch(env):
    """The bench branch (open 08:00-20:00 every day, in Turkey); commits. Creating a company
    sets the registry up again: what follows goes in a new transaction."""
    parent = env.ref("base.main_company")
    hours = opening_hours(env, f"{BRANCH} hours", "Europe/Istanbul", 8, 20, day_period="morning")
    branch = env["res.company"].create(
        {
            "name": BRANCH,
            "parent_id": parent.id,
            "randevu_tz": "Europe/Istanbul",
            "resource_calendar_id": hours.id,
            "country_id": env.ref("base.tr").id,
        }
    )
    hours.company_id = branch
    env.user.company_ids |= branch
    env.cr.commit()


def generate(env, branch):
    """The branch's staff, services, FAQ entry and WhatsApp account; commits once."""
    env = env(context=dict(env.context, allowed_company_ids=[branch.id, branch.parent_id.id], tracking_disable=True))
    env["hr.employee"].create(
        [
            {
                "name": f"Bench inbox stylist {n:02d}",
                "company_id": branch.id,
                "resource_calendar_id": branch.resource_calendar_id.id,
                "randevu_bookable": True,
            }
            for n in range(STAFF)
        ]
    )
    branch.write({"phone": "+90 212 555 00 00", "randevu_assistant_answers": True, "randevu_assistant_acts": True})
    # Turkish names as synonyms (the services' names are English).
    for name, synonyms, price in (("Women's haircut", "saç kesimi, kesim", 500), ("Manicure", "manikür", 300)):
        env["product.template"].create(
            {
                "name": name,
                "type": "service",
                "is_appointment_service": True,
                "randevu_duration": 1.0,
                "list_price": price,
                "randevu_synonyms": synonyms,
            }
        )
    env["randevu.assistant.faq"].create(
        {
            "name": "Parking",
            "company_id": branch.id,
            "questions": "parking\notopark\notopark var mı",
            "answer": "Free parking in front of the salon.",
        }
    )
    env["mail.gateway"].create(
        {
            "name": "WhatsApp bench",
            "gateway_type": "whatsapp",
            "token": "token-bench",
            "webhook_key": "key-bench",
            "webhook_secret": "secret-bench",
            "whatsapp_from_phone": "555000999",
            "whatsapp_security_key": "verify-bench",
            "company_id": branch.id,
            "randevu_graph_url": "http://127.0.0.1:9",
            "member_ids": [(6, 0, [])],
        }
    ).integrated_webhook_state = "integrated"
    env.cr.commit()


def reset(env, branch):
    """Remove what an earlier run left: messages, conversations, their customers' appointments."""
    cr = env.cr
    cr.execute("DELETE FROM randevu_inbox_event WHERE company_id = %s", [branch.id])
    cr.execute("UPDATE randevu_conversation SET assistant_appointment_id = NULL WHERE company_id = %s", [branch.id])
    cr.execute("DELETE FROM randevu_appointment WHERE company_id = %s", [branch.id])
    cr.execute("DELETE FROM randevu_conversation WHERE company_id = %s", [branch.id])
    cr.execute("DELETE FROM ir_cron_trigger")
    cr.commit()
    env.invalidate_all()


def run(env, branch, gateway, fake, count):
    """`count` messages from about count / 3 conversations; returns the measures."""
    reset(env, branch)
    Event = env["randevu.inbox.event"]
    run_tag = uuid.uuid4().hex[:6]
    # Conversations until their messages make `count`.
    conversations, total = [], 0
    while total < count:
        number = len(conversations)
        script = SCRIPTS[number % len(SCRIPTS)][: count - total]
        phone = f"90532{number:07d}"
        conversations.append((phone, script, number))
        total += len(script)
    fake.requests.clear()
    queries = 0
    batch_seconds = []
    started = time.perf_counter()
    for round_ in range(max(len(script) for _phone, script, _n in conversations)):
        for phone, script, number in conversations:
            if round_ < len(script):
                text = script[round_].format(choice=number % 3 + 1)
                Event._randevu_store(
                    gateway, text_message(phone, text, wamid=f"wamid.bench.{run_tag}.{phone}.{round_}")
                )
        env.cr.commit()
        for worker, limit in ((Event._cron_process, 200), (Event._cron_assistant, 100)):
            while True:
                env.invalidate_all()
                before = env.cr.sql_log_count
                batch_started = time.perf_counter()
                handled = worker(limit=limit)
                env.cr.commit()
                queries += env.cr.sql_log_count - before
                if not handled:
                    break
                batch_seconds.append((time.perf_counter() - batch_started) / len(handled))
    seconds = time.perf_counter() - started
    env.cr.execute(
        "SELECT assistant_state, count(*) FROM randevu_inbox_event WHERE company_id = %s GROUP BY 1", [branch.id]
    )
    states = dict(env.cr.fetchall())
    env.cr.execute("SELECT state, count(*) FROM randevu_appointment WHERE company_id = %s GROUP BY 1", [branch.id])
    appointments = dict(env.cr.fetchall())
    sent = fake.sent()
    return {
        "messages": total,
        "conversations": len(conversations),
        "wall_seconds": round(seconds, 1),
        "ms_per_message": round(1000 * seconds / total, 1),
        "ms_per_message_p95_batch": round(1000 * percentile(batch_seconds, 0.95), 1),
        "queries": queries,
        "queries_per_message": round(queries / total, 1),
        "assistant": states,
        "appointments": appointments,
        "sent": {kind: sum(1 for body in sent if body["type"] == kind) for kind in ("text", "interactive")},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf", default=DEFAULT_CONF)
    parser.add_argument("--db", default="randevu_bench_inbox")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the last run's rows to look at")
    args = parser.parse_args()

    import odoo

    registry = open_registry(
        args.conf,
        args.db,
        "randevu_inbox",
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'randevu_conversation' "
        "AND column_name = 'assistant_proposals'",
    )
    fake = fake_graph_class()().start()  # once the addons path is set
    results = []
    try:
        with registry.cursor() as cr:
            # Turkish, for the customers' language (its own transaction: it sets the registry up again).
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if not env["res.lang"]._lang_get("tr_TR"):
                env["res.lang"]._activate_lang("tr_TR")
                cr.commit()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if not env["res.company"].search([("name", "=", BRANCH)]):
                print("==> generating the branch", flush=True)
                make_branch(env)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            branch = env["res.company"].search([("name", "=", BRANCH)])
            if not env["mail.gateway"].search([("company_id", "=", branch.id)]):
                generate(env, branch)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            branch = env["res.company"].search([("name", "=", BRANCH)])
            env = env(context=dict(env.context, allowed_company_ids=[branch.id, branch.parent_id.id]))
            gateway = env["mail.gateway"].search([("company_id", "=", branch.id), ("gateway_type", "=", "whatsapp")])
            gateway.randevu_graph_url = fake.url
            cr.commit()
            for count in sorted({100, args.messages}):
                print(f"==> {count} messages", flush=True)
                result = run(env, branch, gateway, fake, count)
                print(f"    {result}", flush=True)
                results.append(result)
            if not args.keep:
                reset(env, branch)
    finally:
        fake.stop()

    write_result("inbox_messages", {"staff": STAFF, "runs": results})
    print(f"\nData: one branch, {STAFF} staff, assistant acting, WhatsApp to a local fake Graph API")
    for result in results:
        print(
            f"  {result['messages']:>5} messages, {result['conversations']:>4} conversations: "
            f"{result['wall_seconds']} s, {result['ms_per_message']} ms/message, "
            f"{result['queries_per_message']} queries/message; assistant {result['assistant']}, "
            f"appointments {result['appointments']}, sent {result['sent']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
