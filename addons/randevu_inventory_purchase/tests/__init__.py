from . import test_purchase_proposal
from . import test_access
from . import test_translations
from . import test_purchase_proposal_concurrency
