from . import (
    blacklist,
    mailing_mailing,
    randevu_appointment,
    randevu_booking_service,
    randevu_consent,
    randevu_consent_event,
    randevu_segment,
    res_partner,
    utm_campaign,
)
