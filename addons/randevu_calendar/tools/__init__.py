from . import held_time
from . import cron_batches
from . import intervals
from . import local_clock
from . import rating_stats
