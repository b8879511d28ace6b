from . import test_api_access
from . import test_pos_checkout
from . import test_pos_loading
from . import test_pos_tour
from . import test_translations
from . import test_reports
from . import test_accountant_access
from . import test_reports_tour
