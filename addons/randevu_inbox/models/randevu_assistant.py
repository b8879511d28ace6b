# ruff: noqa: RUF001, RUF002 (Turkish dotless i, typographic apostrophes: the text customers write)
import re
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from rapidfuzz import fuzz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import plaintext2html
from odoo.tools.misc import format_amount

from ..tools import intents, normaliser
from ..tools.casefold import fold
from ..tools.language import LANGUAGES, identify

# Odoo's language codes of the assistant's languages (names and synonyms are read in them).
LANG_CODES = {"tr": "tr_TR", "en": "en_US", "fr": "fr_FR"}
SERVICE_THRESHOLD = 85
STAFF_THRESHOLD = 85
# Turkish endings after a first name ("Merve'den", "Merveye", "Ali Bey'e" has "Bey" after)
_NAME_SUFFIX = re.compile(r"^(?:y?[ae]|y?[iıuü]|n?[dt][ae]n?|[dt][ae]|n[ie]n|n[ıu]n|ci|le|la|yle|yla|nin)?$")


class RandevuAssistant(models.AbstractModel):
    """The assistant's understanding of a customer's message: deterministic rules over
    keyword lists, our date/time normaliser (dateparser behind it), rapidfuzz for
    services and staff, py3langid for the language. No network."""

    _name = "randevu.assistant"
    _description = "Randevu Assistant"

    @api.model
    def understand(self, text, branch, now=None, lang=None):
        """What `text`, written to `branch` (a res.company) at `now` (naive UTC or aware
        datetime, default: now), asks for. `lang` is the conversation's language when known
        (tr, en or fr, or an Odoo code such as tr_TR); otherwise it is identified.

        Returns a dict: intent (book, availability, reschedule, cancel, confirm, decline,
        price, hours, address, faq, human, greeting, unknown), service_id, employee_id,
        date (datetime.date in the branch's timezone), time ("HH:MM"), part_of_day
        (morning, afternoon, evening), lang, confidence (0..1) and faq_id (the branch's
        randevu.assistant.faq entry asked about when the intent is faq)."""
        if isinstance(branch, int):
            branch = self.env["res.company"].browse(branch)
        branch.ensure_one()
        # Called by the inbox worker (superuser) and by internal users of the branch (the
        # backend, tests of a message); never by portal or public users over RPC.
        if not self.env.su and (not self.env.user._is_internal() or branch not in self.env.user.company_ids):
            raise AccessError(self.env._("You do not work at this branch."))
        text = (text or "").strip()
        lang = (lang or "")[:2].lower() if lang else None
        folded_raw = fold(text, lang)
        if lang not in LANGUAGES:
            lang = identify(text, folded_raw) if text else "en"
        folded = re.sub(r"\s+", " ", fold(text, lang))
        result = {
            "intent": "unknown",
            "service_id": False,
            "employee_id": False,
            "date": None,
            "time": None,
            "part_of_day": None,
            "lang": lang,
            "confidence": 0.1,
            "faq_id": False,
        }
        if not folded:
            return result

        today = self._randevu_local_now(branch, now).date()
        day, _span = normaliser.parse_date(folded, today, lang)
        part_of_day = normaliser.parse_part_of_day(folded)
        found_time = normaliser.parse_time(folded)
        if found_time:
            hour, minute, explicit, _span = found_time
            is_open = self._randevu_opening_test(branch, day)
            hour = normaliser.resolve_hour(hour, explicit, part_of_day, is_open)
            result["time"] = f"{hour:02d}:{minute:02d}"
            if not part_of_day:
                part_of_day = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
        result["date"] = day
        result["part_of_day"] = part_of_day

        service, service_score = self._randevu_match_service(folded, branch, lang)
        employee = self._randevu_match_employee(folded, branch)
        result["service_id"] = service.id if service else False
        result["employee_id"] = employee.id if employee else False

        intent, confidence = self._randevu_intent(folded, result)
        if service and service_score < 100:
            confidence *= 0.9 + (service_score - SERVICE_THRESHOLD) / (100 - SERVICE_THRESHOLD) * 0.1
        faq, faq_score = self.env["randevu.assistant.faq"]._randevu_match(folded, branch, lang, LANG_CODES[lang])
        if faq and self._randevu_faq_wins(folded, intent, confidence, result):
            intent, confidence = "faq", 0.9 if faq_score >= 90 else 0.8
            result["faq_id"] = faq.id
        result["intent"] = intent
        result["confidence"] = round(confidence, 2)
        return result

    # Built-in intents an FAQ entry never overrides: a person asked for (or a complaint), and
    # the questions answered from the branch's own data (opening hours, address, prices).
    FAQ_YIELDS_TO = ("human", "hours", "address", "price")

    @api.model
    def _randevu_faq_wins(self, folded, intent, confidence, result):
        """Whether a message matching an FAQ entry is that FAQ rather than `intent`: not a
        built-in question or a request for a person, not a bare reminder reply ("1",
        "evet"), and not an action on a service it names ("saç kesimi iptal"); it wins over
        a booking inferred from a date alone ("yarın otopark var mı") and over a booking or
        cancelling word without a service ("can I bring my kid to the appointment",
        "iptal koşullarınız neler")."""
        if intent in self.FAQ_YIELDS_TO or folded.strip(" .!?") in intents.REMINDER_REPLIES:
            return False
        if intent in ("unknown", "greeting") or confidence <= 0.6:
            return True
        return not result["service_id"]

    # ------------------------------------------------------------------ answers
    READ_ONLY_INTENTS = ("hours", "address", "price", "availability", "faq")

    @api.model
    def _randevu_answer(self, conversation, text, now=None):
        """Answer `text`, the customer's message on `conversation`: at a branch where the
        assistant acts, through the dialogue (randevu_assistant_dialogue.py); otherwise when
        it is a read-only question (opening hours, address, price, free times) the assistant
        can answer; the answer goes to the customer on the conversation's channel. Returns
        whether it answered (otherwise the message waits for a person)."""
        branch = conversation.company_id
        # The branch's company: its SMS provider sends the answer (a note has no record company).
        conversation = conversation.with_company(branch)
        if branch.randevu_assistant_acts:
            return self._randevu_dialogue(conversation, text, now=now)
        # The language is the message's: a customer's partner language is Odoo's default
        # unless someone set it; a short message ("otopark?") is read in the conversation's
        # when the dialogue set one.
        lang = conversation.assistant_lang if len(text.split()) <= 2 else None
        understood = self.understand(text, branch, now=now, lang=lang)
        return self._randevu_answer_question(conversation, understood, now)

    @api.model
    def _randevu_answer_question(self, conversation, understood, now=None):
        """Answer a read-only question understood (hours, address, price, availability);
        False when it is none or has no answer."""
        if understood["intent"] not in self.READ_ONLY_INTENTS or understood["confidence"] < 0.6:
            return False
        branch = conversation.company_id
        speaker = self.with_context(lang=LANG_CODES[understood["lang"]])
        answer = getattr(speaker, f"_randevu_answer_{understood['intent']}")(branch, understood, now)
        if not answer:
            return False
        self._randevu_say(conversation, answer)
        conversation._message_log(
            body=self.env._("The assistant answered (%(intent)s).", intent=understood["intent"]),
        )
        return True

    @api.model
    def _randevu_say(self, conversation, text, choices=None):
        """Send `text` to the customer on the conversation's channel, logged in the chat as
        a note (no email to the followers); a refusal raises and the caller's savepoint
        drops the note (and whatever the assistant did with it). `choices` (id, title,
        description) go on WhatsApp as reply buttons or a list (the numbered `text` is their
        body, and all that SMS and Instagram get)."""
        message = conversation.with_context(randevu_inbound=True)._message_log(
            body=plaintext2html(text), author_id=conversation.company_id.partner_id.id
        )
        if conversation.channel == "sms":
            conversation._randevu_send_sms_reply(text, message)
        elif conversation.channel == "instagram":
            conversation._randevu_send_instagram_reply(text)
        else:
            # The list's button in the customer's language (the speaker's).
            conversation.with_context(lang=self.env.lang)._randevu_send_reply(text, choices=choices)
        return message

    def _randevu_answer_hours(self, branch, understood, now):
        day_names = get_day_names("wide", locale=self.env.lang or "en_US")
        # Superuser: opening hours are public facts of the branch.
        calendar = branch.sudo().resource_calendar_id
        lines = []
        for weekday in range(7):
            periods = sorted(
                (att.hour_from, att.hour_to)
                for att in calendar.attendance_ids
                if not att.display_type and att.day_period != "lunch" and int(att.dayofweek) == weekday
            )
            if periods:
                hours = ", ".join(f"{_hhmm(start)}-{_hhmm(stop)}" for start, stop in periods)
                lines.append(f"{day_names[weekday]}: {hours}")
        if not lines:
            return False
        return self.env._("Our opening hours:\n%(hours)s", hours="\n".join(lines))

    def _randevu_answer_faq(self, branch, understood, now):
        # Superuser: the entry's answer is for any customer of the branch (the worker answers).
        entry = self.env["randevu.assistant.faq"].sudo().browse(understood["faq_id"]).exists()
        if not entry or entry.company_id != branch:
            return False
        return entry.with_context(lang=self.env.lang).answer

    def _randevu_answer_address(self, branch, understood, now):
        # Superuser: the branch's address is public; the customer's conversation is answered by the worker.
        address = branch.sudo().partner_id._display_address(without_company=True).strip()
        if not address:
            return False
        return self.env._("Our address:\n%(address)s", address=address)

    def _randevu_answer_price(self, branch, understood, now):
        services = self.env["product.template"].browse(understood["service_id"] or [])
        if not services:
            services = self._randevu_services(branch).filtered("randevu_online")[:10]
        if not services:
            return False
        lines = [
            f"{service.name}: {format_amount(self.env, service.list_price, service.currency_id)}"
            for service in services.with_context(lang=self.env.lang)
        ]
        return self.env._("Our prices:\n%(prices)s", prices="\n".join(lines))

    def _randevu_answer_availability(self, branch, understood, now):
        if not understood["service_id"] or not understood["date"]:
            return False  # one question at a time comes in the next slice: a person asks
        service = self.env["product.template"].browse(understood["service_id"]).with_context(lang=self.env.lang)
        staff = self.env["hr.employee"].browse(understood["employee_id"] or [])
        start, end = branch._randevu_day_bounds(understood["date"])
        slots = self.env["randevu.availability"].find_slots(service, branch, start, end, staff=staff or None, now=now)
        times = []
        for slot in slots:
            local = branch._randevu_to_local(slot["start"])
            hhmm = local.strftime("%H:%M")
            part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
            if understood["part_of_day"] and part != understood["part_of_day"] and not understood["time"]:
                continue
            if hhmm not in times:
                times.append(hhmm)
        day = understood["date"].strftime("%d/%m")
        if understood["time"] and understood["time"] in times:
            return self.env._(
                "%(time)s on %(day)s is free for %(service)s.", time=understood["time"], day=day, service=service.name
            )
        if not times:
            return self.env._("No free time for %(service)s on %(day)s.", service=service.name, day=day)
        return self.env._(
            "Free times for %(service)s on %(day)s: %(times)s",
            service=service.name,
            day=day,
            times=", ".join(times[:8]),
        )

    # ------------------------------------------------------------------ helpers
    @api.model
    def _randevu_local_now(self, branch, now=None):
        """The naive local wall time at `branch` of `now` (naive UTC or aware)."""
        now = now or fields.Datetime.now()
        if now.tzinfo is None:
            now = now.replace(tzinfo=ZoneInfo("UTC"))
        return now.astimezone(ZoneInfo(branch._randevu_branch_tz())).replace(tzinfo=None)

    @api.model
    def _randevu_opening_test(self, branch, day=None):
        """A function telling whether `branch` is open at a whole hour, on `day`'s weekday
        (any day when `day` is None), from its opening-hours calendar; 08:00-20:00 when it
        has none."""
        # Superuser: opening hours are public facts of the branch; the assistant may run
        # for a customer through a cron.
        calendar = branch.sudo().resource_calendar_id
        periods = [
            (att.hour_from, att.hour_to)
            for att in calendar.attendance_ids
            if not att.display_type
            and att.day_period != "lunch"
            and (day is None or int(att.dayofweek) == day.weekday())
        ]
        if not calendar:
            periods = [(8.0, 20.0)]

        def is_open(hour):
            return any(start <= hour < stop for start, stop in periods)

        return is_open

    @api.model
    def _randevu_intent(self, folded, result):
        stripped = folded.strip(" .!?")
        if stripped in intents.REMINDER_REPLIES:
            return intents.REMINDER_REPLIES[stripped], 0.95
        found = [intent for intent, _lang in intents.intents_found(folded)]
        if found:
            intent = found[0]
            strong = [name for name in found if name not in ("greeting", "confirm", "decline")]
            confidence = 0.9 if len(set(strong)) <= 1 else 0.8
            if intent in ("confirm", "decline") and len(stripped.split()) > 6:
                confidence = 0.7
            if intent == "greeting" and (result["service_id"] or result["date"] or result["time"]):
                return "book", 0.6
            return intent, confidence
        if result["service_id"] or result["date"] or result["time"]:
            return "book", 0.6
        return "unknown", 0.1

    @api.model
    def _randevu_services(self, branch):
        return self.env["product.template"].search(
            [("is_appointment_service", "=", True), ("company_id", "in", [False, branch.id])]
        )

    @api.model
    def _randevu_match_service(self, folded, branch, lang):
        """(service, score 0-100) best matching the folded message, over each service's name
        in the message's language and in English, and its synonyms; (None, 0) below the
        threshold."""
        words = re.findall(r"[\w']+", folded.replace("'", " "))
        services = self._randevu_services(branch)
        codes = {LANG_CODES[lang], "en_US"}
        best, best_score = None, 0
        phrases = {}
        for code in codes:
            for service in services.with_context(lang=code):
                names = [service.name, *(service.randevu_synonyms or "").split(",")]
                phrases.setdefault(service.id, set()).update(fold(name, lang).strip() for name in names if name.strip())
        for service in services:
            for phrase in phrases.get(service.id, ()):
                score = _phrase_score(phrase.split(), words)
                if score > best_score:
                    best, best_score = service, score
        if best_score < SERVICE_THRESHOLD:
            return None, 0
        return best, best_score

    @api.model
    def _randevu_match_employee(self, folded, branch):
        """The branch's bookable staff member whose first name the message names."""
        words = re.findall(r"\w+", folded)
        # Superuser: receptionists, portal and the cron's customers may not read hr.employee;
        # only the id of the staff member named is returned.
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("randevu_bookable", "=", True),
                    "|",
                    ("company_id", "=", branch.id),
                    ("randevu_branch_ids", "in", branch.ids),
                ]
            )
        )
        best, best_score = None, 0
        for employee in employees:
            first = fold(employee.name).split()[0] if employee.name else ""
            if not first:
                continue
            for word in words:
                if word == first:
                    score = 100
                elif word.startswith(first) and _NAME_SUFFIX.match(word[len(first) :]):
                    score = 99
                elif len(first) >= 5 and len(word) >= 4:
                    score = fuzz.ratio(first, word)
                else:
                    score = 0
                if score > best_score:
                    best, best_score = employee, score
        if best_score < STAFF_THRESHOLD:
            return None
        return self.env["hr.employee"].browse(best.id)


def _hhmm(hours):
    return f"{int(hours):02d}:{round(hours % 1 * 60):02d}"


def _word_score(expected, word):
    if word == expected:
        return 100
    # Turkish endings: "manikür" in "manikürü", "kesimi" in "kesimine"
    if len(expected) >= 4 and word.startswith(expected) and len(word) - len(expected) <= 4:
        return 100
    if len(expected) <= 3:
        return 0
    return fuzz.ratio(expected, word)


def _phrase_score(expected_words, words):
    """The best score of `expected_words` against any run of as many consecutive words."""
    size = len(expected_words)
    if not size or len(words) < size:
        return 0
    best = 0
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        score = sum(_word_score(exp, word) for exp, word in zip(expected_words, window, strict=True)) / size
        best = max(best, score)
    return best
