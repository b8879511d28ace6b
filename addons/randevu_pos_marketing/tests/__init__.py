from . import test_segment_pos, test_translations
