from . import test_first_visit_till, test_segment_pos, test_till_codes, test_translations
