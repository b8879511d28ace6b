"""Downloading a customer's media (photos, PDFs) for the inbox: capped in size, and only the
kinds the inbox keeps (images and PDF), for both adapters (WhatsApp, Instagram)."""

import requests

TIMEOUT = 10
# Meta's own caps are 5 MB (WhatsApp images) to 100 MB (documents): the inbox keeps less.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED_MIMETYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif", "application/pdf"}
)


class MediaRefused(Exception):
    """A file the inbox does not keep: too big, not an image or a PDF, or unreachable."""


def mimetype_allowed(mimetype):
    return (mimetype or "").split(";")[0].strip().lower() in ALLOWED_MIMETYPES


def download(url, max_bytes, headers=None):
    """The content and mimetype at `url`, refused (MediaRefused) over `max_bytes` or when
    not an image or a PDF; the size is checked while reading, not only from the header."""
    try:
        with requests.get(url, headers=headers or {}, timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise MediaRefused(f"HTTP {response.status_code}")
            mimetype = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if not mimetype_allowed(mimetype):
                raise MediaRefused(f"type {mimetype or '?'}")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise MediaRefused(f"size {int(length)} bytes")
            chunks, total = [], 0
            for chunk in response.iter_content(65536):
                total += len(chunk)
                if total > max_bytes:
                    raise MediaRefused(f"size over {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks), mimetype
    except requests.RequestException as error:
        raise MediaRefused(f"not reachable: {error}") from error
