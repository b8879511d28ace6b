import json
import logging
import re
from datetime import date

from odoo import api, models
from odoo.tools import html2plaintext, plaintext2html

from ..tools.casefold import fold
from ..tools.llm_api import ChatCompletionsApi, LlmApiError, function_tool
from .randevu_assistant_dialogue import _CODE, _NUMBER, _PHONE, MAX_CHOICES

_logger = logging.getLogger(__name__)

# Turns of the model per customer message (free times asked, then a proposal or an answer):
# with the timeout, what bounds the time the inbox's job waits.
MAX_ROUNDS = 3
# The longest text of the model sent to the customer.
MAX_ANSWER = 1000
# The chat's last messages (the customer's and the assistant's) the model reads before the new one.
HISTORY = 6
LANGUAGE_NAMES = {"tr": "Turkish", "en": "English", "fr": "French"}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.hH]([0-5]\d)$")
PARTS = ("morning", "afternoon", "evening")
_URL = re.compile(r"https?://\S+")

TOOLS = [
    function_tool(
        "find_free_times",
        "The free start times (local HH:MM) of a service on a day, from the booking system.",
        {
            "service": {"type": "string", "description": "The service's id or name, from the list."},
            "date": {"type": "string", "description": "The day, YYYY-MM-DD."},
            "part_of_day": {"type": "string", "enum": list(PARTS)},
            "staff": {"type": "string", "description": "A staff member's id or first name, if the customer chose."},
        },
        ["service", "date"],
    ),
    function_tool(
        "propose_booking",
        "Propose a booking to the customer. It books nothing: the booking system checks the time and the "
        "customer is asked to confirm with yes. Without a date, the customer is asked the day; without a time, "
        "the day's free times are offered.",
        {
            "service": {"type": "string", "description": "The service's id or name, from the list."},
            "date": {"type": "string", "description": "The day, YYYY-MM-DD."},
            "time": {"type": "string", "description": "The local start time, HH:MM."},
            "part_of_day": {"type": "string", "enum": list(PARTS)},
            "staff": {"type": "string", "description": "A staff member's id or first name, if the customer chose."},
        },
        ["service"],
    ),
    function_tool(
        "propose_reschedule",
        "Propose moving the customer's next appointment. It moves nothing: the branch's rules (cutoff, who "
        "may change it) and the booking system apply, and the customer is asked to confirm with yes.",
        {
            "date": {"type": "string", "description": "The new day, YYYY-MM-DD."},
            "time": {"type": "string", "description": "The new local start time, HH:MM."},
            "part_of_day": {"type": "string", "enum": list(PARTS)},
        },
    ),
    function_tool(
        "propose_cancel",
        "Propose cancelling the customer's next appointment. It cancels nothing: the branch's rules (cutoff, "
        "who may cancel) apply, and the customer is asked to confirm with yes.",
        {},
    ),
]


class LlmRefusal(ValueError):
    """A tool's arguments the booking system cannot take (told to the model)."""


class RandevuAssistant(models.AbstractModel):
    """The assistant's optional language model (issue 14): off by default; when a branch
    enables it and the rules do not understand a message, the model (any OpenAI-compatible
    chat API, through tools/llm_api.py) may read the free times and propose a booking, a
    move or a cancellation. A proposal only fills the dialogue's pending request: the same
    deterministic steps check it (the engine's free times, the cutoff, who may change the
    appointment) and ask the customer's explicit yes before the booking service acts. The
    model's own text may answer what needs no action. When the model fails, the dialogue
    goes on without it (a note says why)."""

    _inherit = "randevu.assistant"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_dialogue_step(self, conversation, text, understood, now):
        if self._randevu_llm_wanted(conversation, text, understood):
            answered = self._randevu_llm_step(conversation, text, understood, now)
            if answered is not None:
                return answered
        return super()._randevu_dialogue_step(conversation, text, understood, now)

    @api.model
    def _randevu_llm_wanted(self, conversation, text, understood):
        """Whether to ask the branch's model: it is enabled, the rules did not understand
        the message (or read it below the branch's confidence threshold), and the dialogue
        is not checking who the customer is (a one-time code is never sent to a model), nor
        waiting for a number of its list."""
        # Superuser: the model's settings are administrators' fields; the worker reads them.
        branch = conversation.company_id.sudo()
        if not branch.randevu_llm_enabled:
            return False
        if conversation.assistant_step in ("identify", "code"):
            return False
        if conversation.assistant_intent and _NUMBER.match(text):
            return False
        # The branch's confidence threshold (the one below which the rules hand over) is also
        # the one below which the model is asked first.
        return understood["intent"] == "unknown" or understood["confidence"] < branch.randevu_assistant_min_confidence

    @api.model
    def _randevu_llm_api(self, branch):
        # Superuser: the key is an administrators' field, read only to be sent to the API.
        branch = branch.sudo()
        return ChatCompletionsApi(
            branch.randevu_llm_base_url,
            branch.randevu_llm_model,
            api_key=branch.randevu_llm_api_key,
            timeout=branch.randevu_llm_timeout,
        )

    @api.model
    def _randevu_llm_step(self, conversation, text, understood, now):
        """Ask the model about `text`; act on its proposal or send its answer. None when it
        failed or had nothing to say: the rules' dialogue goes on as without it."""
        staff_env = self._randevu_staff_env(conversation)
        try:
            kind, payload = self._randevu_llm_ask(conversation, text, understood, now)
        except LlmApiError as error:
            _logger.warning(
                "Randevu assistant: the language model of %s failed (%s); going on without it",
                conversation.company_id.name,
                error,
            )
            conversation._message_log(
                body=plaintext2html(
                    staff_env._(
                        "The language model could not read the message (%(reason)s): the assistant went on without it.",
                        reason=str(error),
                    )
                )
            )
            return None
        if kind == "say":
            if not payload:
                return None
            self._randevu_say(conversation, payload[:MAX_ANSWER])
            conversation._message_log(
                body=plaintext2html(staff_env._("The assistant answered with the language model's text."))
            )
            return True
        name, values = payload
        conversation._message_log(
            body=plaintext2html(
                staff_env._(
                    "The language model read the message as %(tool)s %(arguments)s; the assistant checks it and "
                    "asks the customer to confirm.",
                    tool=name,
                    arguments=json.dumps(values["arguments"], ensure_ascii=False),
                )
            )
        )
        self._randevu_understood(conversation)
        if name == "propose_cancel":
            return self._randevu_cancel_start(conversation, "")
        target = {
            "date": values["date"],
            "time": values["time"],
            "part_of_day": values["part_of_day"],
            "lang": understood["lang"],
        }
        if name == "propose_reschedule":
            return self._randevu_reschedule_start(conversation, "", target, now)
        conversation.write(
            {
                **conversation._assistant_cleared(),
                "assistant_intent": "book",
                "assistant_service_id": values["service"].id,
                "assistant_employee_id": values["staff"].id,
                "assistant_date": values["date"] or False,
                "assistant_time": values["time"] or False,
            }
        )
        return self._randevu_book_next(conversation, target)

    @api.model
    def _randevu_llm_ask(self, conversation, text, understood, now):
        """The model's reading of `text`: ("propose", (tool name, checked values)) or
        ("say", its text). Free times it asks for are answered from the engine; arguments
        the booking system cannot take are told back to it. LlmApiError when the API fails
        or the model goes on past MAX_ROUNDS."""
        api_ = self._randevu_llm_api(conversation.company_id)
        messages = [
            {"role": "system", "content": self._randevu_llm_system_prompt(conversation, understood["lang"], now)},
            *self._randevu_llm_history(conversation, text),
            {"role": "user", "content": text},
        ]
        for _round in range(MAX_ROUNDS):
            answer = api_.chat(messages, TOOLS)
            if not answer.tool_calls:
                return "say", (answer.content or "").strip()
            messages.append(answer.message)
            proposal = None
            for call in answer.tool_calls:
                try:
                    if call.name == "find_free_times":
                        result = self._randevu_llm_free_times(conversation, call.arguments, understood["lang"], now)
                    elif call.name in ("propose_booking", "propose_reschedule", "propose_cancel"):
                        values = self._randevu_llm_values(conversation, call.name, call.arguments, understood, now)
                        proposal = proposal or (call.name, values)
                        result = {"status": "proposed", "note": "The customer is asked to confirm."}
                    else:
                        result = {"error": f"No tool named {call.name}."}
                except LlmRefusal as refusal:
                    result = {"error": str(refusal)}
                messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)})
            if proposal:
                return "propose", proposal
        raise LlmApiError(f"no proposal or answer after {MAX_ROUNDS} turns")

    # ------------------------------------------------------------------ what the model is told
    @api.model
    def _randevu_llm_history(self, conversation, text):
        """The chat's last HISTORY messages before `text` (the customer's message being
        answered, already filed), as chat messages: the customer's as the user's, the
        assistant's replies as the assistant's; notes for the team and people's replies are
        left out; links, phone numbers and one-time codes masked."""
        customer, business = conversation.partner_id, conversation.company_id.partner_id
        # Superuser: the worker reads the chat it answers.
        found = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "randevu.conversation"),
                    ("res_id", "=", conversation.id),
                    ("author_id", "in", (customer | business).ids),
                ],
                order="id desc",
                limit=HISTORY + 1,
            )
        )
        history = []
        for message in found:
            # Links (a payment link holds an access token), phone numbers and one-time codes
            # are not the model's business.
            content = html2plaintext(message.body or "", include_references=False)
            content = _PHONE.sub("[phone]", _URL.sub("[link]", content)).strip()
            if _CODE.match(content):
                content = "[code]"
            if content:
                history.append({"role": "user" if message.author_id == customer else "assistant", "content": content})
        if history and history[0] == {"role": "user", "content": text.strip()}:
            history = history[1:]
        return list(reversed(history[:HISTORY]))

    @api.model
    def _randevu_llm_services(self, branch):
        return self._randevu_services(branch).filtered("randevu_online")

    @api.model
    def _randevu_llm_staff(self, branch):
        # Superuser: the customer's worker may not read hr.employee; first names only are told.
        return (
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

    @api.model
    def _randevu_llm_system_prompt(self, conversation, lang, now):
        """What the model knows: the branch, today, its services and staff (ids and names in
        the customer's language), opening hours, the customer's next appointment, and its rules.
        Nothing else of the customer (no phone, no notes)."""
        branch = conversation.company_id
        local_now = self._randevu_local_now(branch, now)
        services = self._randevu_llm_services(branch).with_context(lang=self.env.lang)
        service_lines = "\n".join(f"- {service.id}: {service.name}" for service in services) or "-"
        staff_lines = (
            "\n".join(f"- {employee.id}: {employee.name.split()[0]}" for employee in self._randevu_llm_staff(branch))
            or "-"
        )
        hours = self._randevu_answer_hours(branch, {}, now) or ""
        appointment = self._randevu_next_appointment(conversation)
        if appointment:
            booking = self._randevu_booking()
            next_line = (
                f"The customer's next appointment: {appointment.service_id.with_context(lang=self.env.lang).name}, "
                f"{booking._when_label(branch, appointment.start)}."
            )
        else:
            next_line = "The customer has no upcoming appointment here."
        pending = ""
        if conversation.assistant_intent:
            pending = (
                f"Pending request: {conversation.assistant_intent}"
                f", service {conversation.assistant_service_id.with_context(lang=self.env.lang).name or '-'}"
                f", day {conversation.assistant_date or '-'}, time {conversation.assistant_time or '-'}"
                f" (waiting for: {conversation.assistant_step or '-'})."
            )
        return "\n".join(
            [
                f"You are the booking assistant of {branch.name}, chatting with a customer on "
                f"{conversation.channel}. Answer in {LANGUAGE_NAMES.get(lang, 'English')}, briefly.",
                f"Now: {local_now.strftime('%A %Y-%m-%d %H:%M')} ({branch._randevu_branch_tz()}).",
                f"Services (id: name):\n{service_lines}",
                f"Staff (id: first name):\n{staff_lines}",
                hours,
                next_line,
                pending,
                "You cannot book, move or cancel anything yourself. To book, call propose_booking; to move the "
                "next appointment, propose_reschedule; to cancel it, propose_cancel. The booking system checks "
                "the proposal and asks the customer to confirm. Use find_free_times to see free times. Never say "
                "that something is booked, moved or cancelled. Use only the facts given here; when you cannot "
                "help, say that a person from the team will answer.",
            ]
        )

    # ------------------------------------------------------------------ the tools' arguments
    @api.model
    def _randevu_llm_values(self, conversation, name, arguments, understood, now):
        """The checked values of a proposal (raises LlmRefusal with what is wrong)."""
        branch = conversation.company_id
        values = {"arguments": arguments, "date": None, "time": None, "part_of_day": None}
        if name == "propose_cancel":
            return values
        values["date"] = self._randevu_llm_date(branch, arguments.get("date"))
        values["time"] = self._randevu_llm_time(arguments.get("time"))
        part = arguments.get("part_of_day")
        values["part_of_day"] = part if part in PARTS else None
        if name == "propose_booking":
            values["service"] = self._randevu_llm_service(branch, arguments.get("service"), understood["lang"])
            values["staff"] = self._randevu_llm_employee(branch, arguments.get("staff"))
        elif not values["date"] and not values["time"]:
            raise LlmRefusal("Give the new date or time.")
        return values

    @api.model
    def _randevu_llm_free_times(self, conversation, arguments, lang, now):
        branch = conversation.company_id
        service = self._randevu_llm_service(branch, arguments.get("service"), lang)
        staff = self._randevu_llm_employee(branch, arguments.get("staff"))
        day = self._randevu_llm_date(branch, arguments.get("date"))
        if not day:
            raise LlmRefusal("Give the date, YYYY-MM-DD.")
        part = arguments.get("part_of_day")
        starts = self._randevu_free_starts(branch, service, staff, day, part if part in PARTS else None)
        return {
            "service": service.name,
            "date": day.isoformat(),
            "free_times": [branch._randevu_to_local(start).strftime("%H:%M") for start in starts[:MAX_CHOICES]],
        }

    @api.model
    def _randevu_llm_service(self, branch, value, lang):
        value = str(value or "").strip()
        if not value:
            raise LlmRefusal("Give the service.")
        services = self._randevu_llm_services(branch)
        if value.isdigit() and int(value) in services.ids:
            return services.browse(int(value))
        service, _score = self._randevu_match_service(fold(value, lang), branch, lang)
        if not service or service not in services:
            raise LlmRefusal(f"No service {value!r}: use one of the list.")
        return service

    @api.model
    def _randevu_llm_employee(self, branch, value):
        value = str(value or "").strip()
        employees = self._randevu_llm_staff(branch)
        if not value:
            return self.env["hr.employee"]
        if value.isdigit() and int(value) in employees.ids:
            return self.env["hr.employee"].browse(int(value))
        employee = self._randevu_match_employee(fold(value), branch)
        if not employee:
            raise LlmRefusal(f"No staff member {value!r}: use one of the list.")
        return employee

    @api.model
    def _randevu_llm_date(self, branch, value):
        if not value:
            return None
        try:
            day = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise LlmRefusal(f"{value!r} is not a date: use YYYY-MM-DD.") from None
        problem = self._randevu_booking()._day_problem(branch, day)
        if problem:
            raise LlmRefusal(str(problem))
        return day

    @api.model
    def _randevu_llm_time(self, value):
        if not value:
            return None
        match = _TIME.match(str(value).strip())
        if not match:
            raise LlmRefusal(f"{value!r} is not a time: use HH:MM.")
        return f"{int(match.group(1)):02d}:{match.group(2)}"
