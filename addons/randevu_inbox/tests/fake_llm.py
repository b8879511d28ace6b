"""A local fake of an OpenAI-compatible chat API (`POST /v1/chat/completions`), speaking its
documented format, scripted per test:

- each request is recorded (path, headers, decoded JSON body);
- it is answered with the next entry of `script`: a chat completion made by `tool_calls(...)`
  or `final(...)` (answered 200 as {"id", "object": "chat.completion", "created", "model",
  "choices": [{"index": 0, "message", "finish_reason"}], "usage"}), or `(status, raw bytes)`
  to answer anything else (an error `{"error": {...}}` with a 500, a body that is no JSON);
- an empty script answers 500 {"error": {"message": "no scripted answer"}};
- `delay` seconds before answering (to exceed the client's timeout)."""

import json
import time

from .fake_server import FakeServer


def tool_calls(*calls):
    """The assistant message asking to call tools: `calls` are (name, arguments dict)."""
    return {
        "message": {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": f"call_{index}",
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(arguments)},
                }
                for index, (name, arguments) in enumerate(calls, 1)
            ],
        },
        "finish_reason": "tool_calls",
    }


def final(text):
    """The assistant's final text message."""
    return {"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}


class FakeLlm(FakeServer):
    methods = ("POST",)
    url_path = "/v1"

    def __init__(self):
        super().__init__()
        # self.requests: (path, headers, JSON body)
        self.script = []

    def handle(self, method, path, headers, raw):
        with self._lock:
            self.requests.append((path, dict(headers), json.loads(raw or b"{}")))
            answer = self.script.pop(0) if self.script else None
            number = len(self.requests)
        if path != "/v1/chat/completions":
            return 404, {"error": {"message": "Unknown path", "type": "not_found"}}
        if answer is None:
            return 500, {"error": {"message": "no scripted answer", "type": "server"}}
        if isinstance(answer, tuple):
            status, data = answer
            return status, data if isinstance(data, bytes) else data.encode()
        return 200, {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "fake-model",
            "choices": [dict(answer, index=0)],
            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
        }

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.script.clear()
            self.delay = 0

    def bodies(self):
        return [body for _path, _headers, body in self.requests]
