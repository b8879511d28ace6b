from . import test_attribution, test_booking_consent, test_translations
