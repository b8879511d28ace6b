from . import (
    test_attribution,
    test_automation_codes,
    test_booking_consent,
    test_class_code,
    test_discount_code,
    test_first_visit,
    test_profile_buttons,
    test_translations,
)
