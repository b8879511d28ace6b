from . import res_company
from . import res_partner
from . import product_template
from . import randevu_service_staff
from . import hr_employee
from . import randevu_appointment
from . import randevu_appointment_segment
from . import randevu_availability
