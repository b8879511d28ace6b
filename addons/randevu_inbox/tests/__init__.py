from . import test_access, test_translations, test_webhook, test_webhook_concurrency, test_whatsapp_channel
