from . import (
    mail_gateway,
    mail_gateway_whatsapp,
    mail_whatsapp_template,
    product_template,
    randevu_assistant,
    randevu_conversation,
    randevu_inbox_event,
    randevu_message,
    randevu_reminder_rule,
    res_company,
    res_partner,
    sms_sms,
)
