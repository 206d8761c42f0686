"""Tests for assistant.answering.dutch: verb spelling and imperative-to-clause rewriting."""

from __future__ import annotations

import pytest

from assistant.answering.dutch import imperative_to_clause, plural_present

# (imperative/stem, 1st-person-plural present)
PLURALS = [
    # consonant doubling after a short stressed vowel
    ("zet", "zetten"), ("stel", "stellen"), ("stop", "stoppen"), ("zeg", "zeggen"),
    ("leg", "leggen"), ("heb", "hebben"), ("wil", "willen"), ("bid", "bidden"),
    ("lig", "liggen"), ("zit", "zitten"), ("ken", "kennen"), ("trek", "trekken"),
    ("pak", "pakken"), ("kus", "kussen"), ("mis", "missen"), ("pas", "passen"),
    ("las", "lassen"), ("straf", "straffen"), ("blaf", "blaffen"),
    # long vowel written double in a closed syllable, single in an open one
    ("maak", "maken"), ("neem", "nemen"), ("stook", "stoken"), ("vraag", "vragen"),
    ("draag", "dragen"), ("laat", "laten"), ("spreek", "spreken"), ("voer", "voeren"),
    ("deel", "delen"), ("oogst", "oogsten"),
    # -eer verbs, including the diaeresis after 'ie'
    ("formuleer", "formuleren"), ("investeer", "investeren"), ("stimuleer", "stimuleren"),
    ("organiseer", "organiseren"), ("realiseer", "realiseren"), ("evalueer", "evalueren"),
    ("faciliteer", "faciliteren"), ("reageer", "reageren"), ("kopieer", "kopiëren"),
    ("financieer", "financiëren"), ("creëer", "creëren"),
    # f -> v and s -> z after a long vowel or diphthong, or after l/r for f
    ("geef", "geven"), ("leef", "leven"), ("blijf", "blijven"), ("schrijf", "schrijven"),
    ("proef", "proeven"), ("geloof", "geloven"), ("kies", "kiezen"), ("lees", "lezen"),
    ("verhuis", "verhuizen"), ("reis", "reizen"), ("wijs", "wijzen"), ("verlies", "verliezen"),
    ("bewijs", "bewijzen"), ("verf", "verven"), ("durf", "durven"), ("delf", "delven"),
    # ... but not where the infinitive keeps f/s
    ("fiets", "fietsen"), ("eis", "eisen"), ("vereis", "vereisen"), ("hijs", "hijsen"),
    # diphthongs, clusters and plain -en
    ("breng", "brengen"), ("versterk", "versterken"), ("beperk", "beperken"),
    ("ondersteun", "ondersteunen"), ("zorg", "zorgen"), ("bied", "bieden"), ("houd", "houden"),
    ("bouw", "bouwen"), ("werk", "werken"), ("beschouw", "beschouwen"), ("richt", "richten"),
    ("volg", "volgen"), ("draai", "draaien"), ("gooi", "gooien"), ("groei", "groeien"),
    ("bereik", "bereiken"), ("verleng", "verlengen"), ("sluit", "sluiten"), ("kijk", "kijken"),
    ("denk", "denken"), ("zoek", "zoeken"), ("vind", "vinden"), ("help", "helpen"),
    ("lach", "lachen"), ("omarm", "omarmen"), ("sneeuw", "sneeuwen"),
    # stress: unstressed last syllables do not double, prefixed stems do
    ("regel", "regelen"), ("ontwikkel", "ontwikkelen"), ("verbeter", "verbeteren"),
    ("verminder", "verminderen"), ("monitor", "monitoren"), ("bundel", "bundelen"),
    ("koppel", "koppelen"), ("luister", "luisteren"), ("bevorder", "bevorderen"),
    ("verander", "veranderen"), ("verover", "veroveren"), ("verzamel", "verzamelen"),
    ("vereenvoudig", "vereenvoudigen"), ("verstevig", "verstevigen"), ("beëindig", "beëindigen"),
    ("waarborg", "waarborgen"), ("benut", "benutten"), ("betrek", "betrekken"),
    ("erken", "erkennen"), ("bestel", "bestellen"), ("herstel", "herstellen"),
    ("vertel", "vertellen"), ("ontdek", "ontdekken"), ("verzet", "verzetten"),
    ("begin", "beginnen"), ("bezit", "bezitten"), ("overleg", "overleggen"),
    ("versnel", "versnellen"), ("verras", "verrassen"), ("verken", "verkennen"),
    # prefixes over long vowels and diphthongs
    ("bespreek", "bespreken"), ("vergroot", "vergroten"), ("verlaag", "verlagen"),
    ("verhoog", "verhogen"), ("behoud", "behouden"), ("verdeel", "verdelen"),
    ("verbreed", "verbreden"), ("betaal", "betalen"), ("onderzoek", "onderzoeken"),
    ("gebruik", "gebruiken"), ("geniet", "genieten"), ("overweeg", "overwegen"),
    ("doorbreek", "doorbreken"), ("ontsluit", "ontsluiten"), ("verbind", "verbinden"),
    # irregular, also behind a prefix
    ("ben", "zijn"), ("wees", "zijn"), ("kan", "kunnen"), ("zal", "zullen"), ("mag", "mogen"),
    ("kom", "komen"), ("voorkom", "voorkomen"), ("ga", "gaan"), ("verga", "vergaan"),
    ("sta", "staan"), ("besta", "bestaan"), ("sla", "slaan"), ("doe", "doen"), ("zie", "zien"),
    ("herzie", "herzien"), ("voorzie", "voorzien"), ("hou", "houden"),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "expected"), PLURALS)
def test_plural_present(stem: str, expected: str) -> None:
    assert plural_present(stem) == expected


def test_plural_present_has_enough_cases() -> None:
    assert len({stem for stem, _ in PLURALS}) >= 60


def test_plural_present_normalises_case_and_space() -> None:
    assert plural_present("  Breng ") == "brengen"


@pytest.mark.parametrize("bad", ["", "   ", "zet in", "zet!", "3"])
def test_plural_present_rejects_non_words(bad: str) -> None:
    with pytest.raises(ValueError):
        plural_present(bad)


# Every imperative in the VNG letter and the Jeugdzorg Nederland letter, in and out in full.
CORPUS = [
    ("Formuleer een duidelijke ambitie", "Wij formuleren een duidelijke ambitie."),
    (
        "Neem in het coalitieakkoord de ambitie op om te komen tot een sterke gemeentelijke "
        "basis voor gezinnen en kinderen, gericht op opvoeden, opgroeien en ontwikkelen.",
        "Wij nemen in het coalitieakkoord de ambitie op om te komen tot een sterke gemeentelijke "
        "basis voor gezinnen en kinderen, gericht op opvoeden, opgroeien en ontwikkelen.",
    ),
    (
        "Maak van jeugdbeleid een collegebrede verantwoordelijkheid",
        "Wij maken van jeugdbeleid een collegebrede verantwoordelijkheid.",
    ),
    (
        "Stel wat gezinnen en kinderen nodig hebben centraal bij het gemeentelijk beleid en "
        "beschouw de uitwerking en uitvoering daarvan als een gezamenlijke verantwoordelijkheid "
        "van het gehele college.",
        "Wij stellen wat gezinnen en kinderen nodig hebben centraal bij het gemeentelijk beleid en "
        "beschouwen de uitwerking en uitvoering daarvan als een gezamenlijke verantwoordelijkheid "
        "van het gehele college.",
    ),
    (
        "Investeer in preventie en voorzieningen in de wijk",
        "Wij investeren in preventie en voorzieningen in de wijk.",
    ),
    (
        "Maak structureel ruimte voor voorzieningen in wijken en voor preventief en collectief "
        "aanbod.",
        "Wij maken structureel ruimte voor voorzieningen in wijken en voor preventief en "
        "collectief aanbod.",
    ),
    (
        "Ondersteun daarnaast inwonersinitiatieven die bijdragen aan sterk sociaal kapitaal.",
        "Wij ondersteunen daarnaast inwonersinitiatieven die bijdragen aan sterk sociaal kapitaal.",
    ),
    (
        "Zet in op stevige lokale teams die breed kijken en handelen, die de netwerken in de wijk "
        "kennen of mensen met elkaar in contact kunnen brengen.",
        "Wij zetten in op stevige lokale teams die breed kijken en handelen, die de netwerken in "
        "de wijk kennen of mensen met elkaar in contact kunnen brengen.",
    ),
    (
        "Versterk de inhoudelijke verbinding tussen onderwijs en jeugd",
        "Wij versterken de inhoudelijke verbinding tussen onderwijs en jeugd.",
    ),
    (
        "Breng onderwijs, kinderopvang en jeugd samen in één wethoudersportefeuille vanwege de "
        "logische inhoudelijke samenhang.",
        "Wij brengen onderwijs, kinderopvang en jeugd samen in één wethoudersportefeuille vanwege "
        "de logische inhoudelijke samenhang.",
    ),
    ("Versterk en beperk de jeugdzorg", "Wij versterken en beperken de jeugdzorg."),
]


@pytest.mark.parametrize(("sentence", "expected"), CORPUS)
def test_corpus_imperatives(sentence: str, expected: str) -> None:
    assert imperative_to_clause(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("1. Formuleer een duidelijke ambitie ", "Wij formuleren een duidelijke ambitie."),
        (
            " 3. Investeer in preventie en voorzieningen in de wijk ",
            "Wij investeren in preventie en voorzieningen in de wijk.",
        ),
        ("(2) Maak ruimte voor preventie", "Wij maken ruimte voor preventie."),
        ("• Zorg voor een dekkend aanbod", "Wij zorgen voor een dekkend aanbod."),
        ("- versterk de lokale teams", "Wij versterken de lokale teams."),
        # a sentence broken over PDF lines
        (
            "Neem in het coalitieakkoord de ambitie op om te komen tot een sterke gemeentelijke \n"
            "basis voor gezinnen en kinderen.",
            "Wij nemen in het coalitieakkoord de ambitie op om te komen tot een sterke "
            "gemeentelijke basis voor gezinnen en kinderen.",
        ),
        ("Versterk de jeugdzorg!", "Wij versterken de jeugdzorg."),
        ("Versterk de jeugdzorg:", "Wij versterken de jeugdzorg."),
    ],
)
def test_bullets_numbers_and_endings(sentence: str, expected: str) -> None:
    assert imperative_to_clause(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Versterk, verbind en beperk de jeugdzorg.",
            "Wij versterken, verbinden en beperken de jeugdzorg.",
        ),
        (
            "Werk samen met scholen en zorg ervoor dat kinderen naar school kunnen blijven gaan.",
            "Wij werken samen met scholen en zorgen ervoor dat kinderen naar school kunnen "
            "blijven gaan.",
        ),
        (
            "Zet in op preventie; investeer in voorzieningen in de wijk.",
            "Wij zetten in op preventie; wij investeren in voorzieningen in de wijk.",
        ),
        (
            "Stop met marktwerking en bied aanbieders langjarige subsidierelaties.",
            "Wij stoppen met marktwerking en bieden aanbieders langjarige subsidierelaties.",
        ),
        (
            "Wees alert op signalen en betrek ouders bij de aanpak.",
            "Wij zijn alert op signalen en betrekken ouders bij de aanpak.",
        ),
        (
            "Ga na wat er nodig is en coördineer de inzet van de lokale teams.",
            "Wij gaan na wat er nodig is en coördineren de inzet van de lokale teams.",
        ),
    ],
)
def test_coordinated_imperatives(sentence: str, expected: str) -> None:
    assert imperative_to_clause(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 'zorg' after 'en' is a noun here; only a clear verb cue ('ervoor') converts it
        ("Investeer in onderwijs en zorg.", "Wij investeren in onderwijs en zorg."),
        (
            "Geef onderwijs en zorg de ruimte om samen te werken.",
            "Wij geven onderwijs en zorg de ruimte om samen te werken.",
        ),
        # proper nouns and capitalised words later in the sentence stay as they are
        (
            "Betrek Jeugdzorg Nederland en de GGD bij de uitwerking.",
            "Wij betrekken Jeugdzorg Nederland en de GGD bij de uitwerking.",
        ),
    ],
)
def test_nouns_after_en_are_left_alone(sentence: str, expected: str) -> None:
    assert imperative_to_clause(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Neem de ambitie op in het coalitieakkoord.",
            "Wij nemen de ambitie op in het coalitieakkoord.",
        ),
        ("Zet in op stevige lokale teams", "Wij zetten in op stevige lokale teams."),
        (
            "Maak structureel ruimte voor voorzieningen",
            "Wij maken structureel ruimte voor voorzieningen.",
        ),
        (
            "Ondersteun daarnaast inwonersinitiatieven",
            "Wij ondersteunen daarnaast inwonersinitiatieven.",
        ),
        ("Breng de partners samen", "Wij brengen de partners samen."),
        (
            "Voorkom dat zij tussen wal en schip vallen.",
            "Wij voorkomen dat zij tussen wal en schip vallen.",
        ),
    ],
)
def test_separable_particles_and_adverbs_stay(sentence: str, expected: str) -> None:
    assert imperative_to_clause(sentence) == expected


def test_custom_subject() -> None:
    assert (
        imperative_to_clause("Zet in op stevige lokale teams", subject="We")
        == "We zetten in op stevige lokale teams."
    )
    assert (
        imperative_to_clause("Zet in op preventie; investeer in de wijk.", subject="We")
        == "We zetten in op preventie; we investeren in de wijk."
    )
    assert (
        imperative_to_clause("Versterk en beperk de jeugdzorg", subject="De coalitiepartijen")
        == "De coalitiepartijen versterken en beperken de jeugdzorg."
    )


def test_empty_subject_is_rejected() -> None:
    with pytest.raises(ValueError):
        imperative_to_clause("Versterk de jeugdzorg.", subject=" ")


NOT_IMPERATIVES = [
    "We kiezen ervoor om lichte, ambulante vormen van jeugdhulp substantieel terug te dringen.",
    "We stoppen met marktwerking, open-house constructies en het aanbesteden van jeugdzorg.",
    "Wij hopen dat u in uw coalitieakkoord expliciet aandacht wilt geven aan deze punten.",
    "Wij wensen u veel succes de komende tijd.",
    "Het huidige systeem van jeugdhulp staat onder druk en bereikt niet altijd wat we beogen.",
    "De rol van het onderwijs",
    "Dit is cruciaal voor het noodzakelijke domeinoverstijgend werken.",
    "Daarom is een inhoudelijke verandering nodig.",
    "Kinderrechten zijn hiervoor een behulpzaam instrument.",
    "Jeugdhulp moet dat gewone leven ondersteunen wanneer dat nodig is, maar het niet vervangen.",
    "Investeren in sterke gezinnen, sterke buurten en een goede samenwerking tussen gemeente, "
    "onderwijs, kinderopvang en jeugdgezondheidszorg werkt daarmee niet alleen preventief.",
    "Onderwerp",
    "3.",
    "2026",
    "070-3738393",
    "",
    "Mocht u behoefte hebben aan een nadere toelichting, dan ben ik daar graag toe bereid.",
    "Tegelijkertijd groeit de instroom naar individuele jeugdhulp.",
    "Voor nu geef ik u graag enkele aanbevelingen mee voor het coalitieakkoord.",
    # imperative stems that are really nouns, questions, inversions or fixed phrases
    "Zorg is een gedeelde verantwoordelijkheid.",
    "Zorg die vaak voorkomt is dichtbij beschikbaar.",
    "Zorg en welzijn",
    "Werk en zorg gaan samen.",
    "Werk dat blijft liggen kost geld.",
    "Steun aan gezinnen is belangrijk.",
    "Bouw van woningen is nodig.",
    "Monitor Jeugd laat zien dat het aantal jongeren stijgt.",
    "Wijs beleid is nodig.",
    "Zorg 545 1.195 866 -268 -4.819",
    "Kies je voor preventie?",
    "Kies je voor preventie, dan kies je voor de lange termijn.",
    "Houd u aan de afspraken.",
    "Stel dat de gemeente kiest voor marktwerking.",
    "Zie bijlage 2.",
    "Zorg-en welzijnsbeleid",
    "Zorg: een gedeelde opgave",
    "Werk",
    "Kan de gemeente dit betalen?",
    "Wil de gemeente investeren in preventie.",
    "Verkeer is druk.",
    # an unknown verb after 'en' cannot be spelled, so no half-converted clause
    "Versterk en vernieuw de aanpak.",
    # a lower-case start without a bullet is a fragment cut from mid-sentence
    "beschouw de uitwerking en uitvoering daarvan als een gezamenlijke verantwoordelijkheid",
]


@pytest.mark.parametrize("sentence", NOT_IMPERATIVES)
def test_not_imperatives_return_none(sentence: str) -> None:
    assert imperative_to_clause(sentence) is None
