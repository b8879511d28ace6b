from . import payment_transaction
from . import randevu_appointment
from . import randevu_booking_attempt
from . import randevu_message
from . import randevu_online_booking
from . import randevu_waitlist
from . import res_company
from . import ir_http
