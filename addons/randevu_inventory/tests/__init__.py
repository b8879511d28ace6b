from . import test_warehouse
from . import test_consumption
from . import test_lots
from . import test_access
from . import test_translations
from . import test_valuation
from . import test_lot_tour
from . import test_checkout_moment
