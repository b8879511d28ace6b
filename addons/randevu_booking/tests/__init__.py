from . import test_booking_pages
from . import test_booking_confirm
from . import test_booking_tour
from . import test_portal
from . import test_portal_tour
from . import test_translations
from . import test_booking_snippets
from . import test_booking_embed
