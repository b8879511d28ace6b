"""The demo outbox (scripts/demo_outbox.py) catches emails over SMTP and texts through
Odoo's SMS API; with it, a fresh demo's messages are sent, none failed."""

import json
import smtplib
import subprocess
import sys
from email.message import EmailMessage

import requests
from conftest import ROOT, free_port

sys.path.insert(0, str(ROOT / "scripts"))
from demo_outbox import serve


def start(tmp_path):
    smtp_port, http_port = free_port(), free_port()
    servers = serve(tmp_path / "outbox", smtp_port, http_port)
    return servers, smtp_port, http_port


def test_outbox_catches_an_email_and_a_text(tmp_path):
    servers, smtp_port, http_port = start(tmp_path)
    try:
        message = EmailMessage()
        message["From"] = "kadikoy@randevu.example.com"
        message["To"] = "zeynep.arslan@example.com"
        message["Subject"] = "Randevunuz yarin 11:00"
        message.set_content("Görüşmek üzere!")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "messages": [
                    {"content": "Rappel : demain 10:00", "numbers": [{"uuid": "a" * 32, "number": "+33612345678"}]}
                ]
            },
        }
        answer = requests.post(f"http://127.0.0.1:{http_port}/api/sms/3/send", json=payload, timeout=10).json()
        assert answer["result"] == [{"uuid": "a" * 32, "state": "success", "credit": 0}]
        files = sorted(path.name for path in (tmp_path / "outbox").iterdir())
        assert len(files) == 2 and files[0].endswith(".eml") and files[1].endswith(".txt"), files
        page = requests.get(f"http://127.0.0.1:{http_port}/", timeout=10).text
        assert "Demo: messages are not sent" in page
        assert "Randevunuz yarin 11:00" in page and "+33612345678" in page
    finally:
        for server in servers:
            server.shutdown()


# Runs in a child process on the test database (demo data): points Odoo's SMTP and SMS
# at the outbox as `make run` does, runs Randevu's message crons, Odoo's mail and SMS
# queues, then the crons again (they look for failed sends), prints the states, and
# rolls everything back.
DEMO_RUN = """
import json, sys
import odoo
from odoo import api, fields, SUPERUSER_ID
conf, db, smtp_port, http_port = sys.argv[1:5]
odoo.tools.config.parse_config(["-c", conf, "--smtp=127.0.0.1", f"--smtp-port={smtp_port}", "--log-level=warn"])
registry = odoo.modules.registry.Registry(db)
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    if not env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False):
        print(json.dumps({"demo": False}))
        sys.exit(0)
    env["ir.config_parameter"].set_param("sms.endpoint", f"http://127.0.0.1:{http_port}")
    Message = env["randevu.message"]
    Message._cron_send_followups(auto_commit=False)
    Message._cron_send_reminders(auto_commit=False)
    Message._cron_send_queued(auto_commit=False)
    env["mail.mail"].search([("state", "=", "outgoing")]).send(auto_commit=False)
    texts = env["sms.sms"].search([("state", "=", "outgoing")])
    if texts:
        texts._send()
    Message._cron_send_reminders(auto_commit=False)
    env.flush_all()
    # A text queued for after the branch's quiet hours (the test may run at night) is
    # "deferred", not stuck: only what is due and still queued counts as queued.
    cr.execute(
        "SELECT channel, CASE WHEN state = 'queued' AND next_try > (now() AT TIME ZONE 'UTC') THEN 'deferred'"
        " ELSE state END, count(*) FROM randevu_message GROUP BY 1, 2"
    )
    states = {f"{channel}/{state}": count for channel, state, count in cr.fetchall()}
    cr.execute(
        "SELECT count(*) FROM mail_notification n JOIN randevu_message m ON m.mail_message_id = n.mail_message_id"
        " WHERE n.notification_status IN ('exception', 'bounce')"
    )
    failed_notifications = cr.fetchone()[0]
    cr.rollback()
print(json.dumps({"demo": True, "states": states, "failed_notifications": failed_notifications}))
"""


def test_fresh_demo_messages_are_sent_to_the_outbox(tmp_path, test_db, odoo_conf):
    servers, smtp_port, http_port = start(tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "-c", DEMO_RUN, odoo_conf, test_db, str(smtp_port), str(http_port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        for server in servers:
            server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if not report["demo"]:
        return  # a database without the demo data: nothing to send
    states = report["states"]
    assert sum(count for key, count in states.items() if key.endswith("/sent")) > 0, states
    assert not [key for key in states if key.endswith("/error") or key.endswith("/queued")], states
    assert report["failed_notifications"] == 0
    caught = list((tmp_path / "outbox").iterdir())
    assert any(path.suffix == ".eml" for path in caught), "the emails reached the outbox"
