"""The time an appointment holds: the one rule for buffers and the processing gap.

Used by the busy segments (randevu.appointment._segment_values), the availability
engine (randevu.availability) and the Day planner, through
product.template._randevu_held_margins / _randevu_held_intervals.
"""

from collections import namedtuple
from datetime import timedelta

# A service's margins as timedeltas: buffer before and after, start and length of the processing gap.
HeldMargins = namedtuple("HeldMargins", "before after processing_start processing_duration")
NO_MARGINS = HeldMargins(timedelta(), timedelta(), timedelta(), timedelta())


def held_intervals(start, stop, margins):
    """(staff parts, resource interval) that a booking from `start` to `stop` holds:
    buffers included on both; the processing gap frees the staff member (never the
    resources) when it lies strictly inside the held time, else the staff member
    holds it all."""
    held_start, held_stop = start - margins.before, stop + margins.after
    staff_parts = [(held_start, held_stop)]
    if margins.processing_duration:
        gap_start = start + margins.processing_start
        gap_stop = gap_start + margins.processing_duration
        if held_start < gap_start and gap_stop < held_stop:
            staff_parts = [(held_start, gap_start), (gap_stop, held_stop)]
    return staff_parts, (held_start, held_stop)
