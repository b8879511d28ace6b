from . import test_availability
from . import test_booking_rules
from . import test_security
from . import test_concurrency
from . import test_day_planner
from . import test_recurrence
from . import test_group_sessions
from . import test_translations
