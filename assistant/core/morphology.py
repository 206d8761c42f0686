"""Dutch word relations the Snowball stemmer does not see, on its stems.

The stemmer makes "oorzaken" and "oorzaak" one word, and a regular participle its verb
("ingevoerd" -> "invoer"), but not a strong or irregular participle ("ingekocht" ->
"inkocht", not "inkoop"), nor an adjective and the noun it derives from ("problematisch" from
"probleem", also inside the compound "probleemschulden"). Both are common in policy text,
where a question's noun comes back as the documents' participle ("de inkoop" -> "wordt
centraler ingekocht") or adjective.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from assistant.core.words import stem

#: Separable particles before a participle ("in|ge|kocht", "aan|ge|nomen").
SEPARABLE_PARTICLES = (
    "aan", "af", "bij", "binnen", "door", "in", "los", "mee", "na", "neer", "om", "onder",
    "op", "over", "samen", "tegen", "terug", "thuis", "toe", "tot", "uit", "vast", "voor",
    "vrij", "weg",
)  # fmt: skip

#: Verbs whose participle changes the vowel or the stem, as (participle, infinitive): the
#: stemmer leaves "gekocht" apart from "kopen". Regular verbs need no entry.
IRREGULAR_PARTICIPLES = (
    ("gekocht", "kopen"), ("gebracht", "brengen"), ("gedacht", "denken"),
    ("gezocht", "zoeken"), ("gesloten", "sluiten"), ("genomen", "nemen"),
    ("geboden", "bieden"), ("geschreven", "schrijven"), ("gebleven", "blijven"),
    ("gebleken", "blijken"), ("gedreven", "drijven"), ("gewezen", "wijzen"),
    ("gekozen", "kiezen"), ("getrokken", "trekken"), ("gesproken", "spreken"),
    ("geholpen", "helpen"), ("gedwongen", "dwingen"), ("gevonden", "vinden"),
    ("gebonden", "binden"), ("gewogen", "wegen"), ("geschoten", "schieten"),
    ("gevlogen", "vliegen"), ("begonnen", "beginnen"), ("gestegen", "stijgen"),
    ("geworven", "werven"), ("gestorven", "sterven"), ("gebeden", "bidden"),
)  # fmt: skip

#: Adjective endings that derive from a noun, on the stem with long vowels written once, and
#: what the noun ends in instead: "problem|atisch", "structur|el" (structureel, structurele),
#: "region|al". Longest first. Not "-ief": "constructief" is not about a "constructie".
ADJECTIVE_SUFFIXES = (("atisch", ""), ("isch", ""), ("el", ""), ("al", ""))
#: A derived root shorter than this says too little ("log|isch", "med|isch").
MIN_ROOT = 5
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


@cache
def _participles() -> dict[str, str]:
    """Stem of each irregular participle -> stem of its verb, for the stemmer in use."""
    out: dict[str, str] = {}
    for participle, infinitive in IRREGULAR_PARTICIPLES:
        p, v = stem(participle), stem(infinitive)  # also verbs that are stop words
        if p != v:
            out[p] = v
    return out


#: Prefixes that take no "ge-" in the participle ("herhaald", "bepaald", "ontvangen"): the
#: stemmer keeps such a participle's final -d/-t, so "herhaald" stays apart from "herhaling".
INSEPARABLE_PREFIXES = ("be", "her", "ver", "ont", "er")
#: The verb root after the prefix must be at least this long ("be|taal|d", not "be|d").
MIN_VERB_ROOT = 3


@lru_cache(maxsize=65536)
def verb_stems(stem: str) -> frozenset[str]:
    """The verb stem a participle stands for where the stemmer does not see it: an irregular
    one, also after a separable particle ("inkocht", of "ingekocht" -> "inkoop"), and a
    regular one of a verb with an inseparable prefix ("herhaald" -> "herhaal", the stem of
    "herhalen" and "herhaling"); empty for any other word."""
    table = _participles()
    out = {
        particle + table[stem[len(particle) :]]
        for particle in ("", *SEPARABLE_PARTICLES)
        if stem.startswith(particle) and stem[len(particle) :] in table
    }
    if stem[-1:] in ("d", "t") and any(
        stem.startswith(p) and len(stem) - len(p) - 1 >= MIN_VERB_ROOT for p in INSEPARABLE_PREFIXES
    ):
        out.add(stem[:-1])
    return frozenset(out)


def undouble(word: str) -> str:
    """Long vowels written once ("probleem" -> "problem"), as in the open syllable of its
    derivations ("problematisch", "structureel" / "structuur"). Only for comparing a word
    with a derivation: "slot" and "sloot" are different words."""
    return _DOUBLE_VOWEL.sub(r"\1", word)


@lru_cache(maxsize=65536)
def adjective_root(stem: str) -> str | None:
    """The noun an adjective derives from, long vowels written once ("problematisch" ->
    "problem", "structureel" -> "structur"); None for a word with no adjective ending."""
    word = undouble(stem)
    for suffix, noun_end in ADJECTIVE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            return word[: -len(suffix)] + noun_end
    return None
