"""The language of a message: tr, en or fr, with py3langid's bundled model (no network)
restricted to those three, after the words only one of them writes (see intents.LANGUAGE_WORDS),
which decide short messages better than character statistics."""

import threading

from .intents import language_votes

LANGUAGES = ("tr", "en", "fr")
_identifier = None
_lock = threading.Lock()


def _get_identifier():
    global _identifier  # the model takes two seconds to load: once per process
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(LANGUAGES))
                _identifier = identifier
    return _identifier


def identify(text, folded):
    """The language of `text` (`folded` being its folded form): tr, en or fr."""
    if any(char in text for char in "ığşİĞŞ"):
        return "tr"
    votes = language_votes(folded)
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    if ranked[0][1] and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return _get_identifier().classify(text)[0]
