"""UTC <-> branch-local conversions, memoised.

The availability engine converts thousands of moments per search (aligning
slots on the local grid, counting appointments per local day). A timezone's
offset only changes at its transitions, which fall on quarter hours, so the
offset of a moment is the offset of its UTC quarter hour: one pytz call per
quarter hour instead of one per moment.
"""

import pytz


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

    def align(self, moment, step):
        """The first naive UTC datetime >= `moment` on the local grid of `step`
        (multiples of `step` after local midnight)."""
        local = self.to_local(moment)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        aligned_local = midnight + -(-(local - midnight) // step) * step  # ceiling division
        aligned = aligned_local - self.offset(moment)
        if self.to_local(aligned) != aligned_local:
            # A transition between `moment` and the grid point (a DST night): ask pytz.
            aligned = self.tz.localize(aligned_local).astimezone(pytz.utc).replace(tzinfo=None)
        return aligned
