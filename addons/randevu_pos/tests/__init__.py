from . import test_api_access
from . import test_pos_checkout
from . import test_pos_loading
from . import test_pos_refund
from . import test_pos_refund_tour
from . import test_pos_tips
from . import test_pos_tour
from . import test_translations
