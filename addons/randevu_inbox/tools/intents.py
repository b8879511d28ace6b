"""What a customer's message asks for, from keywords in Turkish, English and French.

Patterns are regular expressions over the folded text (lower case, no diacritics: see
:mod:`.casefold`), so "İptal", "iptal" and "IPTAL" are one word, and "değiştir" matches
"degistir". Each intent lists its patterns per language; the language votes help tell the
language of a short message.
"""

import re

# In priority order: the first intent with a match wins (a complaint or a request for a
# person before anything else, a cancellation before a booking word in the same message).
INTENTS = [
    (
        "human",
        {
            "tr": r"insanla\w*|gercek (?:bir )?(?:kisi|insan)\w*|yetkili\w*|musteri temsilci\w*|biriyle gorus\w*|"
            r"sikayet\w*|rezalet\w*|berbat\w*|memnun kalmadim|memnun degilim",
            "en": r"human|real person|(?:talk|speak) to (?:a|someone|somebody|the)|an agent|a person|"
            r"complain\w*|terrible|unacceptable|disappointed|not happy|call me|ring me",
            "fr": r"un humain|une personne|quelqu'?un|un conseiller|parler (?:a|au|avec)|responsable|plainte|"
            r"reclamation|inacceptable|decue?s?|pas content\w*|pas satisfait\w*|scandaleux|me rappeler|"
            r"rappelez[- ]moi",
        },
    ),
    (
        "reschedule",
        {
            "tr": r"degistir\w*|ertele\w*|kaydir\w*|baska (?:bir )?(?:gun|saat)\w*|saatini|gununu|tasiy?\w*|"
            r"(?:ileri|geri|one|sonraya) al\w*|aldir(?:abilir|alim|sak)\w*",
            "en": r"reschedul\w*|change|move|postpone|push (?:it|my)|another (?:day|time)|different (?:day|time)",
            "fr": r"changer|change|deplacer|decaler|reporter|modifier|un autre (?:jour|creneau|moment)",
        },
    ),
    (
        "cancel",
        {
            "tr": r"iptal\w*|vazgec\w*",
            "en": r"cancel\w*",
            "fr": r"annul\w*",
        },
    ),
    (
        "decline",
        {
            "tr": r"gelem\w*|gelmeyece\w*|gelmiyece\w*|gelmicem|katilamayaca\w*",
            "en": r"can'?not (?:make|come)|can'?t (?:make|come)|won'?t be able|unable to come",
            "fr": r"ne (?:pourrai|peux|pourrais) pas (?:venir|etre)|pas venir|empeche\w*|"
            r"(?:ne )?serai pas (?:la|disponible)",
        },
    ),
    (
        "confirm",
        {
            "tr": r"onay\w*|teyit\w*",
            "en": r"confirm\w*",
            "fr": r"je confirme|confirm\w*",
        },
    ),
    (
        "price",
        {
            "tr": r"fiyat\w*|ucret\w*|kac (?:para|tl|lira)|ne kadar|tutar\w*",
            "en": r"price\w*|cost\w*|how much|fee\w*|rates?",
            "fr": r"prix|tarif\w*|combien|coute\w*|cout",
        },
    ),
    (
        "address",
        {
            "tr": r"adres\w*|nerede\w*|nerde\w*|konum\w*|yol tarifi|nasil gelir\w*",
            "en": r"address|where (?:are|r) (?:you|u)|where is|location|directions",
            "fr": r"adresse|ou etes[- ]vous|vous etes ou|c'?est ou|ou se trouve|ou vous trouvez|itineraire|"
            r"localisation",
        },
    ),
    (
        "hours",
        {
            "tr": r"acik mi\w*|acik misiniz|kacta ac\w*|kacta kapa\w*|kaca kadar|calisma saat\w*|mesai",
            "en": r"opening hours|open on|are (?:you|u) open|open today|open tomorrow|"
            r"(?:what time|when) do (?:you|u) (?:open|close)|closing time|hours",
            "fr": r"horaires?|ouvert\w*|fermez|ferme a|heures d'ouverture",
        },
    ),
    (
        "book",
        {
            "tr": r"randevu (?:al|ist|ayarla|olustur|yap)\w*|randevu\w* (?:almak|istiyorum|alabilir)\w*|"
            r"rezervasyon\w*|ayarla\w*|ayirt\w*|yazar misiniz|yazabilir misiniz|istiyorum",
            "en": r"book\w*|appointment|reserv\w*|schedule (?:a|an|me)|i(?:'d| would) like|i want|(?:can|could) i get|"
            r"sign me up",
            "fr": r"reserv\w*|prendre (?:un )?(?:rendez[- ]vous|rdv)|rendez[- ]vous|rdv|je voudrais|"
            r"je souhaite|j'aimerais",
        },
    ),
    (
        "availability",
        {
            "tr": r"musait\w*|bos (?:yer|saat|musunuz|mu)\w*|bos\w*|uygun\w*|yer var mi|yeriniz var mi|olur mu",
            "en": r"available|availability|free|any (?:slots?|openings?|space|room)|slots?|openings?|working",
            "fr": r"disponib\w*|dispo\w*|de la place|creneau\w*|libre\w*|possible|travaille\w*",
        },
    ),
    (
        "confirm",
        {
            "tr": r"evet|tamam\w*|tmm|gelece\w*|olur|tabii|tabi",
            "en": r"yes|yep|yeah|ok|okay|sure|see you|all good|sounds good|perfect|👍",
            "fr": r"oui|ok|d'accord|dac|je viendrai|parfait|ca marche",
        },
    ),
    (
        "decline",
        {
            "tr": r"hayir",
            "en": r"no|nope",
            "fr": r"non",
        },
    ),
    (
        "greeting",
        {
            "tr": r"merhaba\w*|selam\w*|iyi gunler|iyi aksamlar|gunaydin|slm|mrb",
            "en": r"hello|hi|hey|good (?:morning|afternoon|evening)",
            "fr": r"bonjour|bjr|salut|slt|bonsoir|coucou",
        },
    ),
]

# A reply to a reminder that is only a number or an emoji.
REMINDER_REPLIES = {"1": "confirm", "2": "cancel", "👍": "confirm", "👌": "confirm"}

# Words that only one language writes: votes for the language of short messages.
LANGUAGE_WORDS = {
    "tr": r"yarin|bugun|saat|randevu|musait|mi|mu|misiniz|iptal|evet|hayir|tamam|merhaba|selam|icin|"
    r"hanim|bey|haftaya|sabah|aksam|ogleden|gun|var|istiyorum|lutfen|tesekkur\w*|nedir|fiyat|ne kadar|hanimdan|beyden|"
    r"adres\w*|neresi|nerede\w*|konum\w*|yrn|slm|mrb|tmm",
    "en": r"tomorrow|today|the|is|are|you|at|please|thanks|cancel|yes|book|appointment|what|how|can|free|"
    r"afternoon|morning|evening|with|next|my|hi|hello",
    "fr": r"demain|aujourd'hui|je|vous|le|la|les|est|pour|avec|rendez-vous|rdv|oui|non|merci|annuler|"
    r"bonjour|prochain|apres-midi|matin|soir|pas|un|une|des|du|quel|quelle|quels|sont|vos|votre|changer|"
    r"annul\w*|disponible\w*|coute|combien|horaires|adresse|salut|bonsoir|d'accord|c'est",
}

_COMPILED = [
    (intent, {lang: re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)") for lang, pattern in by_lang.items()})
    for intent, by_lang in INTENTS
]
_LANGUAGE_COMPILED = {
    lang: re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)") for lang, pattern in LANGUAGE_WORDS.items()
}


def intents_found(text):
    """[(intent, lang)] of every intent pattern found in the folded `text`, in priority order."""
    found = []
    for intent, by_lang in _COMPILED:
        for lang, regex in by_lang.items():
            if regex.search(text):
                found.append((intent, lang))
                break
    return found


def language_votes(text):
    """{lang: number of words only that language writes} in the folded `text`."""
    return {lang: len(regex.findall(text)) for lang, regex in _LANGUAGE_COMPILED.items()}
