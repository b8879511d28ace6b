from . import test_api_access
from . import test_pos_checkout
from . import test_pos_deposit
from . import test_pos_deposit_tour
from . import test_pos_loading
from . import test_pos_pay_later
from . import test_pos_tour
from . import test_translations
