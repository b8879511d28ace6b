from . import (
    mail_gateway_whatsapp,
    mailing_mailing,
    mailing_trace,
    randevu_consent_record,
    randevu_conversation,
    randevu_inbox_event,
    randevu_marketing_automation,
    randevu_segment,
    res_company,
)
