from . import held_time
from . import intervals
from . import local_clock
from . import rating_stats
