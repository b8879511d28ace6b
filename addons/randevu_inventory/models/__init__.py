from . import res_company
from . import product_template
from . import product_product
from . import stock_warehouse_orderpoint
from . import randevu_service_consumable
from . import randevu_appointment
from . import randevu_appointment_consumable
from . import res_company_demo
