from . import (
    test_access,
    test_attribution,
    test_concurrency,
    test_consent,
    test_demo,
    test_export,
    test_http,
    test_mailing,
    test_segment,
    test_segment_access,
    test_transactional,
    test_translations,
)
