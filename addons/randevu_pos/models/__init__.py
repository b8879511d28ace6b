from . import hr_employee
from . import pos_config
from . import pos_order
from . import pos_order_line
from . import pos_order_refund
from . import pos_session
from . import randevu_appointment
