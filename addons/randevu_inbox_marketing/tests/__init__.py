from . import (
    test_access,
    test_ask_consent,
    test_consent_replies,
    test_not_a_booking_reply,
    test_translations,
    test_whatsapp_automation,
    test_whatsapp_campaign,
    test_whatsapp_campaign_concurrency,
    test_whatsapp_campaign_statuses,
)
