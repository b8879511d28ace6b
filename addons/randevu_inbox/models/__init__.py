from . import (
    mail_gateway,
    mail_gateway_instagram,
    mail_gateway_whatsapp,
    mail_whatsapp_template,
    randevu_conversation,
    randevu_inbox_event,
    randevu_appointment,
    randevu_message,
    randevu_reminder_rule,
    res_company,
    res_partner,
    sms_sms,
)
