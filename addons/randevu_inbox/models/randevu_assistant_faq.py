# ruff: noqa: RUF003 (Turkish dotless i: the words customers write)
import re

from rapidfuzz import fuzz

from odoo import api, fields, models

from ..tools.casefold import fold

# The score (0-100) a message must reach against one phrasing of an entry to be that FAQ.
FAQ_THRESHOLD = 80
# Little words that say nothing of the question ("is there", "var mı", "est-ce que"):
# a phrasing's score counts its other words only (each by its length), so "otopark var mı"
# is about "otopark" and "varmı" or a missing "mı" costs nothing.
_STOP_WORDS = frozenset(
    "mi mu var yok ne bir icin ile da de ki acaba "
    "do does you your is are there a an the have has can i we my any to for of in on it "
    "est ce que qu il y a avez vous de du des le la les un une on peut je pour en au aux votre vos".split()
)


class RandevuAssistantFaq(models.Model):
    """A question customers ask a branch, in the words they use, and the branch's answer:
    the assistant answers it on the chat (intent `faq`)."""

    _name = "randevu.assistant.faq"
    _description = "Assistant FAQ Entry"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Topic", required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, default=lambda self: self.env.company
    )
    questions = fields.Text(
        string="Question Phrasings",
        required=True,
        translate=True,
        help='How customers ask it, one phrasing per line (e.g. "is there parking", "car park"); the '
        "assistant recognises them, with typos, in messages of this language and in English.",
    )
    answer = fields.Text(required=True, translate=True, help="What the assistant replies, in the customer's language.")
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)

    @api.model
    def _randevu_match(self, folded, branch, lang, lang_code):
        """(entry, score 0-100) of the branch's active entry whose phrasing (in `lang_code`
        and in English) best matches the folded message; (empty, 0) below FAQ_THRESHOLD.
        Deterministic: ties go to the first entry in sequence order."""
        words = re.findall(r"\w+", folded.replace("'", " "))
        if not words:
            return self.browse(), 0
        # Superuser: an entry's answer is what the assistant tells any customer of the
        # branch; the caller's right to act for the branch was checked by understand().
        entries = self.sudo().search([("company_id", "=", branch.id)])
        best, best_score = self.browse(), 0
        for code in dict.fromkeys((lang_code, "en_US")):
            for entry in entries.with_context(lang=code):
                for line in (entry.questions or "").splitlines():
                    phrase = re.findall(r"\w+", fold(line, lang).replace("'", " "))
                    score = _phrasing_score(phrase, words)
                    if score > best_score or (score == best_score and best and _before(entry, best)):
                        best, best_score = entry, score
        if best_score < FAQ_THRESHOLD:
            return self.browse(), 0
        return self.browse(best.id), best_score


def _before(entry, other):
    return (entry.sequence, entry.id) < (other.sequence, other.id)


def _word_score(expected, word):
    if word == expected:
        return 100
    # Turkish endings and joined question particles: "otoparkınız", "varmı", "kartla"
    if len(expected) >= 3 and word.startswith(expected) and len(word) - len(expected) <= 4:
        return 100
    if len(expected) <= 3:
        return 0
    score = fuzz.ratio(expected, word)
    if len(word) > len(expected):  # a typo with an ending: "otoprakta"
        score = max(score, fuzz.ratio(expected, word[: len(expected)]))
    return score if score >= 75 else 0


def _phrasing_score(phrase, words):
    """How well the message's `words` contain the phrasing's words (any order): the
    best score of each word of the phrasing but the little ones (all of them when it has
    nothing else), weighted by its length."""
    phrase = [word for word in phrase if word not in _STOP_WORDS] or phrase
    if not phrase:
        return 0
    total = sum(len(expected) * max(_word_score(expected, word) for word in words) for expected in phrase)
    return total / sum(len(expected) for expected in phrase)
