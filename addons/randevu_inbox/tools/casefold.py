# ruff: noqa: RUF001, RUF002 (Turkish dotless i, typographic apostrophes: the text customers write)
"""Turkish-aware case folding for matching customers' messages.

Python's ``str.lower()`` maps "I" to "i" and "İ" to "i̇" (an "i" followed by a combining
dot), which is wrong in Turkish where "I" pairs with "ı" and "İ" with "i". Customers also
type without Turkish or French letters ("yarin", "degistir", "apres-midi"), so matching
uses a second, accent-free form (:func:`fold`).
"""

import unicodedata

_TURKISH_UPPER = str.maketrans({"I": "ı", "İ": "i"})
# After case folding: letters a phone keyboard may not have, to their plain form.
_PLAIN = str.maketrans({"ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u", "œ": "oe", "æ": "ae"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def casefold(text, lang=None):
    """Lower-case `text` the way `lang` does: in Turkish (``lang="tr"``) "I" becomes "ı"
    and "İ" becomes "i"; elsewhere "İ" still becomes a plain "i" (never "i̇")."""
    text = unicodedata.normalize("NFC", text or "")
    if lang == "tr":
        text = text.translate(_TURKISH_UPPER)
    else:
        text = text.replace("İ", "i")
    return text.lower()


def fold(text, lang=None):
    """The accent-free, lower-case form used to compare words: ``casefold`` then every
    diacritic dropped ("Öğleden SONRA" → "ogleden sonra", "Après-midi" → "apres-midi"),
    typographic apostrophes made plain."""
    text = casefold(text, lang).translate(_PLAIN).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
