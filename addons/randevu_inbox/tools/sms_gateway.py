"""The one adapter between Randevu and a generic HTTP SMS gateway chosen by the business.

A branch (res.company) whose SMS provider is "http" sends every text through HttpSmsGateway:
one request per text to the configured URL (method, headers with the credentials, and a
payload template whose placeholders {number} and {text} are filled in, JSON-escaped), and
the provider's message id read at the configured JSON path of the answer (e.g.
"messages.0.id"). Errors (no connection, timeout, HTTP error, an answer without an id)
raise SmsGatewayError with the sms.sms failure type they map to.
"""

import json

import requests

TIMEOUT = 10

# HTTP answers of a gateway mapped to sms.sms failure types.
HTTP_FAILURE_TYPES = {
    400: "sms_number_format",
    401: "sms_acc",
    402: "sms_credit",
    403: "sms_acc",
    422: "sms_number_format",
}


class SmsGatewayError(Exception):
    """The gateway refused a text or could not be reached; `failure_type` is sms.sms's."""

    def __init__(self, message, failure_type="sms_server"):
        super().__init__(message)
        self.failure_type = failure_type


def json_path(data, path):
    """The value at a dotted `path` ("messages.0.id") of decoded JSON, or None."""
    for part in (path or "").split("."):
        if not part:
            continue
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


class HttpSmsGateway:
    def __init__(self, company, timeout=TIMEOUT):
        self.timeout = timeout
        self.url = company.randevu_sms_gateway_url
        self.method = (company.randevu_sms_gateway_method or "POST").upper()
        self.headers = self.parse_headers(company.randevu_sms_gateway_headers)
        self.template = company.randevu_sms_gateway_payload or '{"to": "{number}", "text": "{text}"}'
        self.id_path = company.randevu_sms_gateway_id_path or "id"

    @staticmethod
    def parse_headers(text):
        """Headers as "Name: value" lines, or a JSON object."""
        text = (text or "").strip()
        if text.startswith("{"):
            return {str(key): str(value) for key, value in json.loads(text).items()}
        headers = {}
        for line in text.splitlines():
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip()] = value.strip()
        return headers

    def payload(self, number, text):
        """The payload template with {number} and {text} filled in (JSON-escaped, without
        their quotes, so the template decides where the quotes go)."""
        body = self.template
        for name, value in (("number", number), ("text", text)):
            body = body.replace("{%s}" % name, json.dumps(value or "")[1:-1])  # noqa: UP031
        return body

    def send(self, number, text):
        """Send one text; returns the provider's message id. Raises SmsGatewayError."""
        if not self.url:
            raise SmsGatewayError("no SMS gateway URL is configured", "sms_acc")
        body = self.payload(number, text)
        headers = dict({"Content-Type": "application/json"}, **self.headers)
        try:
            if self.method == "GET":
                params = json.loads(body)
                response = requests.get(self.url, params=params, headers=headers, timeout=self.timeout)
            else:
                response = requests.request(
                    self.method, self.url, data=body.encode(), headers=headers, timeout=self.timeout
                )
        except requests.Timeout as error:
            raise SmsGatewayError(f"the SMS gateway did not answer in time: {error}") from error
        except (requests.RequestException, ValueError) as error:
            raise SmsGatewayError(f"the SMS gateway could not be reached: {error}") from error
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400:
            failure_type = HTTP_FAILURE_TYPES.get(response.status_code, "sms_server")
            raise SmsGatewayError(f"the SMS gateway answered HTTP {response.status_code}", failure_type)
        message_id = json_path(data, self.id_path)
        if message_id in (None, ""):
            raise SmsGatewayError(f"unexpected answer from the SMS gateway: {data!r}", "unknown")
        return str(message_id)
