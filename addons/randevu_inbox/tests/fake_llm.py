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
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


class FakeLlm:
    def __init__(self):
        self.requests = []  # (path, headers, JSON body)
        self.script = []
        self.delay = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append((self.path, dict(self.headers), json.loads(raw or b"{}")))
                    answer = fake.script.pop(0) if fake.script else None
                if fake.delay:
                    time.sleep(fake.delay)
                if self.path != "/v1/chat/completions":
                    status, data = 404, json.dumps({"error": {"message": "Unknown path", "type": "not_found"}})
                elif answer is None:
                    status, data = 500, json.dumps({"error": {"message": "no scripted answer", "type": "server"}})
                elif isinstance(answer, tuple):
                    status, data = answer
                else:
                    status = 200
                    data = json.dumps(
                        {
                            "id": f"chatcmpl-{len(fake.requests)}",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": "fake-model",
                            "choices": [dict(answer, index=0)],
                            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
                        }
                    )
                data = data if isinstance(data, bytes) else data.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.script.clear()
            self.delay = 0

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        return [body for _path, _headers, body in self.requests]
