"""Arithmetic on sorted lists of half-open intervals [start, stop).

The availability engine keeps every free or busy time as a sorted list of
disjoint (start, stop) pairs of naive UTC datetimes, and asks "is [s, e)
inside it?" with a binary search: no ORM call, no query, O(log n).
"""

from bisect import bisect_right


def normalize(intervals):
    """Sorted, merged, non-empty intervals."""
    result = []
    for start, stop in sorted(intervals):
        if stop <= start:
            continue
        if result and start <= result[-1][1]:
            if stop > result[-1][1]:
                result[-1] = (result[-1][0], stop)
        else:
            result.append((start, stop))
    return result


def intersect(left, right):
    """Intersection of two normalized lists."""
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        stop = min(left[i][1], right[j][1])
        if start < stop:
            result.append((start, stop))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(base, removed):
    """`base` minus `removed` (both normalized)."""
    result = []
    j = 0
    for start, stop in base:
        while j < len(removed) and removed[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(removed) and removed[k][0] < stop:
            if removed[k][0] > cursor:
                result.append((cursor, removed[k][0]))
            cursor = max(cursor, removed[k][1])
            k += 1
        if cursor < stop:
            result.append((cursor, stop))
    return result


class IntervalSet:
    """A normalized list with O(log n) containment tests."""

    __slots__ = ("intervals", "starts")

    def __init__(self, intervals):
        self.intervals = intervals
        self.starts = [start for start, _stop in intervals]

    def contains(self, start, stop):
        """True when [start, stop) lies inside one interval of the set."""
        index = bisect_right(self.starts, start) - 1
        return index >= 0 and self.intervals[index][1] >= stop
