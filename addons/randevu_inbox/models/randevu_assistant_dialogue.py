# ruff: noqa: RUF002, RUF003 (Turkish dotless i)
import re
import secrets
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL, consteq, format_amount, plaintext2html
from odoo.tools import hmac as hmac_tool

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES
from odoo.addons.randevu_calendar.exceptions import BookingRefused, ChangeRefused, SlotUnavailable

from ..tools.casefold import fold
from .randevu_assistant import LANG_CODES

# How many numbered choices the assistant offers at a time.
MAX_CHOICES = 6
# Words that make a request for a person a complaint (folded, any language).
_COMPLAINT = re.compile(
    r"sikayet|rezalet|berbat|memnun (?:kalmadim|degilim)|complain|terrible|unacceptable|disappointed|not happy|"
    r"plainte|reclamation|inacceptable|decu|pas content|pas satisfait|scandaleux"
)
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
# The word naming the customer's appointment in a request to move it: what follows it is the
# new day or time ("yarınki randevumu perşembeye alalım", "move my appointment to 5pm").
_APPOINTMENT_WORD = re.compile(r"randevu\w*|appointment\w*|booking|rendez[- ]vous|rdv", re.IGNORECASE)
# "randevumu" (my appointment, as the object): "randevumu perşembeye alabilir miyiz" reads as
# a booking ("randevu al-") to the parser, and is a move of the customer's own appointment.
_MY_APPOINTMENT_MOVED = re.compile(r"\brandevu(?:mu|muzu)\b")
# A phone number in a message ("+90 532 123 45 67"), and a one-time code ("123456", "123 456").
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_CODE = re.compile(r"^\D*(\d{3})\s?(\d{3})\D*$")
# An email address in a message ("ayse@example.com").
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The one-time code that lets another number act on a customer's appointments, and how long
# what it allowed lasts (a receptionist may clear it sooner).
CODE_MINUTES = 10
CODE_ATTEMPTS = 3
VERIFIED_HOURS = 24
# Pending requests that choose a time (the numbered list, a time, a confirmation).
_TIMED = ("book", "reschedule")
# The ids of the WhatsApp reply buttons and list rows the assistant sends: a choice of its
# list (CHOICE_PREFIX + what `assistant_proposals` holds), yes and no to a confirmation.
CHOICE_PREFIX = "randevu:choice:"
CONFIRM_IDS = {"yes": "randevu:yes", "no": "randevu:no"}
# The words the dialogue reads as a yes or a no, in the conversation's language.
CONFIRM_WORDS = {"yes": {"tr": "evet", "en": "yes", "fr": "oui"}, "no": {"tr": "hay\u0131r", "en": "no", "fr": "non"}}
# The reply buttons of a reminder sent within the 24-hour window, and the words they are read
# as (a reminder's own replies: "evet", "değiştir", "iptal"), in the conversation's language.
REMINDER_IDS = {
    "confirm": "randevu:reminder:confirm",
    "change": "randevu:reminder:change",
    "cancel": "randevu:reminder:cancel",
}
REMINDER_WORDS = {
    "confirm": CONFIRM_WORDS["yes"],
    "change": {"tr": "de\u011fi\u015ftir", "en": "change", "fr": "changer"},
    "cancel": {"tr": "iptal", "en": "cancel", "fr": "annuler"},
}
# Where an appointment booked in a conversation comes from (the appointment's source).
SOURCES = {"whatsapp": "whatsapp", "instagram": "instagram", "sms": "phone"}


class RandevuAssistant(models.AbstractModel):
    """The assistant's dialogue that acts (issue 14, second slice), deterministic: books in
    a few messages (asks for what is missing one question at a time, offers the engine's
    free times as a numbered list, asks an explicit yes, books through the core's booking
    service), cancels the customer's next appointment within the branch's policy, hands
    the conversation over to a person and stays silent until it is handed back. Its state
    is kept on the conversation (`assistant_*` fields)."""

    _inherit = "randevu.assistant"

    @api.model
    def _randevu_dialogue(self, conversation, text, now=None):
        """Answer the customer's message `text` on `conversation` (of a branch where the
        assistant acts). Returns whether the assistant answered; False leaves the message
        to a person (handed over, or nothing the assistant does)."""
        # One message of a conversation at a time: two workers answering two messages of the
        # same customer at once would both act on the same pending request (two bookings);
        # the second waits here, before sending anything, then fails to serialize and is
        # answered again on what the first left.
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM randevu_conversation WHERE id = %s FOR NO KEY UPDATE", conversation.id))
        conversation.invalidate_recordset()
        if conversation.assistant_handover:
            return False  # silent until a person hands the conversation back
        branch = conversation.company_id
        # A short reply ("2", "evet", "14:00") or one without words (a phone number) is read
        # in the conversation's language; a longer message tells its own.
        short = len(text.split()) <= 2 or not re.search(r"[^\W\d_]", text)
        lang = conversation.assistant_lang if short else None
        understood = self.understand(text, branch, now=now, lang=lang)
        conversation._randevu_set_lang(understood["lang"])
        speaker = self.with_context(lang=LANG_CODES[understood["lang"]])
        return speaker._randevu_dialogue_step(conversation, text, understood, now)

    @api.model
    def _randevu_dialogue_step(self, conversation, text, understood, now):
        intent, sure = understood["intent"], understood["confidence"] >= 0.6
        pending, step = conversation.assistant_intent, conversation.assistant_step
        number = _NUMBER.match(text)
        if (
            intent == "book"
            and pending != "book"
            and (understood["date"] or understood["time"])
            and _MY_APPOINTMENT_MOVED.search(fold(text, understood["lang"]))
        ):
            intent = "reschedule"
        if pending in ("cancel", "reschedule") and step == "identify":
            return self._randevu_identify(conversation, text)
        if pending in ("cancel", "reschedule") and step == "code":
            if intent == "decline" and not _CODE.match(text):
                return self._randevu_drop(conversation)
            return self._randevu_check_code(conversation, text)
        if intent == "human" and sure:
            reason = "complaint" if _COMPLAINT.search(fold(text, understood["lang"])) else "request"
            return self._randevu_hand_over(conversation, reason)
        threshold = conversation.company_id.randevu_assistant_min_confidence
        if not pending and intent != "unknown" and understood["confidence"] < threshold:
            # A new request the assistant is not sure enough of: a person reads it (what was
            # understood and how sure, in the note); not understood at all is asked again first.
            return self._randevu_hand_over(conversation, "low_confidence", understood=understood)
        if pending and step == "confirm" and intent == "confirm" and not (number and pending in _TIMED):
            self._randevu_understood(conversation)
            if pending == "book":
                return self._randevu_book_confirmed(conversation)
            if pending == "reschedule":
                return self._randevu_reschedule_confirmed(conversation)
            return self._randevu_cancel_confirmed(conversation)
        if pending and step == "confirm" and intent == "decline":
            return self._randevu_drop(conversation)
        if pending in _TIMED and intent in ("cancel", "decline") and not number:
            return self._randevu_drop(conversation)
        if pending in _TIMED and step in ("service", "slot", "confirm") and number:
            return self._randevu_choose(conversation, int(number.group(1)))
        if pending in _TIMED and step in ("slot", "confirm") and understood["time"] and not understood["date"]:
            self._randevu_understood(conversation)
            conversation.assistant_time = understood["time"]
            return self._randevu_book_next(conversation, understood)
        if intent == "confirm" and not pending:
            replied = self._randevu_replied_appointment(conversation)
            if replied:
                self._randevu_understood(conversation)
                return self._randevu_reminder_confirmed(conversation, replied)
        if intent == "cancel" and sure and pending != "book":
            self._randevu_understood(conversation)
            return self._randevu_cancel_start(conversation, text)
        if intent == "reschedule" and sure and pending != "book":
            self._randevu_understood(conversation)
            return self._randevu_reschedule_start(conversation, text, understood, now)
        if (
            pending == "reschedule"
            and intent not in ("cancel", "decline")
            and (understood["date"] or understood["time"])
        ):
            self._randevu_understood(conversation)
            return self._randevu_reschedule_merge(conversation, understood)
        if intent == "book" or (
            pending == "book"
            and intent not in ("decline", "cancel", "reschedule")
            and (understood["service_id"] or understood["date"] or understood["time"])
        ):
            self._randevu_understood(conversation)
            return self._randevu_book_merge(conversation, understood)
        if intent in self.READ_ONLY_INTENTS and sure:
            self._randevu_understood(conversation)
            return self._randevu_answer_question(conversation, understood)
        if intent == "unknown" or not sure or pending:
            return self._randevu_misunderstood(conversation)
        # Anything else (a greeting, a reschedule, a reply to a reminder with nothing pending)
        # is a person's, for now; an FAQ is answered above with the read-only questions.
        self._randevu_understood(conversation)
        return False

    @api.model
    def _randevu_staff_env(self, conversation):
        """The environment the notes for the branch's people are written in: the branch's
        language (the customer's answers are in the conversation's)."""
        return self.env(context=dict(self.env.context, lang=conversation.company_id.partner_id.lang or "en_US"))

    @api.model
    def _randevu_channel_label(self, conversation):
        """The conversation's channel as the branch's people read it."""
        staff_env = self._randevu_staff_env(conversation)
        return dict(conversation._fields["channel"]._description_selection(staff_env))[conversation.channel]

    @api.model
    def _randevu_note(self, conversation, text, appointment=None, appointment_text=None):
        """What the assistant did, for the branch's people: `text` noted in the
        conversation, `appointment_text` in the appointment's chatter (texts translated in
        the branch's language by the caller)."""
        if appointment is not None and appointment_text:
            appointment._message_log(body=plaintext2html(appointment_text))
        if text:
            conversation._message_log(body=plaintext2html(text))

    # ------------------------------------------------------------------ understanding
    @api.model
    def _randevu_understood(self, conversation):
        if conversation.assistant_misunderstandings:
            conversation.assistant_misunderstandings = 0

    @api.model
    def _randevu_misunderstood(self, conversation):
        """Say so and ask again; the second time in a row, hand over to a person."""
        count = conversation.assistant_misunderstandings + 1
        conversation.assistant_misunderstandings = count
        if count >= 2:
            return self._randevu_hand_over(conversation, "misunderstood")
        question = {
            "service": self.env._("Please reply with the number of the service."),
            "day": self.env._("Which day would you like to come?"),
            "slot": self.env._("Please reply with the number of a time, or the time itself (e.g. 14:00)."),
            "confirm": self.env._('Please reply "yes" to confirm, or "no".'),
        }.get(conversation.assistant_step) or self.env._(
            "I can book or cancel an appointment, and tell you our opening hours, address and prices."
        )
        self._randevu_say(conversation, self.env._("Sorry, I did not understand.") + " " + question)
        return True

    @api.model
    def _randevu_hand_over(self, conversation, reason, understood=None):
        """Mark the conversation waiting for a person (with why), tell the customer, and
        stay silent until a person hands it back. With `understood` (a low confidence),
        the note says what the assistant understood and how sure it was."""
        conversation.write(
            {
                "assistant_handover": True,
                "assistant_handover_reason": reason,
                "assistant_misunderstandings": 0,
                **conversation._assistant_cleared(),
            }
        )
        self._randevu_say(conversation, self.env._("A person from our team will answer you here shortly."))
        reasons = dict(
            conversation._fields["assistant_handover_reason"]._description_selection(
                self._randevu_staff_env(conversation)
            )
        )
        staff_env = self._randevu_staff_env(conversation)
        note = staff_env._(
            "The assistant handed the conversation over to a person: %(reason)s.", reason=reasons[reason]
        )
        if understood:
            confidence = format(understood["confidence"], ".2f")
            threshold = format(conversation.company_id.randevu_assistant_min_confidence, ".2f")
            note += " " + staff_env._(
                "It understood %(intent)s with a confidence of %(confidence)s, below the branch's threshold "
                "of %(threshold)s.",
                intent=understood["intent"],
                confidence=confidence,
                threshold=threshold,
            )
            conversation.assistant_handover_detail = note
        self._randevu_note(conversation, note)
        # Sending the message cleared it: the customer waits for a person.
        conversation.waiting = True
        return False

    @api.model
    def _randevu_drop(self, conversation):
        intent = conversation.assistant_intent
        conversation.write(conversation._assistant_cleared())
        if intent in ("cancel", "reschedule"):
            self._randevu_say(conversation, self.env._("All right, your appointment is kept."))
        else:
            self._randevu_say(conversation, self.env._("All right, nothing is booked."))
        return True

    # ------------------------------------------------------------------ booking
    @api.model
    def _randevu_booking(self):
        # Superuser: the booking service is called as superuser by every channel (its
        # docstring); the assistant acts for a customer, who may read no branch data.
        return self.env["randevu.booking.service"].sudo()

    @api.model
    def _randevu_book_merge(self, conversation, understood):
        """Keep what the message says of the booking, then ask for what is missing."""
        values = {"assistant_intent": "book"}
        if conversation.assistant_intent != "book":
            values.update(conversation._assistant_cleared(), assistant_intent="book")
        if understood["service_id"]:
            values["assistant_service_id"] = understood["service_id"]
        if understood["employee_id"]:
            values["assistant_employee_id"] = understood["employee_id"]
        if understood["date"]:
            values.update(assistant_date=understood["date"], assistant_time=False)
        if understood["time"]:
            values["assistant_time"] = understood["time"]
        conversation.write(values)
        return self._randevu_book_next(conversation, understood)

    @api.model
    def _randevu_book_next(self, conversation, understood=None):
        """Ask the next question of a booking: the service, the day, a time (the engine's
        free times), then the confirmation."""
        branch = conversation.company_id
        service = conversation.assistant_service_id.with_context(lang=self.env.lang)
        if not service:
            services = self._randevu_services(branch).filtered("randevu_online")[:MAX_CHOICES]
            if not services:
                return self._randevu_hand_over(conversation, "no_time")
            conversation.write(
                {"assistant_step": "service", "assistant_proposals": ",".join(str(s.id) for s in services)}
            )
            lines = [
                f"{index}. {name}"
                for index, name in enumerate(services.with_context(lang=self.env.lang).mapped("name"), 1)
            ]
            self._randevu_say(
                conversation,
                self.env._(
                    "Which service would you like? Reply with its number:\n%(services)s", services="\n".join(lines)
                ),
                choices=[
                    (f"{CHOICE_PREFIX}{service.id}", service.name, False)
                    for service in services.with_context(lang=self.env.lang)
                ],
            )
            return True
        day = conversation.assistant_date
        # Moving an appointment: its own time counts as free.
        moved = (conversation.assistant_intent == "reschedule" and conversation.assistant_appointment_id) or None
        if not day:
            conversation.assistant_step = "day"
            if moved:
                question = self.env._("Which day would you like to move your %(service)s to?", service=service.name)
            else:
                question = self.env._("Which day would you like to come for %(service)s?", service=service.name)
            self._randevu_say(conversation, question)
            return True
        staff = conversation.assistant_employee_id
        booking = self._randevu_booking()
        if conversation.assistant_time:
            hour, minute = map(int, conversation.assistant_time.split(":"))
            start = branch._randevu_clock().to_utc(datetime.combine(day, time(hour, minute)))
            slot, _problem = booking._start_check(branch, service, staff, start, exclude=moved)
            if slot:
                return self._randevu_ask_confirmation(conversation, start)
            alternatives, _same_staff = booking._alternatives(branch, service, staff, start, count=3)
            return self._randevu_offer(
                conversation,
                [slot["start"] for slot in alternatives],
                self.env._(
                    "%(time)s on %(day)s is not free for %(service)s. The nearest free times:",
                    time=conversation.assistant_time,
                    day=booking._day_labels(day)[2],
                    service=service.name,
                ),
            )
        part = understood and understood["part_of_day"]
        starts = self._randevu_free_starts(branch, service, staff, day, part, exclude=moved)
        intro = self.env._(
            "Free times for %(service)s on %(day)s:", service=service.name, day=booking._day_labels(day)[2]
        )
        if not starts:
            days, _more = booking._bookable_days(
                branch, service, staff, first_day=day + timedelta(days=1), count=1, exclude=moved
            )
            if days:
                starts = self._randevu_free_starts(branch, service, staff, days[0], None, exclude=moved)
                intro = self.env._(
                    "No free time for %(service)s on %(day)s. Free times on %(next)s:",
                    service=service.name,
                    day=booking._day_labels(day)[2],
                    next=booking._day_labels(days[0])[2],
                )
        return self._randevu_offer(conversation, starts, intro)

    @api.model
    def _randevu_free_starts(self, branch, service, staff, day, part_of_day, exclude=None):
        """Up to MAX_CHOICES free start times (naive UTC) of `service` on the local `day`
        a customer may book now, on the whole hour when there are such, in `part_of_day`
        (the time of `exclude`, an appointment being moved, counts as free)."""
        booking = self._randevu_booking()
        earliest = branch._randevu_online_window()[0]
        starts = []
        for slot in booking._day_slots(branch, service, staff or None, day, exclude=exclude):
            local = branch._randevu_to_local(slot["start"])
            part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
            if slot["start"] < earliest or (part_of_day and part != part_of_day) or slot["start"] in starts:
                continue
            starts.append(slot["start"])
        on_the_hour = [start for start in starts if branch._randevu_to_local(start).minute == 0]
        return sorted(on_the_hour or starts)[:MAX_CHOICES]

    @api.model
    def _randevu_offer(self, conversation, starts, intro):
        """Offer `starts` as a numbered list (the customer answers with a number or a time)."""
        branch = conversation.company_id
        if not starts:
            conversation.write({"assistant_step": "day", "assistant_time": False, "assistant_proposals": False})
            self._randevu_say(conversation, self.env._("I found no free time then. Which other day would suit you?"))
            return True
        booking = self._randevu_booking()
        conversation.write(
            {
                "assistant_step": "slot",
                "assistant_slot_start": False,
                "assistant_proposals": ",".join(fields.Datetime.to_string(start) for start in starts),
            }
        )
        labels = [booking._when_label(branch, start) for start in starts]
        lines = [f"{index}. {label}" for index, label in enumerate(labels, 1)]
        self._randevu_say(
            conversation,
            "\n".join(
                [intro, *lines, self.env._("Reply with the number of the time you want (or the time, e.g. 14:00).")]
            ),
            choices=[
                (f"{CHOICE_PREFIX}{fields.Datetime.to_string(start)}", self._randevu_short_when(branch, start), label)
                for start, label in zip(starts, labels, strict=True)
            ],
        )
        return True

    @api.model
    def _randevu_short_when(self, branch, start):
        """ "14:00 · Tue 8 Dec": a time offered as a WhatsApp button or list row (its time
        first, so that a title cut to Meta's limit keeps it)."""
        booking = self._randevu_booking()
        weekday, short_date, _long = booking._day_labels(branch._randevu_local_day(start))
        return f"{booking._time_label(branch, start)} · {weekday} {short_date}"

    @api.model
    def _randevu_choose(self, conversation, number):
        """The customer answered the numbered list with `number`."""
        proposals = (conversation.assistant_proposals or "").split(",")
        if not 1 <= number <= len(proposals) or not proposals[0]:
            return self._randevu_misunderstood(conversation)
        self._randevu_understood(conversation)
        chosen = proposals[number - 1]
        if conversation.assistant_step == "service":
            conversation.write({"assistant_service_id": int(chosen), "assistant_proposals": False})
            return self._randevu_book_next(conversation)
        return self._randevu_ask_confirmation(conversation, fields.Datetime.to_datetime(chosen))

    @api.model
    def _randevu_ask_confirmation(self, conversation, start):
        branch = conversation.company_id
        booking = self._randevu_booking()
        local = branch._randevu_to_local(start)
        conversation.write(
            {
                "assistant_step": "confirm",
                "assistant_slot_start": start,
                "assistant_date": local.date(),
                "assistant_time": local.strftime("%H:%M"),
            }
        )
        service = conversation.assistant_service_id.with_context(lang=self.env.lang)
        staff = conversation.assistant_employee_id
        moved = conversation.assistant_intent == "reschedule" and conversation.assistant_appointment_id
        if moved:
            question = self.env._(
                'Shall I move your %(service)s from %(old)s to %(when)s? Reply "yes" to confirm.',
                service=service.name,
                old=booking._when_label(branch, moved.start),
                when=booking._when_label(branch, start),
            )
        elif staff:
            question = self.env._(
                'Shall I book %(service)s with %(staff)s on %(when)s? Reply "yes" to confirm.',
                service=service.name,
                staff=staff.name.split()[0],
                when=booking._when_label(branch, start),
            )
        else:
            question = self.env._(
                'Shall I book %(service)s on %(when)s? Reply "yes" to confirm.',
                service=service.name,
                when=booking._when_label(branch, start),
            )
        self._randevu_say(
            conversation,
            question,
            choices=[(CONFIRM_IDS["yes"], self.env._("Yes"), False), (CONFIRM_IDS["no"], self.env._("No"), False)],
        )
        return True

    @api.model
    def _randevu_book_confirmed(self, conversation):
        """The customer said yes: book through the core's booking service; a time taken
        meanwhile gets the nearest alternatives."""
        branch = conversation.company_id
        service = conversation.assistant_service_id.with_context(lang=self.env.lang)
        staff = conversation.assistant_employee_id
        start = conversation.assistant_slot_start
        booking = self._randevu_booking()
        try:
            appointment = booking._book(
                branch,
                service,
                staff,
                start,
                {},
                partner=conversation.partner_id,
                source=SOURCES.get(conversation.channel, "whatsapp"),
            )
        except BookingRefused as refusal:
            conversation.write(conversation._assistant_cleared())
            self._randevu_say(conversation, str(refusal.args[0]))
            return True
        except SlotUnavailable:
            alternatives, _same_staff = booking._alternatives(branch, service, staff, start, count=3)
            earliest = branch._randevu_online_window()[0]
            return self._randevu_offer(
                conversation,
                [slot["start"] for slot in alternatives if slot["start"] >= earliest],
                self.env._("Sorry, this time was just taken. The nearest free times:"),
            )
        when = booking._when_label(branch, appointment.start)
        conversation.write(conversation._assistant_cleared())
        confirmation = self.env._(
            "Booked: %(service)s on %(when)s with %(staff)s. See you soon!",
            service=service.name,
            when=when,
            staff=appointment.employee_id.name.split()[0],
        )
        # A deposit due (randevu_account): the booking is held until it is paid.
        link = appointment._randevu_payment_link()
        if link:
            confirmation += "\n" + self.env._(
                "A deposit of %(amount)s is due: please pay it within %(minutes)s minutes to keep this time: %(link)s",
                amount=format_amount(self.env, appointment.randevu_deposit_due, appointment.currency_id),
                minutes=branch.randevu_hold_minutes,
                link=link,
            )
        self._randevu_say(conversation, confirmation)
        staff_env = self._randevu_staff_env(conversation)
        self._randevu_note(
            conversation,
            staff_env._(
                "The assistant booked %(appointment)s (%(when)s).", appointment=appointment.display_name, when=when
            ),
            appointment,
            staff_env._(
                "Booked by the assistant in the customer's %(channel)s conversation, after their confirmation.",
                channel=self._randevu_channel_label(conversation),
            ),
        )
        return True

    # ------------------------------------------------------------------ cancelling
    @api.model
    def _randevu_next_appointment(self, conversation):
        """The appointment a reply is about: the one of the reminder the customer replies
        to (the reply's context), else the next appointment of the conversation's customer
        at its branch; only the customer the sender's number (or account) belongs to."""
        replied = self._randevu_replied_appointment(conversation)
        if replied:
            return replied
        # Superuser: the assistant acts for the customer, who may read only their own
        # appointments, and they are the ones searched.
        return (
            self.env["randevu.appointment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self._randevu_customers(conversation).ids),
                    ("company_id", "=", conversation.company_id.id),
                    ("state", "in", APPOINTMENT_EXPECTED_STATES),
                    ("start", ">", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )

    @api.model
    def _randevu_replied_appointment(self, conversation):
        """The appointment of the reminder this message replies to (the inbox's cron
        passes it in the context), when it is still expected and the conversation's
        customer's; else an empty recordset."""
        ident = self.env.context.get("randevu_replied_appointment_id")
        # Superuser: as _randevu_next_appointment, the customer's own appointment.
        appointment = self.env["randevu.appointment"].sudo().browse(ident or [])
        if (
            appointment.exists()
            and appointment.partner_id in self._randevu_customers(conversation)
            and appointment.company_id == conversation.company_id
            and appointment.state in APPOINTMENT_EXPECTED_STATES
            and appointment.start > fields.Datetime.now()
        ):
            return appointment
        return self.env["randevu.appointment"].sudo()

    @api.model
    def _randevu_reminder_confirmed(self, conversation, appointment):
        """The customer confirms the reminder they reply to: the appointment becomes
        *Confirmed* (when it was booked), thanked, noted in both chatters."""
        booking = self._randevu_booking()
        service = appointment.service_id.with_context(lang=self.env.lang)
        when = booking._when_label(conversation.company_id, appointment.start)
        if appointment.state == "booked":
            appointment.action_confirm()
        self._randevu_say(
            conversation,
            self.env._(
                "Thank you, your appointment for %(service)s on %(when)s is confirmed. See you soon!",
                service=service.name,
                when=when,
            ),
        )
        staff_env = self._randevu_staff_env(conversation)
        self._randevu_note(
            conversation,
            staff_env._(
                "The customer confirmed %(appointment)s (%(when)s) replying to its reminder.",
                appointment=appointment.display_name,
                when=when,
            ),
            appointment,
            staff_env._(
                "Confirmed by the customer replying to its reminder in their %(channel)s conversation.",
                channel=self._randevu_channel_label(conversation),
            ),
        )
        return True

    @api.model
    def _randevu_cancel_start(self, conversation, text=""):
        branch = conversation.company_id
        appointment = self._randevu_next_appointment(conversation)
        conversation.write(conversation._assistant_cleared())
        if not appointment:
            return self._randevu_ask_identity(conversation, "cancel", text)
        booking = self._randevu_booking()
        service = appointment.service_id.with_context(lang=self.env.lang)
        problem = booking._change_problem(appointment)
        if problem:
            self._randevu_say(
                conversation,
                problem
                + "\n"
                + self.env._("If you wish, ask for a person here and someone from our team will answer you."),
            )
            self._randevu_note(
                conversation,
                None,
                appointment,
                self._randevu_staff_env(conversation)._(
                    "The customer asked the assistant to cancel; refused: %(reason)s", reason=problem
                ),
            )
            return True
        conversation.write(
            {"assistant_intent": "cancel", "assistant_step": "confirm", "assistant_appointment_id": appointment.id}
        )
        self._randevu_say(
            conversation,
            self.env._(
                'Shall I cancel your appointment for %(service)s on %(when)s? Reply "yes" to confirm.',
                service=service.name,
                when=booking._when_label(branch, appointment.start),
            ),
        )
        return True

    @api.model
    def _randevu_cancel_confirmed(self, conversation):
        """The customer said yes: cancel through the core's booking service (its cutoff)."""
        branch = conversation.company_id
        appointment = conversation.assistant_appointment_id
        conversation.write(conversation._assistant_cleared())
        if not appointment or appointment.partner_id not in self._randevu_customers(conversation):
            return self._randevu_misunderstood(conversation)
        booking = self._randevu_booking()
        service = appointment.service_id.with_context(lang=self.env.lang)
        when = booking._when_label(branch, appointment.start)
        staff_env = self._randevu_staff_env(conversation)
        channel = self._randevu_channel_label(conversation)
        try:
            booking._cancel(
                appointment,
                reason=staff_env._("Cancelled by the customer with the assistant (%(channel)s)", channel=channel),
            )
        except ChangeRefused as refusal:
            self._randevu_say(conversation, str(refusal.args[0]))
            return True
        self._randevu_say(
            conversation,
            self.env._("Your appointment for %(service)s on %(when)s is cancelled.", service=service.name, when=when),
        )
        self._randevu_note(
            conversation,
            staff_env._(
                "The assistant cancelled %(appointment)s (%(when)s).", appointment=appointment.display_name, when=when
            ),
            appointment,
            staff_env._(
                "Cancelled by the assistant in the customer's %(channel)s conversation, after their confirmation.",
                channel=channel,
            ),
        )
        return True

    # ------------------------------------------------------------------ moving
    @api.model
    def _randevu_move_target(self, conversation, text, understood, now):
        """The new day and time a request to move says: what follows the word naming the
        appointment ("yarınki randevumu perşembeye alabilir miyiz": Thursday, not tomorrow;
        "move my appointment to 5pm": 17:00), else the whole message's."""
        match = _APPOINTMENT_WORD.search(text)
        if not match:
            return understood["date"], understood["time"], understood["part_of_day"]
        tail = text[match.end() :].strip()
        if not tail:
            return None, None, None
        target = self.understand(tail, conversation.company_id, now=now, lang=understood["lang"])
        return target["date"], target["time"], target["part_of_day"]

    @api.model
    def _randevu_reschedule_start(self, conversation, text, understood, now):
        """Move the next appointment of the conversation's customer: within the branch's
        cutoff refused (the core's message with the branch's phone, a person offered);
        else the new day asked, the free times offered, a confirmation asked."""
        appointment = self._randevu_next_appointment(conversation)
        conversation.write(conversation._assistant_cleared())
        if not appointment:
            return self._randevu_ask_identity(conversation, "reschedule", text)
        problem = self._randevu_booking()._change_problem(appointment)
        if problem:
            self._randevu_say(
                conversation,
                problem
                + "\n"
                + self.env._("If you wish, ask for a person here and someone from our team will answer you."),
            )
            self._randevu_note(
                conversation,
                None,
                appointment,
                self._randevu_staff_env(conversation)._(
                    "The customer asked the assistant to move this appointment; refused: %(reason)s", reason=problem
                ),
            )
            return True
        day, hour, part = self._randevu_move_target(conversation, text, understood, now)
        if hour and not day:
            # "to 5pm": the same day.
            day = conversation.company_id._randevu_to_local(appointment.start).date()
        conversation.write(
            {
                "assistant_intent": "reschedule",
                "assistant_appointment_id": appointment.id,
                "assistant_service_id": appointment.service_id.id,
                "assistant_date": day or False,
                "assistant_time": hour or False,
            }
        )
        return self._randevu_book_next(conversation, {"part_of_day": part})

    @api.model
    def _randevu_reschedule_merge(self, conversation, understood):
        """The customer answers the day (or another day and time) of a move."""
        values = {}
        if understood["date"]:
            values.update(assistant_date=understood["date"], assistant_time=understood["time"] or False)
        elif understood["time"]:
            values["assistant_time"] = understood["time"]
        conversation.write(values)
        return self._randevu_book_next(conversation, understood)

    @api.model
    def _randevu_reschedule_confirmed(self, conversation):
        """The customer said yes: move through the core's booking service (its cutoff,
        the engine); a time taken meanwhile gets the nearest free times."""
        branch = conversation.company_id
        appointment = conversation.assistant_appointment_id
        start = conversation.assistant_slot_start
        if not appointment or appointment.partner_id not in self._randevu_customers(conversation) or not start:
            conversation.write(conversation._assistant_cleared())
            return self._randevu_misunderstood(conversation)
        # Superuser: the customer may not write appointments; the booking service checks
        # the cutoff and the engine (the same as the customer's portal).
        appointment = appointment.sudo()
        booking = self._randevu_booking()
        service = appointment.service_id.with_context(lang=self.env.lang)
        old = booking._when_label(branch, appointment.start)
        try:
            booking._reschedule(appointment, start)
        except ChangeRefused as refusal:
            conversation.write(conversation._assistant_cleared())
            self._randevu_say(conversation, str(refusal.args[0]))
            return True
        except SlotUnavailable:
            alternatives, _same_staff = booking._alternatives(branch, service, appointment.employee_id, start, count=3)
            earliest = branch._randevu_online_window()[0]
            return self._randevu_offer(
                conversation,
                [slot["start"] for slot in alternatives if slot["start"] >= earliest],
                self.env._("Sorry, this time was just taken. The nearest free times:"),
            )
        when = booking._when_label(branch, appointment.start)
        conversation.write(conversation._assistant_cleared())
        self._randevu_say(
            conversation,
            self.env._(
                "Moved: your %(service)s is now on %(when)s with %(staff)s. See you soon!",
                service=service.name,
                when=when,
                staff=appointment.employee_id.name.split()[0],
            ),
        )
        staff_env = self._randevu_staff_env(conversation)
        self._randevu_note(
            conversation,
            staff_env._(
                "The assistant moved %(appointment)s from %(old)s to %(when)s.",
                appointment=appointment.display_name,
                old=old,
                when=when,
            ),
            appointment,
            staff_env._(
                "Moved by the assistant from %(old)s in the customer's %(channel)s conversation, "
                "after their confirmation.",
                old=old,
                channel=self._randevu_channel_label(conversation),
            ),
        )
        return True

    # ------------------------------------------------------------------ verifying another number
    @api.model
    def _randevu_customers(self, conversation):
        """The customers whose appointments this conversation may move or cancel: the
        sender's own, and the one who confirmed it with a one-time code (for VERIFIED_HOURS)."""
        until = conversation.assistant_verified_until
        if until and fields.Datetime.now() < until:
            return conversation.partner_id | conversation.assistant_verified_partner_id
        return conversation.partner_id

    @api.model
    def _randevu_code_hash(self, conversation, code):
        # Keyed with the database secret and the conversation: a code is worth nothing
        # elsewhere, and the stored hash cannot be reversed by trying the million codes.
        return hmac_tool(self.env(su=True), "randevu_inbox.assistant_code", f"{conversation.id}|{code}")

    @api.model
    def _randevu_ask_identity(self, conversation, intent, text):
        """No upcoming appointment of the sender: a phone number in the message (or the
        next one) naming another customer's appointment gets a one-time code sent to that
        customer; anything else goes to a person."""
        if self._randevu_claimed_customer(conversation, text):
            conversation.write({"assistant_intent": intent, "assistant_step": "identify"})
            return self._randevu_identify(conversation, text)
        conversation.write({"assistant_intent": intent, "assistant_step": "identify"})
        self._randevu_say(
            conversation,
            self.env._(
                "I find no upcoming appointment booked with this number. If it was booked with another phone "
                "number or an email address, send it to me: I will send a code to check it is yours."
            ),
        )
        return True

    @api.model
    def _randevu_claimed_customer(self, conversation, text):
        """The customer with an upcoming appointment at the branch whose phone number or
        email address the message gives (another number's), or an empty recordset."""
        email = _EMAIL.search(text)
        if email:
            who = [("partner_id.email_normalized", "=", email.group(0).lower())]
        else:
            match = _PHONE.search(text)
            phone = match and self._randevu_booking()._normalized_phone(conversation.company_id, match.group(0))
            if not phone:
                return self.env["res.partner"]
            who = [("partner_id.phone_sanitized", "=", phone)]
        # Superuser: the customer's appointments are searched to verify them, never shown.
        appointment = (
            self.env["randevu.appointment"]
            .sudo()
            .search(
                [
                    *who,
                    ("company_id", "=", conversation.company_id.id),
                    ("state", "in", APPOINTMENT_EXPECTED_STATES),
                    ("start", ">", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )
        return appointment.partner_id

    @api.model
    def _randevu_identify(self, conversation, text):
        """Send the one-time code to the customer the message names, valid CODE_MINUTES,
        stored hashed: by SMS to their phone (through the branch's SMS provider), or by
        email when they have no number that takes texts but an email address."""
        intent = conversation.assistant_intent
        customer = self._randevu_claimed_customer(conversation, text)
        now = fields.Datetime.now()
        last = conversation.assistant_code_sent_at
        if (
            not customer
            or customer == conversation.partner_id
            or (last and now < last + timedelta(minutes=CODE_MINUTES))
        ):
            # Nobody named, or a code sent already not long ago (asking again and again would
            # flood the customer's phone): a person takes over.
            conversation.write(conversation._assistant_cleared())
            return self._randevu_hand_over(conversation, "unverified")
        code = f"{secrets.randbelow(10**6):06d}"
        conversation.write(
            {
                **conversation._assistant_cleared(),
                "assistant_intent": intent,
                "assistant_step": "code",
                "assistant_code_partner_id": customer.id,
                "assistant_code_hash": self._randevu_code_hash(conversation, code),
                "assistant_code_expires": now + timedelta(minutes=CODE_MINUTES),
                "assistant_code_attempts": 0,
                "assistant_code_sent_at": now,
            }
        )
        branch = conversation.company_id
        staff_env = self._randevu_staff_env(conversation)
        by_sms = bool(self.env["randevu.message"]._randevu_mobile_number(customer))
        if not by_sms and customer.email_normalized:
            return self._randevu_send_code_by_email(conversation, customer, code)
        note = conversation._message_log(
            body=plaintext2html(
                staff_env._(
                    "The assistant sent a one-time code to the phone of %(customer)s, whose appointment this "
                    "number asked to change.",
                    customer=customer.name,
                )
            )
        )
        # Superuser: texts are the SMS queue's rows (as the inbox's SMS replies); sent now
        # through the branch's SMS provider (the text's company).
        sms = (
            self.env["sms.sms"]
            .sudo()
            .with_company(branch)
            .create(
                {
                    "number": customer.phone_sanitized,
                    "partner_id": customer.id,
                    "mail_message_id": note.id,
                    "state": "outgoing",
                    "body": self.with_context(lang=customer.lang or self.env.lang).env._(
                        "%(branch)s: your code is %(code)s (valid %(minutes)s minutes). Someone asked by message "
                        "to change your appointment; share it only if it was you.",
                        branch=branch.name,
                        code=code,
                        minutes=CODE_MINUTES,
                    ),
                }
            )
        )
        sms.send(unlink_sent=False)
        self._randevu_say(
            conversation,
            self.env._(
                "This appointment was booked with another phone number. I sent a 6-digit code to it by SMS: "
                "please reply with the code (valid %(minutes)s minutes).",
                minutes=CODE_MINUTES,
            ),
        )
        return True

    @api.model
    def _randevu_send_code_by_email(self, conversation, customer, code):
        """The one-time code by email to `customer` (no mobile number): queued in Odoo's
        mail queue, whose cron is triggered to send it right after this transaction."""
        branch = conversation.company_id
        speaker = self.with_context(lang=customer.lang or self.env.lang).env
        # Superuser: the mail queue's rows are technical (the customer may read none); the
        # email is deleted once sent, so the code does not stay in clear.
        self.env["mail.mail"].sudo().create(
            {
                "subject": speaker._("%(branch)s: your one-time code", branch=branch.name),
                "email_from": branch.email_formatted or branch.partner_id.email_formatted or False,
                "email_to": customer.email_formatted,
                "recipient_ids": [],
                "auto_delete": True,
                "body_html": plaintext2html(
                    speaker._(
                        "%(branch)s: your code is %(code)s (valid %(minutes)s minutes). Someone asked by message "
                        "to change your appointment; share it only if it was you.",
                        branch=branch.name,
                        code=code,
                        minutes=CODE_MINUTES,
                    )
                ),
            }
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        self._randevu_note(
            conversation,
            self._randevu_staff_env(conversation)._(
                "The assistant sent a one-time code by email to %(customer)s, whose appointment this number asked "
                "to change.",
                customer=customer.name,
            ),
        )
        self._randevu_say(
            conversation,
            self.env._(
                "This appointment was booked without this phone number. I sent a 6-digit code by email to its "
                "customer: please reply with the code (valid %(minutes)s minutes).",
                minutes=CODE_MINUTES,
            ),
        )
        return True

    @api.model
    def _randevu_check_code(self, conversation, text):
        """The customer answers the one-time code: right and in time, this conversation
        may act on that customer's appointments (the request goes on); expired, or wrong
        CODE_ATTEMPTS times, a person takes over."""
        stored = conversation.assistant_code_hash
        customer = conversation.assistant_code_partner_id
        intent = conversation.assistant_intent
        match = _CODE.match(text)
        if not stored or not customer or conversation.assistant_code_expires < fields.Datetime.now():
            self._randevu_say(conversation, self.env._("This code has expired."))
            return self._randevu_hand_over(conversation, "wrong_code")
        if match and consteq(self._randevu_code_hash(conversation, "".join(match.groups())), stored):
            conversation.write(
                {
                    **conversation._assistant_cleared(),
                    "assistant_verified_partner_id": customer.id,
                    "assistant_verified_until": fields.Datetime.now() + timedelta(hours=VERIFIED_HOURS),
                }
            )
            self._randevu_note(
                conversation,
                self._randevu_staff_env(conversation)._(
                    "The one-time code was right: this conversation may move or cancel the appointments of "
                    "%(customer)s for %(hours)s hours.",
                    customer=customer.name,
                    hours=VERIFIED_HOURS,
                ),
            )
            if intent == "cancel":
                return self._randevu_cancel_start(conversation)
            no_target = {"date": None, "time": None, "part_of_day": None, "lang": conversation.assistant_lang}
            return self._randevu_reschedule_start(conversation, "", no_target, None)
        attempts = conversation.assistant_code_attempts + 1
        conversation.assistant_code_attempts = attempts
        if attempts >= CODE_ATTEMPTS:
            self._randevu_say(conversation, self.env._("This code is not right."))
            return self._randevu_hand_over(conversation, "wrong_code")
        self._randevu_say(
            conversation,
            self.env._(
                "This code is not right. Please try again (%(left)s attempts left).", left=CODE_ATTEMPTS - attempts
            ),
        )
        return True
