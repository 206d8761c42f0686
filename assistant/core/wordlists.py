"""The hand-kept word lists, in one place: abbreviations, function words, question frames,
anaphora, name particles and letterhead labels. Data only; the modules that use them say how.

The Dutch verb tables of :mod:`assistant.answering.dutch` stay with its rules: they are
exceptions to those rules, not word lists.
"""

from __future__ import annotations

#: Dutch (and a few English) abbreviations whose full stop does not end a sentence.
#: The Dutch month names in calendar order (dates in text, letter dates, exported dates).
DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip
#: The words of a document's name that carry no meaning of their own: an abbreviation skips
#: them ("Wet op het onderwijstoezicht"), a translation needs none ("the Act on ...").
NAME_FUNCTION_WORDS = frozenset(
    {"de", "het", "een", "op", "van", "voor", "en", "in", "inzake", "tot", "the", "of", "on",
     "for", "and", "a", "an"}
)  # fmt: skip
#: Headings that name a part's role in any document, never the document: a first heading
#: "Inhoud" titles nothing.
ROLE_HEADINGS = frozenset(
    {
        "inhoud", "inhoudsopgave", "contents", "table of contents", "samenvatting",
        "summary", "voorwoord", "foreword", "preface", "inleiding", "introduction",
        "colofon", "bijlage", "bijlagen", "annex", "appendix", "leeswijzer", "toelichting",
    }
)  # fmt: skip
#: The English month names, in calendar order.
ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)  # fmt: skip
#: Words English capitalises that name no one: months and days of the week.
CALENDAR_WORDS = frozenset(
    {
        *ENGLISH_MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday",
    }
)  # fmt: skip

ABBREVIATIONS = frozenset(
    [
        "o.a",
        "a.s",
        "art",
        "bijv",
        "blz",
        "ca",
        "d.d",
        "d.w.z",
        "dhr",
        "dr",
        "e.a",
        "e.d",
        "e.v",
        "enz",
        "etc",
        "excl",
        "fig",
        "i.c",
        "i.e",
        "i.h.a",
        "i.o",
        "i.p.v",
        "i.s.m",
        "i.v.m",
        "incl",
        "jl",
        "jr",
        "m.b.t",
        "m.i.v",
        "m.n",
        "mevr",
        "mr",
        "mw",
        "nl",
        "nr",
        "nrs",
        "o.b.v",
        "o.m",
        "p.m",
        "prof",
        "resp",
        "sr",
        "st",
        "t.a.v",
        "t.b.v",
        "t.g.v",
        "t.o.v",
        "t.w",
        "v.a",
        "vgl",
        "vs",
        "z.g",
        "zgn",
        "z.s.m",
        "e.g",
        "al",
        "cf",
    ]
)


#: English function words: counted to tell an English question from a Dutch one.
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "what",
        "which",
        "who",
        "how",
        "should",
        "we",
        "our",
        "does",
        "do",
        "about",
        "for",
        "with",
        "on",
        "this",
        "that",
        "be",
        "it",
        "as",
        "by",
        "from",
        "or",
        "an",
        "have",
        "has",
        "will",
        "would",
        "can",
        "could",
        "there",
        "their",
        "they",
        "say",
        "says",
        "said",
        "when",
        "where",
        "why",
        "whom",
        "between",
        "into",
        "more",
        "most",
        "any",
        "some",
        "tell",
        "me",
        "give",
        "write",
    ]
)


#: Dutch function words: counted to tell a Dutch question from an English one.
DUTCH_FUNCTION_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "is",
        "zijn",
        "wat",
        "welke",
        "wie",
        "hoe",
        "moeten",
        "moet",
        "we",
        "wij",
        "onze",
        "ons",
        "doet",
        "over",
        "voor",
        "met",
        "op",
        "dit",
        "dat",
        "die",
        "er",
        "hun",
        "zij",
        "als",
        "bij",
        "uit",
        "of",
        "aan",
        "heeft",
        "hebben",
        "zal",
        "zou",
        "kan",
        "kunnen",
        "wanneer",
        "waar",
        "waarom",
        "tussen",
        "meer",
        "meest",
        "niet",
        "geen",
        "ook",
        "nog",
        "schrijven",
        "zeggen",
        "zegt",
        "staat",
    ]
)


#: How negotiators phrase a question ("Wat schrijven we op over ...?", "Moeten we ...?"), not
#: what it is about: matching these finds passages that merely say "schrijven" or "we".
# fmt: off
QUESTION_FRAME = frozenset({
    "we", "wij", "onze", "jullie", "zij", "welke", "welk", "waarom", "wanneer", "hoeveel", "waar",
    "waarin", "waarmee", "hoe", "wat", "wie", "moeten", "moet", "willen", "wilde", "wilden",
    "wil", "gaan", "gaat", "ging", "gingen", "zullen", "zouden", "kunnen", "kan", "mogen", "komt",
    "komen", "krijgen", "krijgt", "schrijven", "schrijft", "opnemen", "afspreken", "spreken",
    "zeggen", "zegt", "vinden", "vindt", "staat", "staan", "doen", "daar", "hier", "volgens",
    "eigenlijk", "gewoon", "eigen", "elk", "elke", "iets", "tegenwoordig", "voortaan", "precies",
})
# fmt: on


#: Words that point back into the conversation: a short question with one is a follow-up.
ANAPHORA = frozenset(
    [
        "dat",
        "die",
        "dit",
        "deze",
        "daar",
        "daarover",
        "hierover",
        "daarbij",
        "hierbij",
        "daarmee",
        "hiermee",
        "daarvoor",
        "hiervoor",
        "het",
        "hen",
        "hun",
        "zij",
        "ze",
        "it",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "there",
    ]
)


#: Lower-case particles inside names ("Van der Berg", "Bergen op Zoom").
NAME_PARTICLES = frozenset(
    {"de", "van", "der", "den", "het", "ter", "ten", "von", "la", "le", "'t"}
)


#: Labels of the letterhead block of Dutch official letters.
LETTERHEAD_LABELS = (
    "onderwerp",
    "datum",
    "ons kenmerk",
    "uw kenmerk",
    "kenmerk",
    "telefoon",
    "doorkiesnummer",
    "bijlage(n)",
    "bijlagen",
    "bijlage",
    "betreft",
    "contact",
    "e-mail",
    "uw brief van",
    "behandeld door",
)


#: Words of how a question is asked, not what it is about (the drafter drops their stems from
#: the question's terms).
ANSWER_FRAME_WORDS = (
    "we wij ons onze jullie schrijven opschrijven opnemen zeggen zegt staat stellen "
    "adviseert advies voorstellen moeten moet willen kunnen write say says should could "
    "would recommend recommends propose proposes letter brief bronnen sources document"
)
