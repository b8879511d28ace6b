from . import test_booking_consent, test_translations
