# ruff: noqa: RUF001 (Turkish dotless i)
import json
import logging
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from ..tools.llm_api import ChatCompletionsApi, LlmApiError
from .common import NOW, AssistantWhatsAppCase, InboxMixin
from .fake_llm import FakeLlm, final, tool_calls

KEY = "sk-test-secret-0123456789"
# What the rules do not understand (intent unknown): the model is asked.
UNKNOWN = "Kuzenimin düğünü var, ondan önce bana bir güzellik lazım"


def istanbul(day, hour, minute=0):
    """The naive UTC moment of `hour`:`minute` in Istanbul on January `day`, 2027."""
    return datetime(2027, 1, day, hour, minute) - timedelta(hours=3)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.levelname} {record.name} {record.getMessage()}")


@tagged("post_install", "-at_install")
class TestAssistantLlm(AssistantWhatsAppCase):
    """The assistant's optional language model against a local fake OpenAI-compatible chat
    API (tool calls in the documented format): off by default; what the rules do not
    understand goes to the model, whose proposals only fill the dialogue's pending request:
    the engine's check, the cutoff and the customer's "evet" stay the rules'; a failing model
    leaves the dialogue as without it."""

    gateway_tag = "llm"
    gateway_phone = "555000333"
    acts = True
    terms = ("randevu_inbox",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.llm = FakeLlm().start()
        cls.addClassCleanup(cls.llm.stop)
        cls.istanbul.write(
            {
                "randevu_llm_base_url": cls.llm.url,
                "randevu_llm_model": "llama3.1",
                "randevu_llm_api_key": KEY,
                "randevu_llm_timeout": 5,
            }
        )
        cls.ali = cls.staff["ali"]

    def setUp(self):
        super().setUp()
        self.llm.reset()
        self.istanbul.randevu_llm_enabled = True
        self.logs = _Records()
        logging.getLogger().addHandler(self.logs)
        self.addCleanup(logging.getLogger().removeHandler, self.logs)

    def assert_key_never_written(self):
        messages = self.env["mail.message"].search([("body", "ilike", KEY)])
        self.assertFalse(messages, "the API key is in a message")
        self.assertFalse([line for line in self.logs.lines if KEY in line], "the API key is in the log")

    def assert_warned_only(self, logs):
        """The model's failure is one warning naming no key; nothing at ERROR."""
        self.assertEqual([record.levelname for record in logs.records], ["WARNING"], logs.output)
        self.assertIn("the language model of Nişantaşı failed", logs.output[0])
        self.assertNotIn(KEY, logs.output[0])

    def test_unknown_message_to_the_rules(self):
        understood = self.env["randevu.assistant"].understand(UNKNOWN, self.istanbul, now=NOW)
        self.assertEqual(understood["intent"], "unknown")

    # ------------------------------------------------------------------ off
    def test_off_by_default(self):
        branch = self.env["res.company"].create({"name": "New branch"})
        self.assertFalse(branch.randevu_llm_enabled)
        self.istanbul.randevu_llm_enabled = False
        self.llm.script.append(final("should not be asked"))
        self.receive(UNKNOWN)
        self.assertEqual(self.llm.requests, [], "no request to the model when it is off")
        [sorry] = self.replies()
        self.assertIn("Üzgünüm, anlayamadım.", sorry)

    # ------------------------------------------------------------------ proposals
    def test_model_proposes_a_booking_the_customer_confirms(self):
        haircut_id = str(self.haircut.id)
        self.llm.script += [
            tool_calls(
                ("find_free_times", {"service": "saç kesimi", "date": "2027-01-05", "part_of_day": "afternoon"})
            ),
            tool_calls(("propose_booking", {"service": haircut_id, "date": "2027-01-05", "time": "14:00"})),
        ]
        conversation = self.receive(UNKNOWN).conversation_id
        first, second = self.llm.requests
        path, headers, body = first
        self.assertEqual(path, "/v1/chat/completions")
        self.assertEqual(headers["Authorization"], f"Bearer {KEY}")
        self.assertEqual(body["model"], "llama3.1")
        self.assertEqual(
            {tool["function"]["name"] for tool in body["tools"]},
            {"find_free_times", "propose_booking", "propose_reschedule", "propose_cancel"},
        )
        system, user = body["messages"]
        self.assertEqual(system["role"], "system")
        self.assertEqual(user, {"role": "user", "content": UNKNOWN})
        for fact in ("Nişantaşı", f"{haircut_id}: Kadın saç kesimi", "Manikür", "Merve", "2027-01-04", "Turkish"):
            self.assertIn(fact, system["content"])
        self.assertNotIn(self.customer.phone, system["content"])
        # The free times the model asked for, from the engine, in the second request.
        call, tool = second[2]["messages"][-2:]
        self.assertEqual(call["tool_calls"][0]["function"]["name"], "find_free_times")
        self.assertEqual(tool["role"], "tool")
        self.assertEqual(tool["tool_call_id"], "call_1")
        free = json.loads(tool["content"])
        self.assertEqual(free["date"], "2027-01-05")
        self.assertIn("14:00", free["free_times"])
        self.assertNotIn("09:00", free["free_times"], "the afternoon only")
        # The proposal is the rules' confirmation question: nothing booked.
        [question] = self.replies()
        self.assertIn("14:00", question)
        self.assertIn('"evet"', question)
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_slot_start, istanbul(5, 14))
        self.assertFalse(self.customer_appointments(), "the model books nothing")
        self.assertIn("propose_booking", " ".join(conversation.message_ids.mapped("body")))

        self.receive("evet")
        self.assertEqual(len(self.llm.requests), 2, "the rules understand the yes: the model is not asked")
        appointment = self.customer_appointments()
        self.assertEqual(len(appointment), 1)
        self.assertEqual((appointment.service_id, appointment.start), (self.haircut, istanbul(5, 14)))
        self.assertEqual(appointment.source, "whatsapp")
        [done] = self.replies()
        self.assertTrue(done.startswith("Randevunuz alındı: Kadın saç kesimi, Salı 5 Ocak, 14:00"), done)
        self.assertIn("The assistant booked", " ".join(conversation.message_ids.mapped("body")))
        self.assert_key_never_written()

    def test_model_proposes_a_taken_time(self):
        other = self.env["res.partner"].create({"name": "Other customer"})
        self.appointment(istanbul(5, 14), staff=self.merve, partner=other)
        self.llm.script.append(
            tool_calls(
                (
                    "propose_booking",
                    {"service": "Kadın saç kesimi", "date": "2027-01-05", "time": "14:00", "staff": "Merve"},
                )
            )
        )
        conversation = self.receive(UNKNOWN).conversation_id
        [offer] = self.replies()
        self.assertIn("14:00, Kadın saç kesimi için dolu. En yakın boş saatler:", offer)
        self.assertIn("1. ", offer)
        self.assertEqual(conversation.assistant_step, "slot")
        self.assertEqual(conversation.assistant_employee_id, self.merve)
        self.assertNotIn(
            "2027-01-05 11:00:00", conversation.assistant_proposals, "Merve's 14:00 (11:00 UTC) is not offered"
        )
        self.assertFalse(self.customer_appointments())

    def test_wrong_arguments_are_told_back(self):
        self.llm.script += [
            tool_calls(("propose_booking", {"service": "Pedikür", "date": "2027-01-05", "time": "14:00"})),
            tool_calls(("propose_booking", {"service": "Kadın saç kesimi", "date": "2027-01-02"})),
            tool_calls(("propose_booking", {"service": "Kadın saç kesimi", "date": "2027-01-05"})),
        ]
        conversation = self.receive(UNKNOWN).conversation_id
        self.assertEqual(len(self.llm.requests), 3)
        errors = [json.loads(body["messages"][-1]["content"])["error"] for body in self.llm.bodies()[1:]]
        self.assertIn("Pedikür", errors[0])
        self.assertIn("geçmişte", errors[1], "the booking service's own reason, in the customer's language")
        # No time: the day's free times are offered by the rules.
        [offer] = self.replies()
        self.assertIn("1. Salı 5 Ocak, 09:00", offer)
        self.assertEqual(conversation.assistant_step, "slot")

    def test_model_proposes_a_cancel_within_the_cutoff(self):
        appointment = self.appointment(istanbul(5, 10))  # tomorrow: within the 24-hour cutoff
        state = appointment.state
        self.llm.script.append(tool_calls(("propose_cancel", {})))
        conversation = self.receive(UNKNOWN).conversation_id
        [refusal] = self.replies()
        self.assertIn("+90 212 555 00 00", refusal)
        self.assertEqual(appointment.state, state)
        self.assertFalse(conversation.assistant_intent)
        self.receive("evet")
        self.assertEqual(appointment.state, state)

    def test_model_proposes_a_cancel_confirmed(self):
        appointment = self.appointment(istanbul(7, 10))  # Thursday: outside the cutoff
        self.llm.script.append(tool_calls(("propose_cancel", {})))
        self.receive(UNKNOWN)
        system = self.llm.requests[0][2]["messages"][0]["content"]
        self.assertIn("Perşembe 7 Ocak, 10:00", system, "the customer's next appointment is told")
        [question] = self.replies()
        self.assertIn("Perşembe 7 Ocak, 10:00", question)
        self.assertNotEqual(appointment.state, "cancelled")
        self.receive("evet")
        self.assertEqual(appointment.state, "cancelled")

    def test_model_proposes_a_move(self):
        appointment = self.appointment(istanbul(7, 10))
        self.llm.script.append(tool_calls(("propose_reschedule", {"date": "2027-01-08", "time": "15:00"})))
        conversation = self.receive(UNKNOWN).conversation_id
        [question] = self.replies()
        self.assertIn("Cuma 8 Ocak, 15:00", question)
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(appointment.start, istanbul(7, 10))
        self.receive("evet")
        self.assertEqual(appointment.start, istanbul(8, 15))

    def test_model_reads_the_chat(self):
        self.receive("Yarın saç kesimi istiyorum")
        [offer] = self.replies()
        self.llm.script.append(tool_calls(("propose_booking", {"service": "Kadın saç kesimi", "date": "2027-01-05"})))
        self.receive(UNKNOWN)
        system, *history, user = self.llm.bodies()[0]["messages"]
        self.assertEqual(
            history,
            [
                {"role": "user", "content": "Yarın saç kesimi istiyorum"},
                {"role": "assistant", "content": offer},
            ],
        )
        self.assertEqual(user["content"], UNKNOWN)
        self.assertIn("Pending request: book, service Kadın saç kesimi, day 2027-01-05", system["content"])

    def test_history_masks_links_phones_and_codes(self):
        self.conversation._randevu_receive("Numaram +90 532 765 43 21", NOW)
        self.env["randevu.assistant"]._randevu_say(
            self.conversation, "Ödeme bağlantısı: https://salon.example/payment/pay?access_token=abc123"
        )
        self.conversation._randevu_receive("123 456", NOW)
        self.conversation._randevu_receive(UNKNOWN, NOW)
        history = self.env["randevu.assistant"]._randevu_llm_history(self.conversation, UNKNOWN)
        self.assertEqual(
            history,
            [
                {"role": "user", "content": "Numaram [phone]"},
                {"role": "assistant", "content": "Ödeme bağlantısı: [link]"},
                {"role": "user", "content": "[code]"},
            ],
        )

    def test_model_text_answers(self):
        self.llm.script.append(final("Tebrikler! Düğün için saç ve makyaj hizmetlerimize bakabilirsiniz."))
        event = self.receive(UNKNOWN)
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(self.replies(), ["Tebrikler! Düğün için saç ve makyaj hizmetlerimize bakabilirsiniz."])
        self.assertFalse(event.conversation_id.assistant_handover)

    # ------------------------------------------------------------------ failures
    def test_failing_model_goes_on_without_it(self):
        failures = {
            "500": lambda: self.llm.script.append((500, b'{"error": {"message": "model overloaded"}}')),
            "not JSON": lambda: self.llm.script.append((200, b"<html>proxy error</html>")),
            "no choices": lambda: self.llm.script.append((200, b'{"choices": []}')),
            "bad arguments": lambda: self.llm.script.append(
                (
                    200,
                    json.dumps(
                        {
                            "choices": [
                                {
                                    "message": {
                                        "role": "assistant",
                                        "tool_calls": [
                                            {"id": "c", "function": {"name": "propose_cancel", "arguments": "{oops"}}
                                        ],
                                    },
                                    "finish_reason": "tool_calls",
                                }
                            ]
                        }
                    ).encode(),
                )
            ),
            "down": lambda: self.istanbul.write({"randevu_llm_base_url": "http://127.0.0.1:9/v1"}),
        }
        self.istanbul.randevu_llm_timeout = 1
        for number, (name, fail) in enumerate(failures.items()):
            with self.subTest(failure=name):
                self.llm.reset()
                fail()
                sender = f"90555100{number:04d}"
                with self.assertLogs("odoo", level="WARNING") as logs:
                    event = self.receive(UNKNOWN, sender=sender)
                self.assert_warned_only(logs)
                self.assertEqual(event.assistant_state, "answered")
                [sorry] = self.replies()
                self.assertIn("Üzgünüm, anlayamadım.", sorry)
                notes = " ".join(event.conversation_id.message_ids.mapped("body"))
                self.assertIn("The language model could not read the message", notes)
                # The second time in a row, handed over as without the model.
                self.llm.reset()
                fail()
                with self.assertLogs("odoo", level="WARNING") as logs:
                    event = self.receive(UNKNOWN, sender=sender)
                self.assert_warned_only(logs)
                self.assertTrue(event.conversation_id.assistant_handover)
                self.assertEqual(event.conversation_id.assistant_handover_reason, "misunderstood")
        self.assert_key_never_written()

    def test_model_too_slow(self):
        """Past the timeout (Odoo's test runner raises any timeout under 10 s to 10 s), the
        dialogue goes on without the model."""
        self.istanbul.randevu_llm_timeout = 1
        self.llm.delay = 11
        self.llm.script.append(tool_calls(("propose_cancel", {})))
        with self.assertLogs("odoo", level="WARNING") as logs:
            event = self.receive(UNKNOWN)
        self.assert_warned_only(logs)
        [sorry] = self.replies()
        self.assertIn("Üzgünüm, anlayamadım.", sorry)
        self.assertIn("no answer within", " ".join(event.conversation_id.message_ids.mapped("body")))

    def test_adapter_errors(self):
        """The adapter's own errors name no key and no URL."""
        self.llm.script.append((401, b'{"error": {"message": "Incorrect API key provided", "type": "auth"}}'))
        api = ChatCompletionsApi(self.llm.url, "llama3.1", api_key=KEY, timeout=5)
        with self.assertRaises(LlmApiError) as caught:
            api.chat([{"role": "user", "content": "hi"}])
        self.assertEqual(str(caught.exception), "HTTP 401: Incorrect API key provided")
        with self.assertRaises(LlmApiError):
            ChatCompletionsApi("", "llama3.1")
        self.assertNotIn("tools", self.llm.requests[0][2], "no tools, no tools key")


@tagged("post_install", "-at_install")
class TestAssistantLlmAccess(InboxMixin, JsonRpcMixin, HttpCase):
    """The model's settings hold its API key: no Randevu role reads or changes them (not
    even managers), through JSON-RPC; Settings administrators do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, "llm-access", cls.fake)
        cls.branch.write(
            {
                "randevu_llm_enabled": True,
                "randevu_llm_base_url": "http://127.0.0.1:9/v1",
                "randevu_llm_model": "llama3.1",
                "randevu_llm_api_key": KEY,
            }
        )
        for login, group in (
            ("llm_staff", "group_randevu_staff"),
            ("llm_user", "group_randevu_user"),
            ("llm_manager", "group_randevu_manager"),
        ):
            new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=f"base.group_user,randevu_calendar.{group}",
                company_id=cls.branch.id,
                company_ids=[(6, 0, cls.branch.ids)],
            )
        new_test_user(
            cls.env,
            login="llm_admin",
            password="llm_admin",
            groups="base.group_user,base.group_system",
            company_id=cls.branch.id,
            company_ids=[(6, 0, cls.branch.ids)],
        )

    def test_only_administrators_configure_the_model(self):
        settings = [
            "randevu_llm_enabled",
            "randevu_llm_base_url",
            "randevu_llm_model",
            "randevu_llm_api_key",
            "randevu_llm_timeout",
        ]
        for login in ("llm_staff", "llm_user", "llm_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for field in settings:
                    self.assert_access_error(
                        self.call_kw("res.company", "read", self.branch.ids, [field]), f"{login} reads {field}"
                    )
                self.assert_access_error(
                    self.call_kw("res.company", "write", self.branch.ids, {"randevu_llm_base_url": "http://evil"}),
                    f"{login} writes the model's URL",
                )
                self.assertNotIn("randevu_llm_api_key", self.call_kw_result("res.company", "fields_get"))
                answer = self.call_kw("res.company", "search_read", [("id", "=", self.branch.id)], [])
                self.assertNotIn(KEY, json.dumps(answer), f"{login} reads the key among all fields")
        self.authenticate("llm_admin", "llm_admin")
        rows = self.call_kw_result("res.company", "read", self.branch.ids, ["randevu_llm_api_key"])
        self.assertEqual(rows[0]["randevu_llm_api_key"], KEY)
        self.call_kw_result("res.company", "write", self.branch.ids, {"randevu_llm_timeout": 30})
        self.assertEqual(self.branch.sudo().randevu_llm_timeout, 30)
        answer = self.call_kw("res.company", "write", self.branch.ids, {"randevu_llm_base_url": "ftp://x"})
        self.assertIn("http://", json.dumps(answer), "a clear error for a URL that is no web address")
