from . import account_move
from . import account_move_line
from . import payment_provider
from . import payment_transaction
from . import randevu_appointment
from . import res_company
from . import randevu_booking_service
from . import randevu_day_planner
