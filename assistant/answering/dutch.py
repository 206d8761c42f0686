"""Dutch verb morphology for turning imperative advice into coalition-agreement clauses.

Source letters advise in the imperative ("Breng onderwijs en jeugd samen ..."); a coalition
agreement speaks in the first person plural ("Wij brengen onderwijs en jeugd samen ...").
Spelling the plural needs a few real rules (consonant doubling, open-syllable vowels, f/s
voicing, stress after unstressed prefixes) plus a small table of irregulars. Detection is
deliberately conservative: a wrongly converted sentence is worse than no clause at all.
"""

from __future__ import annotations

import re

__all__ = ["imperative_to_clause", "plural_present"]

_V = "aeiouyäëïöüéèáóú"
_SPLIT = re.compile(rf"(.*?)((?:ij|[{_V}])*)([^{_V}]*)")
_VOWEL_GROUP = re.compile(rf"(?:ij|[{_V}])+")
_LETTERS = re.compile(rf"[a-z{_V}]+")
_PLAIN = str.maketrans("äëïöüéèáóú", "aeioueeaou")

#: Forms no rule should derive: suppletive and modal verbs, f/s that stay voiceless after a
#: diphthong, and words whose first syllable only looks like an unstressed prefix.
_IRREGULAR: dict[str, str] = {
    "ben": "zijn", "wees": "zijn", "heb": "hebben", "kan": "kunnen", "kun": "kunnen",
    "zal": "zullen", "mag": "mogen", "kom": "komen", "ga": "gaan", "sta": "staan",
    "sla": "slaan", "doe": "doen", "zie": "zien", "hou": "houden",
    "eis": "eisen", "hijs": "hijsen", "kruis": "kruisen", "ruis": "ruisen", "bruis": "bruisen",
    "peins": "peinzen", "grijns": "grijnzen", "erger": "ergeren", "bedel": "bedelen",
}  # fmt: skip

#: Prefixes after which the stem keeps its own stress (be-stel, ver-beter, voor-kom).
_PREFIXES = ("onder", "over", "door", "voor", "her", "ont", "ver", "mis", "be", "ge", "er")


def _split(word: str) -> tuple[str, str, str]:
    """Split into head, final vowel group and final consonants; 'ij' counts as a vowel."""
    m = _SPLIT.fullmatch(word)
    assert m is not None  # the pattern matches any string
    return m.group(1), m.group(2), m.group(3)


def _strip_prefix(word: str) -> tuple[str, str]:
    """Peel one unstressed prefix off so doubling looks at the stressed stem only."""
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if not word.startswith(prefix) or not _VOWEL_GROUP.search(rest):
            continue
        if rest[:1] not in _V or rest in _IRREGULAR:  # ver-eis, but not ge-ef
            return prefix, rest
    return "", word


def _regular(stem: str) -> str:
    """Spell stem + -en with Dutch open/closed-syllable rules."""
    head, vowel, coda = _split(stem)
    if not vowel:
        return stem + "en"
    if not coda:  # doe -> doen, ga -> gaan, draai -> draaien
        if vowel in ("ie", "oe", "ee"):
            return stem + "n"
        return stem + (vowel + "n" if vowel in ("a", "o", "u") else "en")
    if len(vowel) == 1 and len(coda) == 1:
        if coda not in "hjwxy" and len(_VOWEL_GROUP.findall(stem)) == 1:
            return stem + coda + "en"  # short stressed vowel: zet -> zetten
        return stem + "en"  # unstressed last syllable: regel -> regelen
    long_vowel = len(vowel) > 1
    if len(coda) == 1 and vowel[-1] in "aeou" and vowel[-2].translate(_PLAIN) == vowel[-1]:
        vowel = vowel[:-1]  # open syllable needs one letter: maak -> maken
        if vowel.endswith("ie"):
            vowel = vowel[:-1] + "ë"  # kopieer -> kopiëren, not 'kopieren'
    if (long_vowel and coda in ("f", "s")) or coda in ("lf", "rf"):
        coda = coda[:-1] + ("v" if coda[-1] == "f" else "z")  # geef -> geven, kies -> kiezen
    return head + vowel + coda + "en"


def plural_present(imperative: str) -> str:
    """Return the 1st-person-plural present (lower case) of an imperative or verb stem.

    Regular verbs give the infinitive; prefixed verbs are conjugated on their stem so that
    stress-dependent doubling comes out right (benut -> benutten, verbeter -> verbeteren).
    """
    word = imperative.strip().lower()
    if not _LETTERS.fullmatch(word):
        raise ValueError(f"not a single Dutch verb form: {imperative!r}")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    prefix, stem = _strip_prefix(word)
    return prefix + _IRREGULAR.get(stem, _regular(stem))


def _words(text: str) -> frozenset[str]:
    """Word lists read best as prose; this keeps them compact and greppable."""
    return frozenset(text.split())


#: Imperatives recognised at the start of a sentence. Modals (kan, wil, zal, mag) and 'ben'
#: are left out: sentence-initially they open questions or inversions, not advice.
_LEXICON = _words(
    """
    beschouw bespreek beperk betaal betrek bevorder bied blijf bouw breid breng bundel
    creëer deel denk doe draag draai erken evalueer faciliteer financieer formuleer ga geef
    gebruik hanteer heb help herzie hou houd investeer kies kijk kom koppel laat lees leef leg
    leid luister maak monitor neem omarm ondersteun onderzoek ontwikkel organiseer realiseer
    regel reis richt schrijf sla sluit spreek sta start stel steun stimuleer stop trek
    verbeter verbind verbreed verdeel vereenvoudig vergroot verhoog verhuis verken verlaag
    verleng verminder versnel versterk verstevig voer volg voorkom voorzie vraag vind
    waarborg wees werk wijs zeg zet zie zoek zorg benut bereik behoud begin borg pak
    """
)
#: Lexicon verbs that double as nouns, adjectives or participles ("zorg", "werk", "benut").
_AMBIGUOUS = _words(
    "begin behoud benut bereik borg bouw bundel deel draai gebruik kijk kom koppel laat monitor "
    "onderzoek pak regel reis sla start stel steun stop trek verbreed vergroot voer vraag "
    "waarborg wees werk wijs zet zorg"
)
_HET_NOUNS = _words("begin behoud bereik deel gebruik onderzoek pak stel voer werk")
#: Words that can never open an imperative even if a heuristic would say so.
_NOT_IMPERATIVE = _words(
    "de het een dit dat deze die wat wie welke we wij ik jij je u hij zij ze men ons onze uw "
    "hun mijn er hier daar daarom daarnaast daarbij daarmee dus ook nu dan toen zo als omdat "
    "wanneer indien terwijl maar en of want niet geen alle elk elke veel meer minder vooral "
    "tegelijkertijd inmiddels tot met voor na in op aan bij uit van over door naar om"
)
_SUBJECT_PRONOUNS = _words("je jij ik u hij zij we wij men jullie gij")
_FINITE_SG = _words(
    "is wordt moet kan mag zal wil heeft blijft lijkt gaat staat komt ligt vormt speelt biedt "
    "vraagt krijgt hangt loopt neemt maakt geeft zorgt werkt helpt draagt toont betekent "
    "begint groeit stijgt daalt verdient vergt kost levert laat doet geldt telt bestaat leidt "
    "was werd bleek"
)
_FINITE = _FINITE_SG | _words(
    "zijn worden moeten kunnen mogen zullen willen hebben blijven gaan staan komen liggen "
    "vormen spelen hangen waren werden"
)
#: Tokens that end the main clause, so a finite verb after them says nothing about word one.
_BOUNDARY = _words(
    "die dat wat waar wie welke omdat zodat als wanneer indien om te terwijl waarbij waarin "
    "waarmee waardoor waarop hoe of zodra voordat nadat doordat , ; : ( –"
)
#: Adverbs that show an ambiguous word after 'en' is a verb ("en zorg ervoor dat").
_VERB_CUES = _words("ervoor erop eraan erbij ervan erin ermee erover")
#: Fixed openings that look imperative but are not advice ("Stel dat ...", "Zie bijlage").
_BLOCKED_NEXT = {
    "stel": _words("dat"),
    "zie": _words("bijlage ook pagina paragraaf hoofdstuk figuur tabel noot hieronder hierboven"),
}
_LEAD = re.compile(r"\s*(?:(?:[•·▪◦]|(?:[*\-–—]|\(?\d+(?:\.\d+)*[.)]?)(?=\s))\s*)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"\s+|[^\W\d_]+|.", re.S)


def _looks_imperative(word: str) -> bool:
    """Lexicon first; unknown words only pass as long '-eer' verbs (organiseer, coördineer)."""
    if word in _NOT_IMPERATIVE:
        return False
    if word in _LEXICON:
        return True
    return len(word) >= 8 and word.endswith("eer") and word[-4] in "cdgilnprstu"


def _coordinated(toks: list[str], sig: list[int], k: int, converted: set[int]) -> bool:
    """Is significant token k a further imperative joined by 'en', ';' or a list comma?"""
    word, prev = toks[sig[k]], toks[sig[k - 1]]
    nxt = toks[sig[k + 1]].lower() if k + 1 < len(sig) else ""
    if not word.islower() or not _LETTERS.fullmatch(word) or not _LETTERS.fullmatch(nxt):
        return False
    joined = prev in ("en", ";") or (prev == "," and k >= 2 and sig[k - 2] in converted)
    if not joined or not _looks_imperative(word):
        return False
    return word not in _AMBIGUOUS or nxt in _VERB_CUES


def _main_clause_is_nominal(words: list[str]) -> bool:
    """Spot 'Zorg is ...' / 'Steun aan gezinnen is ...': a finite verb before any boundary."""
    for word in words:
        if word in _BOUNDARY:
            return False
        if word in _FINITE_SG:
            return True
    return False


def imperative_to_clause(sentence: str, subject: str = "Wij") -> str | None:
    """Rewrite an imperative sentence as '<subject> <plural verb> ...', or return None.

    Bullets and list numbers are dropped, whitespace (also PDF line breaks) is collapsed and
    the clause ends with a full stop. A lower-case first word only counts after a bullet or
    list number; elsewhere it signals a fragment cut from the middle of a sentence.
    Imperatives coordinated with 'en', ';' or a list comma are conjugated too; particles and
    adverbs stay where they stand. ``subject`` must be plural ("Wij", "We", "Zij"), since
    the verb is always plural.
    """
    if not subject.strip():
        raise ValueError("subject must not be empty")
    lead = m.group() if (m := _LEAD.match(sentence)) else ""
    text = " ".join(sentence[len(lead) :].split())
    if not text or text.endswith("?"):
        return None
    if len(_NUMBER.findall(text)) * 2 > len(_LETTERS.findall(text.lower())):
        return None  # a table row ('Zorg 545 1.195 866'), not a sentence
    toks = _TOKEN.findall(text)
    sig = [i for i, tok in enumerate(toks) if not tok.isspace()]
    first = toks[0].lower()
    if len(sig) < 2 or not _LETTERS.fullmatch(first) or not _looks_imperative(first):
        return None
    if toks[1] not in (" ", ","):  # 'Zorg-' or 'Zorg:' is a compound or a heading
        return None
    if toks[0].islower() and not lead.strip():  # a line cut from mid-sentence, not a bullet
        return None
    converted, new_clause = {sig[0]}, set[int]()
    chain_end = 0  # last significant index of the opening run of imperatives
    for k in range(1, len(sig)):
        if _coordinated(toks, sig, k, converted):
            converted.add(sig[k])
            if toks[sig[k - 1]] == ";":
                new_clause.add(sig[k])
            if all(toks[sig[j]] in (",", "en", ";") for j in range(chain_end + 1, k)):
                chain_end = k
    # a later converted verb starts a new main clause, so it acts as a boundary (";")
    rest = [";" if i in converted else toks[i].lower() for i in sig[chain_end + 1 :]]
    after = rest[0] if rest else ""
    if not after or after in _SUBJECT_PRONOUNS or after in _FINITE:
        return None
    if after in _BLOCKED_NEXT.get(first, frozenset()):
        return None
    if after in ("en", "of") or (after == "," and first in _AMBIGUOUS):
        return None  # 'Zorg en welzijn ...' or an unknown coordinated verb we cannot spell
    if first in _AMBIGUOUS and (
        after in ("van", "die", "welke")  # 'Zorg die vaak voorkomt ...' is a noun phrase
        or (after == "dat" and first in _HET_NOUNS)  # 'Werk dat ...', but 'Zorg dat ...'
        or _main_clause_is_nominal(rest)
    ):
        return None
    subject = subject.strip()
    inner = subject  # after ';' a new main clause needs its own subject: '; wij investeren'
    if subject.split()[0].lower() in _SUBJECT_PRONOUNS | {"ze", "de", "het"}:
        inner = subject[0].lower() + subject[1:]
    out = [
        (f"{inner} " if i in new_clause else "") + plural_present(tok) if i in converted else tok
        for i, tok in enumerate(toks)
    ]
    clause = f"{subject} {''.join(out)}".rstrip()
    if clause[-1] in "!;:,":
        clause = clause[:-1].rstrip()
    return clause if clause.endswith(".") else clause + "."
