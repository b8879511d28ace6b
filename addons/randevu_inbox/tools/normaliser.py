# ruff: noqa: RUF001, RUF002, RUF003 (Turkish dotless i, typographic apostrophes: the text customers write)
"""Dates, times and parts of the day in customers' messages (Turkish, English, French).

Works on the folded text (see :mod:`.casefold`) and a local "today" of the branch, with no
network. Relative words are our own rules, because ``dateparser`` misreads or ignores them
("yarın saat 14:00" comes back at the current time, "demain 14h" at 14 hours from now,
"haftaya salı", "mardi prochain", "öbür gün" give nothing). ``dateparser`` reads what it
reads well: a day and a month name in any of the three languages ("15 aralık", "3 mars",
"December 15th").

Rules:
- a bare weekday is its next occurrence, today included ("cuma" on a Friday is today);
- "haftaya salı", "next Tuesday", "mardi prochain", "gelecek salı" are the Tuesday of
  next week (the week starting on the next Monday);
- "bu cuma", "this Friday", "ce vendredi" are the coming Friday, today included;
- a day and month without a year is the next such date, today included.
"""

import re
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = {
    # folded forms; Turkish with its common suffixes handled by the regex below
    "pazartesi": 0,
    "sali": 1,
    "carsamba": 2,
    "persembe": 3,
    "cuma": 4,
    "cumartesi": 5,
    "pazar": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    # what customers type for short: Turkish everywhere ("pzt", "cmt"), English in English only
    "pzt": 0,
    "crs": 2,
    "prs": 3,
    "cmt": 5,
    "pzr": 6,
}
# English short day names; not in other languages ("sat" is a typo of Turkish "saat", "mon" is French)
WEEKDAYS_EN = {"tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
MONTHS = (
    "ocak|subat|mart|nisan|mayis|haziran|temmuz|agustos|eylul|ekim|kasim|aralik|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
)
# dateparser wants the accented month names back
_MONTH_ACCENTS = {
    "subat": "şubat",
    "mayis": "mayıs",
    "agustos": "ağustos",
    "eylul": "eylül",
    "kasim": "kasım",
    "aralik": "aralık",
    "fevrier": "février",
    "aout": "août",
    "decembre": "décembre",
}

_W = r"(?<![\w])"  # start of a word
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_WEEKDAY_RE_EN = "|".join(sorted({**WEEKDAYS, **WEEKDAYS_EN}, key=len, reverse=True))
_TR_SUFFIX = r"(?:ya|ye|yi|yı|a|e|i|da|de|ta|te|dan|den|ki|nin|nın|u|ü)?"

PARTS_OF_DAY = [
    ("morning", r"sabah\w*|ogleden once|morning|matin(?:ee)?|\bam\b"),
    ("afternoon", r"ogleden sonra|ogle\w*|oglen\w*|afternoon|apres[- ]?midi|aprem|\bmidi\b|noon"),
    ("evening", r"aksam\w*|evening|tonight|soir(?:ee)?"),
]

_GREETINGS_OF_THE_DAY = r"(?:iyi aksamlar|iyi geceler|hayirli sabahlar|good (?:morning|afternoon|evening))"
_TODAY = r"bugun\w*|today|aujourd'?hui|tonight|ce soir|bu aksam|bu sabah|this (?:morning|afternoon|evening)"
_TOMORROW = r"yarin\w*|yrn|yarn|tomorrow|tomorow|tommorow|tommorrow|tmrw?|demain|dmn"
_AFTER_TOMORROW = (
    r"obur ?gun\w*|obursu ?gun\w*|yarindan sonra|day after tomorrow|apres[- ]demain|apres demain|"
    r"ertesi ?gun\w*"
)


def _find(pattern, text):
    return re.search(_W + r"(?:" + pattern + r")(?!\w)", text)


def parse_part_of_day(text):
    """morning / afternoon / evening named in the folded `text`, or None."""
    # greetings name a part of the day they do not ask for ("iyi akşamlar", "good morning")
    text = re.sub(_W + _GREETINGS_OF_THE_DAY + r"(?!\w)", " ", text)
    for name, pattern in PARTS_OF_DAY:
        if re.search(_W + r"(?:" + pattern + r")", text):
            return name
    return None


def _next_weekday(today, weekday, next_week=False):
    if next_week:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def parse_date(text, today, lang=None):
    """The local date meant by the folded `text`, relative to the branch's local `today`
    (a ``datetime.date``), or None. Returns (date, matched span) so callers can remove it."""
    # after tomorrow before tomorrow: "yarından sonra" holds "yarın"
    match = _find(_AFTER_TOMORROW, text)
    if match:
        return today + timedelta(days=2), match.span()
    match = _find(_TOMORROW, text)
    if match:
        return today + timedelta(days=1), match.span()
    match = _find(_TODAY, text)
    if match:
        return today, match.span()
    # in N days
    match = re.search(r"(\d{1,2}) ?gun (?:sonra|icinde)|in (\d{1,2}) days?|dans (\d{1,2}) jours?", text)
    if match:
        days = int(next(group for group in match.groups() if group))
        return today + timedelta(days=days), match.span()
    # weekdays: next week / this week / bare
    weekday = r"(" + (_WEEKDAY_RE_EN if lang == "en" else _WEEKDAY_RE) + r")"
    patterns = [
        (r"(?:haftaya|gelecek hafta(?:ki)?|onumuzdeki hafta(?:ki)?|gelecek|onumuzdeki) " + weekday + _TR_SUFFIX, True),
        (r"next (?:week )?" + weekday, True),
        (weekday + r" (?:prochain|de la semaine prochaine|next week)", True),
        (r"(?:bu|this|ce) " + weekday + _TR_SUFFIX, False),
        (weekday + _TR_SUFFIX, False),
    ]
    for pattern, next_week in patterns:
        match = re.search(_W + pattern + r"(?!\w)", text)
        if match:
            weekday_number = WEEKDAYS.get(match.group(1), WEEKDAYS_EN.get(match.group(1)))
            return _next_weekday(today, weekday_number, next_week), match.span()
    # numeric day/month: 15/12, 15/12/2026, 15.12.2026 (15.12 alone only when 12 cannot be minutes of a time)
    match = re.search(r"(?<![\d:.])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d])", text) or re.search(
        r"(?<![\d:.])(\d{1,2})\.(\d{1,2})\.(\d{2,4})(?![\d])", text
    )
    if match:
        found = _day_month(today, int(match.group(1)), int(match.group(2)), match.group(3))
        if found:
            return found, match.span()
    # day and month name, through dateparser
    match = re.search(
        _W
        + r"(\d{1,2})(?:st|nd|rd|th|er)? ("
        + MONTHS
        + r")\w*|"
        + _W
        + r"("
        + MONTHS
        + r") (\d{1,2})(?:st|nd|rd|th)?(?!\d)",
        text,
    )
    if match:
        phrase = " ".join(_MONTH_ACCENTS.get(word, word) for word in match.group(0).split())
        parsed = dateparser.parse(
            phrase,
            languages=[lang] if lang else ["tr", "en", "fr"],
            settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": _midnight(today)},
        )
        if parsed:
            found = parsed.date()
            if found < today:
                found = _day_month(today, found.day, found.month, None)
            return found, match.span()
    return None, None


def _midnight(day):
    return datetime(day.year, day.month, day.day)


def _day_month(today, day, month, year):
    if year:
        year = int(year)
        year = year + 2000 if year < 100 else year
        years = [year]
    else:
        years = [today.year, today.year + 1]
    for candidate_year in years:
        try:
            found = date(candidate_year, month, day)
        except ValueError:
            return None
        if year or found >= today:
            return found
    return None


# ---------------------------------------------------------------------------------- times
# Each pattern gives (hour, minute, meridiem, explicit): explicit times (14:00, 2pm, 14h)
# are kept as they are; bare hours ("saat 3", "3te", "at 11") are resolved against the
# opening hours by the caller.
_TIME_PATTERNS = [
    # 14:00, 14.00 (a dot with minutes 13-59 or 00), 2:30pm
    (r"(?<![\d/.])(\d{1,2})[:.](\d{2})(?![\d/]|\.\d) ?(am|pm|a\.m\.|p\.m\.)?", True),
    # 14h, 14h30, 14 h
    (r"(?<![\d/.])(\d{1,2}) ?h(\d{2})?(?![a-z])", True),
    # 2pm, 11 am
    (r"(?<![\d/.:])(\d{1,2}) ?(am|pm|a\.m\.|p\.m\.)", True),
    # saat 3, saat 3te, at 11, à 11, vers 11, around 11
    (r"(?:saat|at|around|about|a|vers) (\d{1,2})(?:'? ?(?:te|de|ta|da|ten|den|gibi))?(?![\d/.:])", False),
    # 3te, 11'de, 5 gibi
    (r"(?<![\d/.:])(\d{1,2}) ?'? ?(?:te|de|ta|da|gibi)(?![a-z])", False),
    # 5'e, 10'a, 2ye: the Turkish dative of a bare hour (the apostrophe or the y tells it)
    (r"(?<![\d/.:])(\d{1,2})(?:'y?[ae]|y[ae])(?![a-z])", False),
]


def parse_time(text):
    """(hour, minute, explicit, span) of the first time in the folded `text`, or None.
    `explicit` is False for a bare hour that may mean the afternoon ("3te")."""
    best = None
    for index, (pattern, explicit) in enumerate(_TIME_PATTERNS):
        for match in re.finditer(pattern, text):
            groups = match.groups()
            hour = int(groups[0])
            minute = 0
            meridiem = None
            if index == 0:
                minute = int(groups[1])
                meridiem = groups[2]
                # "15.12" is a date, "14.00" and "10.30" are times
                if text[match.start() + len(groups[0])] == "." and 1 <= minute <= 12:
                    continue
            elif index == 1:
                minute = int(groups[1] or 0)
            elif index == 2:
                meridiem = groups[1]
            if meridiem:
                if hour > 12:
                    continue
                if meridiem.startswith("p") and hour < 12:
                    hour += 12
                elif meridiem.startswith("a") and hour == 12:
                    hour = 0
                explicit_here = True
            else:
                explicit_here = explicit
            if hour > 23 or minute > 59:
                continue
            # an explicit time wins over a bare hour ("à 10h30" is 10:30, not "à 10"), then the first one
            if best is None or (not explicit_here, match.start()) < (not best[2], best[3][0]):
                best = (hour, minute, explicit_here, match.span())
            break
    # noon; not the "midi" of "après-midi"
    if best is None and re.search(r"(?<![\w-])(?<!apres )(?:oglen|ogle vakti|noon|midi)(?!\w)", text):
        return 12, 0, True, None
    return best


def resolve_hour(hour, explicit, part_of_day, is_open):
    """The 24-hour hour of a time read as `hour`: an afternoon or evening moves 1-11 to
    13-23; a bare hour closed at `hour` but open at `hour` + 12 ("3te" at a salon open
    09:00-19:00) is the afternoon one. `is_open(hour)` tells the branch's opening hours."""
    if hour >= 12 or (explicit and hour >= 1 and not part_of_day):
        return hour
    if part_of_day in ("afternoon", "evening") and 1 <= hour < 12:
        return hour + 12
    if not explicit and 1 <= hour < 12 and not is_open(hour) and is_open(hour + 12):
        return hour + 12
    return hour
