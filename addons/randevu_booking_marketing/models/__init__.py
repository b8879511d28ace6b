from . import loyalty_program, randevu_appointment, randevu_booking_service, res_partner, utm_campaign
