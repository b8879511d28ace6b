from . import test_segment_pos, test_till_codes, test_translations
