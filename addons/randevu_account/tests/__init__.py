from . import test_api_access
from . import test_deposits
from . import test_invoices
from . import test_payment_link
from . import test_translations
from . import test_upgrade
