from . import test_booking_pages
from . import test_booking_confirm
from . import test_booking_tour
