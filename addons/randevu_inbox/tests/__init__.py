from . import (
    test_access,
    test_assistant_answers,
    test_assistant_text,
    test_assistant_understand,
    test_sms_gateway,
    test_sms_webhook,
    test_sms_webhook_concurrency,
    test_translations,
    test_webhook,
    test_webhook_concurrency,
    test_whatsapp_channel,
)
