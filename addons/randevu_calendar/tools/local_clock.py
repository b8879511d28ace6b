"""UTC <-> branch-local conversions, memoised.

The availability engine converts thousands of moments per search (aligning
slots on the local grid, counting appointments per local day). A timezone's
offset only changes at its transitions, which fall on quarter hours, so the
offset of a moment is the offset of its UTC quarter hour: one pytz call per
quarter hour instead of one per moment.

Daylight-saving time: how a local wall-clock time is read, everywhere Randevu
turns one into a real moment (working hours, the slot grid):

- a wall time the clock shows twice (the repeated hour of a fall-back night) is
  the *first* time the clock shows it: on 2026-11-01 in New York a shift ending
  at 01:30 ends at 01:30 EDT, before the clocks go back;
- a wall time the clock skips (spring forward) is the change itself: on
  2026-03-08 in New York a shift starting at 02:30 starts at 03:00 EDT, the
  moment the clock jumps from 02:00 to 03:00;
- the slot grid is the wall-clock grid (multiples of the step after local
  midnight) walked in real time: a repeated grid time is two starts (01:00 EDT
  and 01:00 EST), a skipped one none, and a step that does not divide an hour
  (45 min) stays on the wall-clock grid across the change.

Changes are found on the UTC quarter-hour grid and assumed at least a day apart,
which holds for every zone in use today.
"""

from datetime import timedelta

import pytz

QUARTER = timedelta(minutes=15)
DAY = timedelta(days=1)


class LocalClock:
    __slots__ = ("_offsets", "tz")

    def __init__(self, tz):
        self.tz = tz
        self._offsets = {}

    def offset(self, moment):
        """UTC offset of the naive UTC datetime `moment` in this timezone."""
        key = (moment.year, moment.month, moment.day, moment.hour, moment.minute // 15)
        offset = self._offsets.get(key)
        if offset is None:
            quarter = moment.replace(minute=key[4] * 15, second=0, microsecond=0)
            offset = self._offsets[key] = pytz.utc.localize(quarter).astimezone(self.tz).utcoffset()
        return offset

    def to_local(self, moment):
        """Naive local datetime of the naive UTC datetime `moment`."""
        return moment + self.offset(moment)

    def local_day(self, moment):
        return self.to_local(moment).date()

    def next_change(self, start, stop):
        """The first moment in (start, stop] (naive UTC) where the offset changes, or None.

        Day by day from `start`, then by bisection on the quarter hours of the day
        where it changed: a few memoised lookups, no scan."""
        before = self.offset(start)
        low = start
        while low < stop:
            high = min(low + DAY, stop)
            if self.offset(high) != before:
                # offset(low) == before != offset(high); both are their quarter's offset.
                low = low.replace(minute=low.minute // 15 * 15, second=0, microsecond=0)
                high = high.replace(minute=high.minute // 15 * 15, second=0, microsecond=0)
                while high - low > QUARTER:
                    middle = low + (high - low) // QUARTER // 2 * QUARTER
                    if self.offset(middle) == before:
                        low = middle
                    else:
                        high = middle
                return high
            low = high
        return None

    def to_utc(self, local):
        """Naive UTC moment of the naive local wall time `local`: the first time the
        clock shows it when it shows it twice, the change itself when it skips it."""
        candidates = {local - self.offset(local - DAY), local - self.offset(local + DAY)}
        shown = [moment for moment in candidates if self.to_local(moment) == local]
        if shown:
            return min(shown)
        return self.next_change(min(candidates), max(candidates)) or min(candidates)

    def is_repeated(self, moment):
        """Whether the local wall time of `moment` (naive UTC) is shown twice that
        night (the repeated hour of a fall-back night)."""
        local = self.to_local(moment)
        return any(
            other != moment and self.to_local(other) == local
            for other in (local - self.offset(local - DAY), local - self.offset(local + DAY))
        )

    def align(self, moment, step):
        """The first naive UTC datetime >= `moment` whose local wall time is on the grid
        of `step` (multiples of `step` after local midnight)."""
        while True:
            offset = self.offset(moment)
            local = moment + offset
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            aligned_local = min(midnight + -(-(local - midnight) // step) * step, midnight + DAY)
            aligned = aligned_local - offset
            change = self.next_change(moment, aligned)
            if change is None:
                return aligned
            # The clock changes before the grid point: the grid goes on from the change,
            # in the new offset (a wall time is never localised: it may exist twice).
            moment = change

    def grid(self, start, stop, step):
        """The naive UTC moments in [start, stop) whose local wall time is on the grid of
        `step`, in order. Steps of `step` in UTC between changes (and local midnights,
        when `step` does not divide a day); realigned after each."""
        slot = self.align(start, step)
        while slot < stop:
            run_end = stop
            if DAY % step:
                local = self.to_local(slot)
                run_end = min(run_end, local.replace(hour=0, minute=0, second=0, microsecond=0) + DAY - (local - slot))
            run_end = self.next_change(slot, run_end) or run_end
            while slot < run_end:
                yield slot
                slot += step
            if run_end >= stop:
                return
            slot = self.align(run_end, step)


def repeated_time_suffix(tz, moment):
    """' (UTC-4)' to write after the local time of `moment` (naive UTC) when the clock
    shows that time twice (the repeated hour of a fall-back night), so that customers
    tell the first 01:00 from the second; '' for every other time. ASCII, for texts."""
    clock = LocalClock(tz)
    if not clock.is_repeated(moment):
        return ""
    minutes = round(clock.offset(moment).total_seconds() / 60)
    hours, minutes = divmod(abs(minutes), 60)
    sign = "+" if clock.offset(moment) >= timedelta() else "-"
    return f" (UTC{sign}{hours}{f':{minutes:02d}' if minutes else ''})"
