# ruff: noqa: RUF001, RUF002 (Turkish dotless i, typographic apostrophes: the text customers write)
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase

from .fake_graph import FakeGraph

SECRET = "app-secret-for-tests"


def whatsapp_update(phone_number_id, messages=(), statuses=(), contacts=()):
    """A webhook body as Meta posts it (Cloud API, field "messages")."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "902120000000", "phone_number_id": phone_number_id},
    }
    if contacts:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id} for wa_id, name in contacts]
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(sender, text, wamid=None, timestamp=None):
    return {
        "from": sender,
        "id": wamid or f"wamid.in.{uuid.uuid4().hex}",
        "timestamp": str(int(timestamp or time.time())),
        "type": "text",
        "text": {"body": text},
    }


def interactive_reply(sender, kind, ident, title, description=None, wamid=None):
    """A customer's tap on a reply button (`kind` "button_reply") or a list row
    ("list_reply"), as the webhook delivers it."""
    reply = {"id": ident, "title": title}
    if description:
        reply["description"] = description
    return {
        "from": sender,
        "id": wamid or f"wamid.in.{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": "interactive",
        "interactive": {"type": kind, kind: reply},
    }


def sent_texts(fake):
    """The texts sent to customers: a text's body, an interactive message's body."""
    return [
        body["text"]["body"] if body["type"] == "text" else body["interactive"]["body"]["text"]
        for body in fake.sent()
        if body["type"] in ("text", "interactive")
    ]


def signed(body, secret=SECRET):
    """The raw body and the X-Hub-Signature-256 Meta would send with it."""
    raw = json.dumps(body).encode()
    return raw, "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


class InboxMixin:
    """A branch in Istanbul with an integrated WhatsApp gateway pointed at a local fake Graph API."""

    @classmethod
    def start_fake_graph(cls):
        fake = FakeGraph().start()
        cls.addClassCleanup(fake.stop)
        return fake

    @classmethod
    def make_branch(cls, env, tag, fake):
        turkey = env.ref("base.tr")
        branch = env["res.company"].create(
            {"name": f"Inbox branch {tag}", "country_id": turkey.id, "randevu_tz": "Europe/Istanbul"}
        )
        gateway = env["mail.gateway"].create(
            {
                "name": f"WhatsApp {tag}",
                "gateway_type": "whatsapp",
                "token": f"token-{tag}",
                "webhook_key": f"key-{tag}",
                "webhook_secret": SECRET,
                "whatsapp_from_phone": f"1{abs(hash(tag)) % 10**9}",
                "whatsapp_security_key": "verify-me",
                "company_id": branch.id,
                "randevu_graph_url": fake.url,
                "member_ids": [Command.set([])],
            }
        )
        gateway.integrated_webhook_state = "integrated"
        return branch, gateway


PAYLOAD = '{"to": "{number}", "message": "{text}", "sender": "RANDEVU"}'


def use_sms_gateway(company, url, token=None):
    """Have `company` send its texts through the HTTP gateway at `url` (a local fake)."""
    values = {
        "randevu_sms_provider": "http",
        "randevu_sms_gateway_url": url,
        "randevu_sms_gateway_method": "POST",
        "randevu_sms_gateway_headers": "Authorization: Bearer sms-key\nX-Account: randevu",
        "randevu_sms_gateway_payload": PAYLOAD,
        "randevu_sms_gateway_id_path": "data.id",
    }
    if token:
        values["randevu_sms_webhook_token"] = token
    company.sudo().write(values)


def start_fake_sms_gateway(case_class):
    from .fake_sms_gateway import FakeSmsGateway

    fake = FakeSmsGateway().start()
    case_class.addClassCleanup(fake.stop)
    return fake


class AssistantMixin:
    """Two branches for the assistant's tests: Nişantaşı in Istanbul, open Monday to Saturday
    09:00-19:00, and Paris (DST), open Monday to Saturday 09:00-18:00; four services named in
    English, Turkish and French with synonyms; two staff members in each branch. Never relies
    on demo data."""

    @classmethod
    def make_assistant_fixtures(cls, env):
        for code in ("tr_TR", "fr_FR"):
            env["res.lang"]._activate_lang(code)
        cls.istanbul = cls._assistant_branch(env, "Nişantaşı", "Europe/Istanbul", 19)
        cls.paris = cls._assistant_branch(env, "Paris Marais", "Europe/Paris", 18)
        names = {
            "haircut": (
                ("Women's haircut", "haircut, cut, trim"),
                ("Kadın saç kesimi", "saç kesimi, kesim, saç kestirmek"),
                ("Coupe femme", "coupe, coupe de cheveux"),
            ),
            "manicure": (("Manicure", "nails"), ("Manikür", "tırnak"), ("Manucure", "ongles")),
            "colour": (
                ("Full colour", "colour, color, hair dye"),
                ("Saç boyama", "boya, boyama, saç boyası"),
                ("Coloration", "couleur"),
            ),
            "massage": (
                ("Relaxing massage", "massage"),
                ("Rahatlatıcı masaj", "masaj"),
                ("Massage relaxant", "massage"),
            ),
        }
        cls.services = {}
        for key, ((en_name, en_syn), (tr_name, tr_syn), (fr_name, fr_syn)) in names.items():
            service = env["product.template"].create(
                {
                    "name": en_name,
                    "type": "service",
                    "is_appointment_service": True,
                    "list_price": 500,
                    "randevu_synonyms": en_syn,
                }
            )
            service.with_context(lang="tr_TR").write({"name": tr_name, "randevu_synonyms": tr_syn})
            service.with_context(lang="fr_FR").write({"name": fr_name, "randevu_synonyms": fr_syn})
            cls.services[key] = service
        cls.staff = {
            key: env["hr.employee"].create(
                {
                    "name": name,
                    "company_id": branch.id,
                    "resource_calendar_id": branch.resource_calendar_id.id,
                    "randevu_bookable": True,
                }
            )
            for key, name, branch in (
                ("merve", "Merve Yılmaz", cls.istanbul),
                ("ali", "Ali Demir", cls.istanbul),
                ("elodie", "Élodie Martin", cls.paris),
                ("julien", "Julien Petit", cls.paris),
            )
        }

    @classmethod
    def _assistant_branch(cls, env, name, tz, closing):
        calendar = env["resource.calendar"].create(
            {
                "name": f"{name} opening hours",
                "tz": tz,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": closing,
                            "day_period": "morning",
                        },
                    )
                    for day in range(6)
                ],
            }
        )
        branch = env["res.company"].create({"name": name, "randevu_tz": tz, "resource_calendar_id": calendar.id})
        calendar.company_id = branch
        return branch


# The acting assistant's tests: Monday 4 January 2027, noon in Istanbul (UTC+3), and the
# WhatsApp number of its customer Ayşe Kaya.
NOW = datetime(2027, 1, 4, 9, 0)
CUSTOMER = "905321234567"


class AssistantWhatsAppCase(AssistantMixin, InboxMixin, TransactionCase):
    """The assistant's branches and services (AssistantMixin) with Nişantaşı's WhatsApp
    account pointed at a local fake Graph API; `receive` takes a customer's message through
    the webhook's row, the inbox worker and the assistant's cron, `replies` are the texts sent.

    With `acts`, Nişantaşı's assistant answers and acts (books, cancels), its customer Ayşe
    Kaya (`customer`, WhatsApp number CUSTOMER) has her conversation, and each test runs at
    NOW; `terms` are the modules whose Turkish and French terms are loaded."""

    gateway_tag = "assistant"  # the account's token, webhook key and name
    gateway_phone = "555000111"
    acts = False
    terms = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_assistant_fixtures(cls.env)
        if cls.terms:
            cls.env["ir.module.module"]._load_module_terms(list(cls.terms), ["tr_TR", "fr_FR"], overwrite=True)
        cls.fake = cls.start_fake_graph()
        cls.gateway = cls.env["mail.gateway"].create(
            {
                "name": f"WhatsApp Nişantaşı {cls.gateway_tag}",
                "gateway_type": "whatsapp",
                "token": f"token-{cls.gateway_tag}",
                "webhook_key": f"key-{cls.gateway_tag}",
                "webhook_secret": "secret",
                "whatsapp_from_phone": cls.gateway_phone,
                "whatsapp_security_key": "verify-me",
                "company_id": cls.istanbul.id,
                "randevu_graph_url": cls.fake.url,
                "member_ids": [Command.set([])],
            }
        )
        cls.gateway.integrated_webhook_state = "integrated"
        if cls.acts:
            cls.istanbul.write(
                {"phone": "+90 212 555 00 00", "randevu_assistant_answers": True, "randevu_assistant_acts": True}
            )
            cls.customer = cls.env["res.partner"].create({"name": "Ayşe Kaya", "phone": "+" + CUSTOMER})
            cls.haircut = cls.services["haircut"]
            cls.merve = cls.staff["merve"]

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.Event = self.env["randevu.inbox.event"]
        if self.acts:
            self.frozen = freeze_time(NOW)
            self.frozen.start()
            self.addCleanup(self.frozen.stop)
            # The customer's conversation (the core matches a customer by phone and name; a
            # WhatsApp sender without a profile name would be a new one).
            self.conversation = self.env["randevu.conversation"]._randevu_get(
                self.istanbul, "whatsapp", "+" + CUSTOMER, self.gateway, partner=self.customer
            )

    def receive(self, text, sender=CUSTOMER):
        """The message (a text, or a message as the webhook delivers it) as the webhook stores
        it, filed by the inbox worker, then the assistant's cron; the replies are this message's."""
        self.fake.requests.clear()
        message = text if isinstance(text, dict) else text_message(sender, text)
        event = self.Event._randevu_store(self.gateway, message)
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertNotEqual(event.assistant_state, "error", event.error)
        return event

    def replies(self):
        return sent_texts(self.fake)

    def appointment(self, start, staff=None, partner=None):
        """An appointment at Nişantaşı as the backend creates it (a haircut with Merve for Ayşe)."""
        return self.env["randevu.appointment"].create(
            {
                "company_id": self.istanbul.id,
                "service_id": self.haircut.id,
                "employee_id": (staff or self.merve).id,
                "start": start,
                "partner_id": (partner or self.customer).id,
            }
        )

    def customer_appointments(self):
        return self.env["randevu.appointment"].search(
            [("partner_id", "=", self.customer.id), ("state", "!=", "cancelled")]
        )


def instagram_update(account_id, items):
    """An Instagram webhook body as Meta posts it (object "instagram", entry[].messaging[])."""
    return {"object": "instagram", "entry": [{"id": account_id, "time": int(time.time() * 1000), "messaging": items}]}


def instagram_message(account_id, sender, text="", mid=None, attachments=(), timestamp=None):
    message = {"mid": mid or f"aWdfZAG1.{uuid.uuid4().hex}"}
    if text:
        message["text"] = text
    if attachments:
        message["attachments"] = [{"type": kind, "payload": {"url": url}} for kind, url in attachments]
    return {
        "sender": {"id": sender},
        "recipient": {"id": account_id},
        "timestamp": int((timestamp or time.time()) * 1000),
        "message": message,
    }


def make_instagram_gateway(env, branch, tag, fake):
    """An integrated Instagram gateway of `branch` pointed at the local fake Graph API."""
    gateway = env["mail.gateway"].create(
        {
            "name": f"Instagram {tag}",
            "gateway_type": "instagram",
            "token": f"ig-token-{tag}",
            "webhook_key": f"ig-key-{tag}",
            "webhook_secret": SECRET,
            "instagram_account_id": f"1784{abs(hash(tag)) % 10**9}",
            "instagram_security_key": "verify-me",
            "company_id": branch.id,
            "randevu_graph_url": fake.url,
            "member_ids": [Command.set([])],
        }
    )
    gateway.integrated_webhook_state = "integrated"
    return gateway


# A minimal valid PDF and PNG: what a customer sends.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
