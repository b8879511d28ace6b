from . import intervals
