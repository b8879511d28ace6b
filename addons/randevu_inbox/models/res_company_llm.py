from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """A branch's optional language model for the assistant (off by default): any
    OpenAI-compatible chat API (Ollama, vLLM, a cloud service). Its settings hold the API
    key: only administrators (Settings) read or change them; the inbox's worker reads them
    as superuser."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    randevu_llm_enabled = fields.Boolean(
        string="Language Model",
        default=False,
        groups="base.group_system",
        help="When the assistant's rules do not understand a message, ask a language model (an OpenAI-compatible "
        "chat API). It only proposes: every booking, move or cancellation is checked by the same rules and "
        "confirmed by the customer.",
    )
    randevu_llm_base_url = fields.Char(
        string="Chat API Base URL",
        groups="base.group_system",
        help="The OpenAI-compatible API's base URL, e.g. http://localhost:11434/v1 for Ollama; "
        "/chat/completions is added.",
    )
    randevu_llm_model = fields.Char(string="Model", groups="base.group_system", help="e.g. llama3.1, qwen2.5:7b")
    randevu_llm_api_key = fields.Char(
        string="API Key", groups="base.group_system", copy=False, help="Sent as a Bearer token; empty for Ollama."
    )
    randevu_llm_timeout = fields.Integer(
        string="Timeout (seconds)",
        default=20,
        groups="base.group_system",
        help="How long to wait for each answer of the model; past it the assistant goes on without it.",
    )

    @api.constrains("randevu_llm_enabled", "randevu_llm_base_url", "randevu_llm_model", "randevu_llm_timeout")
    def _check_randevu_llm(self):
        for company in self:
            if not 1 <= company.randevu_llm_timeout <= 120:
                raise ValidationError(self.env._("The language model's timeout must be between 1 and 120 seconds."))
            url = (company.randevu_llm_base_url or "").strip()
            if url and not url.startswith(("http://", "https://")):
                raise ValidationError(self.env._("The chat API's base URL must start with http:// or https://."))
            if company.randevu_llm_enabled and (not url or not (company.randevu_llm_model or "").strip()):
                raise ValidationError(self.env._("A language model needs the chat API's base URL and a model."))
