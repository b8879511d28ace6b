from . import loyalty_program, randevu_appointment, randevu_booking_service, utm_campaign
