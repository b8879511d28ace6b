from . import (
    loyalty_program,
    randevu_appointment,
    randevu_attendee,
    randevu_booking_service,
    randevu_marketing_automation,
    randevu_marketing_automation_send,
    res_partner,
    utm_campaign,
)
