from . import stock_warehouse_orderpoint
from . import res_company_demo
