from . import test_availability
from . import test_booking_rules
from . import test_security
from . import test_concurrency
