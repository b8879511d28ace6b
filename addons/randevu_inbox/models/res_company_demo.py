# Turkish and French words on purpose (the dotless i of Turkish):
# ruff: noqa: RUF001, RUF003
import importlib.util
import time
import uuid
from pathlib import Path

from odoo import api, fields, models
from odoo.fields import Command

# Where the demo's WhatsApp accounts send: a local fake of the Graph API, started with
# `python addons/randevu_inbox/tests/fake_graph.py 8765` (nothing is sent to Meta).
DEMO_GRAPH_URL = "http://127.0.0.1:8765"

# Synonyms of the demo services (by English name): (English, Turkish, French).
DEMO_SYNONYMS = {
    "Women's haircut": ("haircut, cut, trim", "saç kesimi, kesim, saç kestirmek", "coupe, coupe de cheveux"),
    "Men's haircut": ("men's cut, barber", "erkek tıraşı, berber", "coupe homme, barbier"),
    "Blow-dry": ("blowout, blow dry", "fön çekimi, föhn", "brushing, mise en plis"),
    "Kids' haircut": ("kids cut, child haircut", "çocuk tıraşı", "coupe enfant, coupe garçon"),
    "Full colour": ("colour, color, hair dye", "boya, boyama, saç boyası", "couleur, teinture"),
    "Highlights": ("balayage, streaks", "röfle, balyaj, meç", "mèches, balayage"),
    "Root touch-up": ("roots, regrowth", "dip boyası, dipler", "racines"),
    "Classic facial": ("facial, skin care", "cilt bakımı, yüz bakımı", "soin visage, soin du visage"),
    "Manicure": ("nails", "tırnak, manikür", "ongles"),
    "Eyebrow shaping": ("brows, eyebrows", "kaş, kaş alma", "sourcils, épilation sourcils"),
    "Relaxing massage": ("massage", "masaj", "massage"),
    "Yoga class": ("yoga", "yoga", "yoga"),
}

# The demo branches' FAQ entries: (topic, phrasings, answer), each (English, Turkish, French);
# Kadıköy's and Paris's answers differ where the places do.
_PAYMENT = (
    ("Payment methods", "Ödeme yöntemleri", "Moyens de paiement"),
    (
        "can i pay by card\ncredit card\npayment methods\ndo you take cash",
        "kredi kartı geçiyor mu\nkartla ödeme\nkart geçerli mi\nnakit\nödeme seçenekleri",
        "payer par carte\ncarte bancaire\nmoyens de paiement\nespèces\npaiement en liquide",
    ),
)
_CHILDREN = (
    ("Children", "Çocuklar", "Enfants"),
    (
        "can i bring my kid\nchildren welcome\nkids allowed\nbaby",
        "çocuğumu getirebilir miyim\nçocukla gelmek\nçocuk kabul ediyor musunuz\nbebek",
        "venir avec mon enfant\nenfants acceptés\nmon fils\nma fille\nbébé",
    ),
)
_CANCELLATION = (
    ("Cancellation policy", "İptal koşulları", "Conditions d'annulation"),
    (
        "cancellation policy\ncancellation fee\nlate cancellation",
        "iptal koşulları\niptal politikası\nson dakika iptal",
        "conditions d'annulation\npolitique d'annulation\nannulation tardive",
    ),
)
DEMO_FAQ = {
    "randevu_calendar.randevu_branch_kadikoy": [
        (
            ("Parking", "Otopark", "Parking"),
            (
                "is there parking\ncar park\nwhere can i park",
                "otopark var mı\npark yeri\naraba park\narabayla gelebilir miyim",
                "parking\nse garer\nstationnement",
            ),
            (
                "There is a paid car park 50 m away, on Moda Caddesi; the first hour is on us.",
                "50 m ileride, Moda Caddesi'nde ücretli otopark var; ilk saat bizden.",
                "Un parking payant se trouve à 50 m, sur Moda Caddesi ; la première heure est offerte.",
            ),
        ),
        (
            *_PAYMENT,
            (
                "We take cash and every card (Visa, Mastercard, Troy), and contactless.",
                "Nakit ve tüm kartlar (Visa, Mastercard, Troy) geçerli, temassız da olur.",
                "Nous acceptons les espèces et toutes les cartes (Visa, Mastercard, Troy), sans contact aussi.",
            ),
        ),
        (
            *_CHILDREN,
            (
                "Children are welcome; we have a kids' haircut for under 12s.",
                "Çocuklar başımızın üstüne; 12 yaş altına çocuk saç kesimimiz var.",
                "Les enfants sont les bienvenus ; nous avons une coupe enfant pour les moins de 12 ans.",
            ),
        ),
        (
            *_CANCELLATION,
            (
                "Free cancellation up to 24 hours before; after that please call us.",
                "Randevudan 24 saat öncesine kadar ücretsiz iptal; sonrası için lütfen bizi arayın.",
                "Annulation gratuite jusqu'à 24 heures avant ; ensuite, appelez-nous.",
            ),
        ),
    ],
    "randevu_calendar.randevu_branch_paris": [
        (
            ("Parking", "Otopark", "Parking"),
            (
                "is there parking\ncar park\nwhere can i park",
                "otopark var mı\npark yeri\naraba park",
                "parking\nse garer\nstationnement\nvenir en voiture",
            ),
            (
                "The Saint-Paul public car park is 3 minutes away on foot; metro Saint-Paul (line 1).",
                "Saint-Paul otoparkı yürüyerek 3 dakika; metro Saint-Paul (1. hat).",
                "Le parking Saint-Paul est à 3 minutes à pied ; métro Saint-Paul (ligne 1).",
            ),
        ),
        (
            *_PAYMENT,
            (
                "We take cards (Visa, Mastercard, American Express), contactless and cash.",
                "Kart (Visa, Mastercard, American Express), temassız ve nakit geçerli.",
                "Nous acceptons la carte (Visa, Mastercard, American Express), le sans contact et les espèces.",
            ),
        ),
        (
            *_CHILDREN,
            (
                "Children are welcome, with a kids' haircut for under 12s.",
                "Çocuklar başımızın üstüne; 12 yaş altına çocuk saç kesimimiz var.",
                "Les enfants sont les bienvenus, avec une coupe enfant pour les moins de 12 ans.",
            ),
        ),
        (
            *_CANCELLATION,
            (
                "Free cancellation up to 24 hours before; after that please call us.",
                "Randevudan 24 saat öncesine kadar ücretsiz iptal; sonrası için lütfen bizi arayın.",
                "Annulation gratuite jusqu'à 24 heures avant ; ensuite, appelez-nous.",
            ),
        ),
    ],
}

# The demo conversations: branch, the customer's number and WhatsApp name, and what they
# write, one message after the other (the assistant answers each through the real path).
DEMO_CONVERSATIONS = [
    (
        "randevu_calendar.randevu_branch_kadikoy",
        "905551112201",
        "Gül Aydın",
        ["Merhaba, yarın saç kesimi için randevu almak istiyorum", "1", "evet"],
    ),
    ("randevu_calendar.randevu_branch_kadikoy", "905551112202", "Kerem Yıldız", ["otopark var mı?"]),
    (
        "randevu_calendar.randevu_branch_kadikoy",
        "905551112203",
        "Sevgi Arslan",
        ["Bir yetkiliyle görüşmek istiyorum, geçen haftaki boyadan memnun kalmadım"],
    ),
    ("randevu_calendar.randevu_branch_paris", "33655512204", "Léa Dubois", ["Bonjour, on peut payer par carte ?"]),
]
LANGS = ("en_US", "tr_TR", "fr_FR")


def _load_fake_graph():
    """The local fake of the Graph API of the tests (loaded by path: importing the tests
    package would import every test module)."""
    path = Path(__file__).parent.parent / "tests" / "fake_graph.py"
    spec = importlib.util.spec_from_file_location("randevu_inbox_demo_fake_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeGraph


class ResCompany(models.Model):
    """Demo data of the inbox (called from demo/randevu_inbox_demo.xml)."""

    # One file per concern: the demo loader apart from the branch's settings.
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_demo_inbox(self):
        """Demo data: synonyms of the demo services and FAQ entries of both demo branches
        in English, Turkish and French, a WhatsApp account per branch (sending to the local
        fake DEMO_GRAPH_URL), the assistant on, and a few conversations written through the
        real path (webhook's row → inbox worker → assistant) while a fake Graph API runs in
        this process: a booking made by the assistant, a question answered from the FAQ in
        Turkish and in French, and a complaint waiting for a person."""
        active = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = [code for code in LANGS if code in active]
        services = (
            self.env["product.template"].with_context(lang="en_US").search([("is_appointment_service", "=", True)])
        )
        for service in services:
            if service.name in DEMO_SYNONYMS:
                words = dict(zip(LANGS, DEMO_SYNONYMS[service.name], strict=True))
                service.update_field_translations("randevu_synonyms", {lang: words[lang] for lang in langs})
        Faq = self.env["randevu.assistant.faq"].with_context(lang="en_US")
        for branch_ref, entries in DEMO_FAQ.items():
            branch = self.env.ref(branch_ref)
            for sequence, (topic, questions, answer) in enumerate(entries, 1):
                entry = Faq.create(
                    {
                        "company_id": branch.id,
                        "sequence": sequence,
                        "name": topic[0],
                        "questions": questions[0],
                        "answer": answer[0],
                    }
                )
                for fname, values in (("name", topic), ("questions", questions), ("answer", answer)):
                    words = dict(zip(LANGS, values, strict=True))
                    entry.update_field_translations(fname, {lang: words[lang] for lang in langs if lang != "en_US"})
        fake = _load_fake_graph()().start()
        try:
            gateways = {}
            for branch_ref, tag in (
                ("randevu_calendar.randevu_branch_kadikoy", "kadikoy"),
                ("randevu_calendar.randevu_branch_paris", "paris"),
            ):
                branch = self.env.ref(branch_ref)
                branch.write({"randevu_assistant_answers": True, "randevu_assistant_acts": True})
                gateway = self.env["mail.gateway"].create(
                    {
                        "name": f"WhatsApp {branch.name}",
                        "gateway_type": "whatsapp",
                        "token": f"demo-token-{tag}",
                        "webhook_key": f"demo-{tag}-{uuid.uuid4().hex[:12]}",
                        "webhook_secret": uuid.uuid4().hex,
                        "whatsapp_from_phone": f"demo-{tag}",
                        "whatsapp_security_key": uuid.uuid4().hex,
                        "company_id": branch.id,
                        "randevu_graph_url": fake.url,
                        "member_ids": [Command.set([])],
                    }
                )
                gateway.integrated_webhook_state = "integrated"
                gateways[branch_ref] = gateway
            Event = self.env["randevu.inbox.event"]
            for branch_ref, sender, name, texts in DEMO_CONVERSATIONS:
                for text in texts:
                    message = {
                        "from": sender,
                        "id": f"wamid.demo.{uuid.uuid4().hex}",
                        "timestamp": str(int(time.time())),
                        "type": "text",
                        "text": {"body": text},
                    }
                    Event._randevu_store(gateways[branch_ref], message, profile_name=name)
                    Event._cron_process()
                    Event._cron_assistant()
            # The booking's confirmation to the customer who wrote on WhatsApp goes now, to the fake.
            conversations = self.env["randevu.conversation"].search(
                [("gateway_id", "in", [g.id for g in gateways.values()])]
            )
            self.env["randevu.message"].search(
                [
                    ("channel", "=", "whatsapp"),
                    ("state", "=", "queued"),
                    ("partner_id", "in", conversations.partner_id.ids),
                ]
            )._randevu_dispatch(fields.Datetime.now())
        finally:
            fake.stop()
        for gateway in gateways.values():
            gateway.randevu_graph_url = DEMO_GRAPH_URL
