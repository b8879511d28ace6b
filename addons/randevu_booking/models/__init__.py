from . import randevu_booking_attempt
from . import res_company
