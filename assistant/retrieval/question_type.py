"""What kind of answer a question asks for: lookup, overview, comparison, yes/no or quantity.

Decided from the question's form (its first words, interrogatives, plural objects) and from how
many document groups it names, never from its topic, so it holds for questions about any
document. The type decides how the answer is composed (assistant.overview) and what the
sources must contain for it (a quantity question needs a number in the quoted sentence).
"""

from __future__ import annotations

import re
from enum import StrEnum

from assistant.core.numbers import quantities
from assistant.core.vocabulary import fold


def _words(text: str) -> list[str]:
    return text.split()


class QuestionType(StrEnum):
    LOOKUP = "lookup"
    OVERVIEW = "overview"
    COMPARISON = "comparison"
    YESNO = "yesno"
    QUANTITY = "quantity"


_QUANTITY = re.compile(
    r"\b(hoeveel|hoe ?veel|hoe lang|hoe hoog|hoe groot|welk bedrag|welke omvang|hoeveelheid|"
    r"welk percentage|welk aantal|how many|how much|how long|how high|how large|how big|"
    r"what amount|which amount|what percentage|what share|what number of|what budget|"
    r"what sum|what rate|what proportion|welke leeftijd|what age|which age|how old|"
    r"hoe snel|hoe spoedig|hoe vaak|how quickly|how soon|how fast|how often|"
    r"binnen welke termijn|within what (?:time|period)|"
    r"what is the (?:maximum|minimum)|wat is de (?:maximale|minimale))\b"
)
_COMPARE = re.compile(
    r"\b(vergelijk\w*|verschil\w*|versus|vs|tegenover|overeenkomst\w*|compare\w*|comparison|"
    r"differ\w*|contrast\w*|in common|gemeen)\b"
)
_OVERVIEW = re.compile(
    r"\b(overzicht|opsomming|som\w* op|noem (?:alle|de|zijn|haar)|wat zijn (?:de|alle)|"
    r"welke (?:zijn|punten|onderwerpen)|overview|list (?:all|the)|list\b|enumerate|"
    r"what are (?:the|all|its|their)|which are the|summari[sz]e|give (?:me )?(?:all|an overview)|"
    # "what are Jeugdzorg Nederland's suggestions", "wat zijn haar/zijn punten"
    r"(?:what|which) are [\w .-]{2,40}?['’]s? \w{3,}s\b|"
    r"wat zijn (?:haar|zijn|hun) \w+en\b|welke (?:lijnen|thema's|themas|speerpunten))"
)
#: "Welke aanbevelingen", "which recommendations": an interrogative before a plural noun.
_WHICH_PLURAL = re.compile(r"\b(welke|which|what)\s+(\w+)(?:\s+(\w+))?")
#: After "what <noun>s" one of these shows the noun is the object ("what steps does ..."),
#: not a verb ("what happens ...").
_AUX_EN = frozenset(_words("do does did are were should would could can will must have has"))
_PLURAL_NL = re.compile(r"\w{3,}(en|s)$")
_PLURAL_EN = re.compile(r"\w{3,}s$")
_NOT_PLURAL = frozenset(
    _words(
        "is was does do did has have should would could can will kinds kind sort type rol role "
        "plans doel goal this ones"
    )
)
#: Words that open a yes/no question: finite verbs and auxiliaries.
_YESNO_START = frozenset(
    _words("""is zijn was waren moet moeten kan kunnen wil willen heeft hebben had hadden wordt
    worden werd gaat gaan ging mag mogen zal zullen zou zouden staat staan bevat noemt
    pleit pleiten steunt steunen adviseert beveelt vindt vinden zegt zeggen stelt stellen
    wilde wilden wil vraagt vragen valt
    are does do did should would could can will has have must may might shall""")
)


def classify(question: str, groups: int = 0) -> QuestionType:
    """The type of ``question``; ``groups`` is how many document groups it names."""
    text = fold(question).strip()
    if _QUANTITY.search(text):
        return QuestionType.QUANTITY
    if groups >= 2 or (_COMPARE.search(text) and groups != 1):
        return QuestionType.COMPARISON
    if _OVERVIEW.search(text):
        return QuestionType.OVERVIEW
    for m in _WHICH_PLURAL.finditer(text):
        noun = m.group(2)
        if noun in _NOT_PLURAL:
            continue
        plural = _PLURAL_EN if m.group(1) != "welke" else _PLURAL_NL
        if m.group(1) == "what" and m.group(3) not in _AUX_EN:
            break
        if plural.fullmatch(noun) and not noun.endswith("ss"):
            return QuestionType.OVERVIEW
        break
    first = text.split(maxsplit=1)[0] if text else ""
    if first in _YESNO_START:
        return QuestionType.YESNO
    return QuestionType.LOOKUP


#: Amounts without a number of their own ("procent", "€") or with one too large to spell.
_AMOUNT = re.compile(r"%|€|\b(?:procent|percent|miljoen|miljard|million|billion)\b")


def states_quantity(sentence: str) -> bool:
    """Whether a sentence gives a number, amount, share or duration, in digits or in words
    ("binnen zes weken", "twee derde"); a date, year or ordinal is no quantity."""
    return bool(_AMOUNT.search(fold(sentence))) or bool(quantities(sentence))
