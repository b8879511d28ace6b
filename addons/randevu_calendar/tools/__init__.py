from . import intervals
from . import local_clock
