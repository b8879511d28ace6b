from . import (
    test_access,
    test_instagram,
    test_instagram_concurrency,
    test_media_documents,
    test_sms_gateway,
    test_sms_webhook,
    test_sms_webhook_concurrency,
    test_translations,
    test_webhook,
    test_webhook_concurrency,
    test_whatsapp_channel,
)
