from . import payment_provider
from . import payment_transaction
from . import randevu_appointment
from . import randevu_booking_attempt
from . import randevu_online_booking
from . import res_company
from . import ir_http
