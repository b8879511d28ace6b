"""The one adapter between Randevu and an OpenAI-compatible chat API (the assistant's
optional language model): a self-hosted Ollama (`http://localhost:11434/v1`) or vLLM, or a
cloud service speaking the same format.

One request per turn, `POST {base_url}/chat/completions` with a Bearer key (when there is
one) and a timeout, in the documented format:

    {"model": "...", "messages": [{"role": "system"|"user"|"assistant"|"tool", ...}],
     "tools": [{"type": "function", "function": {"name", "description", "parameters"}}],
     "tool_choice": "auto", "temperature": 0}

answered by

    {"id": "...", "object": "chat.completion", "model": "...",
     "choices": [{"index": 0, "finish_reason": "stop"|"tool_calls"|"length",
                  "message": {"role": "assistant", "content": "..." | null,
                              "tool_calls": [{"id": "call_1", "type": "function",
                                              "function": {"name": "...", "arguments": "{json}"}}]}}]}

An error answer (`{"error": {"message", "type", "code"}}` with an HTTP error), no connection,
a timeout or an answer not of this shape raise LlmApiError, whose message never holds the
key (nor the URL, which may carry one as a query parameter).

Plain `requests` rather than the `openai` package: these two shapes are all Randevu uses,
`requests` is already a dependency of Odoo, and the `openai` package (with httpx, pydantic,
its own retries) would add several packages and a retry policy of its own inside the inbox's
background job, whose time we bound ourselves.
"""

import json
from collections import namedtuple

import requests

TIMEOUT = 20

# A tool the model asks to call: the call's id (to answer it), the function's name, and its
# arguments decoded from JSON.
ToolCall = namedtuple("ToolCall", "id name arguments")
# The model's answer: its text (or None), the tool calls asked, why it stopped, and the
# message itself as it must be sent back in the next request's history.
ChatAnswer = namedtuple("ChatAnswer", "content tool_calls finish_reason message")


class LlmApiError(Exception):
    """The chat API could not be reached, refused the request or answered something else
    than a chat completion."""


def function_tool(name, description, properties, required=()):
    """A tool definition of the chat-completions format (a function and the JSON schema of
    its arguments)."""
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": list(required)},
        },
    }


class ChatCompletionsApi:
    def __init__(self, base_url, model, api_key=None, timeout=TIMEOUT):
        if not base_url or not model:
            raise LlmApiError("no base URL or model configured")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key or None
        self.timeout = timeout or TIMEOUT

    def chat(self, messages, tools=None):
        """One turn: the model's ChatAnswer to `messages` (dicts of the format above), with
        `tools` (see function_tool) it may ask to call."""
        body = {"model": self.model, "messages": messages, "temperature": 0, "stream": False}
        if tools:
            body["tools"] = tools
            body["tool_choice"] = "auto"
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            response = requests.post(self.url, data=json.dumps(body), headers=headers, timeout=self.timeout)
        except requests.Timeout:
            raise LlmApiError(f"no answer within {self.timeout} seconds") from None
        except requests.RequestException as error:
            raise LlmApiError(f"cannot connect ({type(error).__name__})") from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            error = data.get("error") if isinstance(data, dict) else None
            detail = error.get("message") if isinstance(error, dict) else error if isinstance(error, str) else None
            raise LlmApiError(f"HTTP {response.status_code}" + (f": {str(detail)[:200]}" if detail else ""))
        return self.parse(data)

    @staticmethod
    def parse(data):
        """The ChatAnswer of a decoded chat completion; LlmApiError when it is not one."""
        try:
            choice = data["choices"][0]
            message = choice["message"]
            content = message.get("content")
            if content is not None and not isinstance(content, str):
                raise TypeError("content")
            calls = []
            for call in message.get("tool_calls") or []:
                function = call["function"]
                arguments = function.get("arguments") or "{}"
                # The format sends arguments as a JSON string; some servers send the object.
                arguments = json.loads(arguments) if isinstance(arguments, str) else arguments
                if not isinstance(arguments, dict) or not isinstance(function["name"], str):
                    raise TypeError("arguments")
                calls.append(ToolCall(call.get("id") or function["name"], function["name"], arguments))
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            raise LlmApiError("the answer is not a chat completion") from None
        history = {"role": "assistant", "content": content}
        if message.get("tool_calls"):
            history["tool_calls"] = message["tool_calls"]
        return ChatAnswer(content, calls, choice.get("finish_reason"), history)
