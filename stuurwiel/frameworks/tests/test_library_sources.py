"""The bundled libraries stay faithful to their seeds: quoted questions, pitfalls and
leads are verbatim, with their section, and what is not from the seed says so.

The seeds themselves live outside the repository. Set ``STUURWIEL_SEEDS`` to the
directory holding ``000_*.txt`` … ``003_*.txt`` to also check every quotation
against the seed text; without it those tests are skipped and the expected texts
below (copied from the seeds) are checked against the libraries only."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from stuurwiel.frameworks.choices import Provenance, RuleSeverity
from stuurwiel.frameworks.models import CoherenceRule, Framework, FrameworkPart, GuidingQuestion
from stuurwiel.frameworks.services import framework_defaults_load

pytestmark = pytest.mark.django_db

SEEDS = os.environ.get("STUURWIEL_SEEDS", "")
BOOK = "Van Bon 2026, "

# The reflection questions issue 5 found missing, by section (seed 002).
ADDED_QUESTIONS = [
    ("§2.8", "Waar in jouw organisatie is overleg nodig om ontbrekende samenhang te herstellen?"),
    ("§2.8", "Welke prestaties zijn 'groen' terwijl de keten faalt?"),
    ("§2.8", "Welke verantwoordelijkheden bestaan vooral bij de gratie van persoonlijke inzet?"),
    ("§7.9", "Welke problemen keren in jouw organisatie steeds terug?"),
    ("§7.9", "Welke oplossingen voegen vooral extra afstemming toe?"),
    ("§7.9", "Waar is coördinatie structureel nodig om het systeem werkend te houden?"),
    ("§8.9", "Welke taken in jouw rol zijn eigenlijk coördinatie?"),
    ("§8.9", "Waar werk je vooral in het systeem in plaats van aan het systeem?"),
    ("§8.9", "Wat zou er veranderen als management expliciet werd gedefinieerd als ontwerptaak?"),
    ("§9.5", "Welke schakels zijn nodig om deze service te leveren?"),
    ("§9.5", "Waar raken verantwoordelijkheden elkaar?"),
    ("§9.5", "Welke overdrachten zijn kritisch?"),
    ("§9.9", "Welke services in jouw organisatie lopen aantoonbaar over meerdere afdelingen?"),
    ("§9.9", "Wie is verantwoordelijk voor de ketenprestatie als geheel?"),
    ("§9.9", "Waar worden problemen doorgegeven in plaats van opgelost?"),
    ("Reflectie", "Waar in mijn organisatie vertrouw ik meer op personen dan op het systeem?"),
    ("Reflectie", "Welke besluiten kan ik zelf nemen, zonder dat helder is waarom ik dat mag?"),
    ("Reflectie", "Waar voel ik weerstand tegen transparantie — en waarom?"),
    ("§15.11", "Waar begint USM in jouw organisatie — en waar zou het moeten landen?"),
    ("§15.11", "Welke services worden nu onterecht als 'IT-probleem' gezien?"),
    ("§15.11", "Welke afdelingen functioneren feitelijk al als schakels?"),
    ("§16.9", "Welke problemen in jouw agenda keren steeds terug?"),
    ("§16.9", "Waar grijp je in omdat het systeem faalt?"),
    (
        "§16.9",
        "Welke besluiten neem jij die eigenlijk door architectuur gedragen zouden moeten zijn?",
    ),
    ("§17.9", "Waar compenseren teams in jouw organisatie voor systeemfouten?"),
    ("§17.9", "Welke afstemmingstaken bestaan alleen bij gebrek aan architectuur?"),
    ("§17.9", "Waar zouden duidelijke grenzen juist rust brengen?"),
    ("§21.11", "Hoe zou jouw organisatie voelen als escalaties zeldzaam waren?"),
    ("§21.11", "Welke spanningen bestaan alleen door onduidelijke samenhang?"),
    ("§21.11", "Wat zou er gebeuren als rust geen probleem meer was?"),
]
# The six pitfalls of ch. 20 that were missing: section, heading, subtitle.
ADDED_PITFALLS = [
    ("§20.1", "De IT-start-valkuil", "USM reduceren tot een IT-verbetering"),
    ("§20.4", "De eigenaarschaps-valkuil", "Alles een eigenaar geven"),
    ("§20.7", "De best-practice-valkuil", "We zijn wéér (of nog steeds) uniek"),
    ("§20.8", "De coach-valkuil", "De coach als vangnet gebruiken"),
    ("§20.10", "Resultaten verwarren met succes", "We hebben USM succesvol ingevoerd"),
    ("§20.11", "Terugvallen onder druk", "De politiek wint de strijd"),
]
# The lead of each Optimum card (seed 000).
OPTIMUM_LEADS = {
    "organisatie": "Eigenaarschap, mandaat, rollen en besluitvorming: wie stuurt, wie beslist "
    "en hoe is samenhang geborgd.",
    "motivatie": "De expliciete reden van bestaan: welk probleem lossen we op en waarom is dit "
    "(nu) belangrijk?",
    "methode": "Principes, werkwijzen en afspraken die handelen herhaalbaar en uitlegbaar maken.",
    "middelen": "Mensen, tijd, budget, systemen en data: passend en toereikend om de capability "
    "echt uit te voeren.",
    "resultaat": "De aantoonbare waarde: producten, effecten, risicoreductie of compliance—en "
    "wanneer het “goed” is.",
}


@pytest.fixture
def loaded(db):
    framework_defaults_load()


def _normalised(text: str) -> str:
    """Seed text as read: hyphenation at line ends undone, markup and emphasis
    dropped, quotes and white space made uniform."""
    text = re.sub(r"-[ \t]*\n\s*", "", text)
    text = re.sub(r"<[^>]*>", "", text).replace("*", "")
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, plain)
    return re.sub(r"\s+", " ", text).strip()


def _seed(number: str) -> str:
    if not SEEDS:
        pytest.skip("STUURWIEL_SEEDS is not set")
    [path] = Path(SEEDS).glob(f"{number}_*.txt")
    return _normalised(path.read_text(encoding="utf-8"))


def _book_quotations() -> list[tuple[str, str]]:
    """(where, Dutch text) of every USM question and attribute marked as quoted
    from the book."""
    found = []
    for question in GuidingQuestion.objects.filter(
        part__framework__ref_id="usm", source__startswith=BOOK
    ):
        found.append((question.urn, question.text_nl.lstrip("… ")))
    for part in FrameworkPart.objects.filter(framework__ref_id="usm"):
        for name, source in part.attributes.items():
            if not (name.endswith("_source") and str(source).startswith(BOOK)):
                continue
            value = part.attributes[name.removesuffix("_source")]
            for item in value if isinstance(value, list) else [value]:
                found.append(
                    (f"{part.ref_id}.{name}", item["nl"] if isinstance(item, dict) else item)
                )
    return found


def test_the_added_reflection_questions_are_in_the_usm_library_with_their_section(loaded):
    questions = GuidingQuestion.objects.filter(part__framework__ref_id="usm")
    for section, text in ADDED_QUESTIONS:
        question = questions.get(text_nl=text)
        assert question.source.startswith(BOOK), text
        assert section in question.source, (text, question.source)
        assert question.text_en and question.text_en != question.text_nl


def test_the_six_missing_pitfalls_of_chapter_20_are_parts_with_their_section(loaded):
    for section, heading, subtitle in ADDED_PITFALLS:
        part = FrameworkPart.objects.get(framework__ref_id="usm", name_nl=heading)
        assert part.kind == "pitfall" and not part.assessable
        assert (part.provenance, part.provenance_ref) == (Provenance.SEED, section)
        assert part.description_nl == subtitle
        assert part.attributes["quote_source"] == BOOK + section


def test_every_book_quotation_in_the_usm_library_is_verbatim_in_seed_002(loaded):
    book = _seed("002")
    quotations = _book_quotations()
    assert len(quotations) >= len(ADDED_QUESTIONS) + len(ADDED_PITFALLS) + 40
    missing = [(where, text) for where, text in quotations if _normalised(text) not in book]
    assert missing == []


def test_the_added_texts_are_verbatim_in_seed_002():
    book = _seed("002")
    texts = [text for _section, text in ADDED_QUESTIONS]
    texts += [
        text for _section, heading, subtitle in ADDED_PITFALLS for text in (heading, subtitle)
    ]
    assert [text for text in texts if _normalised(text) not in book] == []


@pytest.mark.parametrize(
    "number,ref_id", [("000", "optimum"), ("001", "idm"), ("003", "missiegedreven")]
)
def test_every_seed_question_is_verbatim_in_its_seed(loaded, number, ref_id):
    seed = _seed(number).lower()
    questions = GuidingQuestion.objects.filter(
        part__framework__ref_id=ref_id, source=f"seed {number}"
    )
    assert questions.exists()
    # A statement of the seed turned into a question keeps its words: compare
    # without the final mark and the capital.
    missing = [
        q.text_nl for q in questions if _normalised(q.text_nl).rstrip("?.").lower() not in seed
    ]
    assert missing == []


def test_seed_questions_of_000_001_003_are_all_there(loaded):
    counts = {
        number: GuidingQuestion.objects.filter(source=f"seed {number}").count()
        for number in ("000", "001", "003")
    }
    assert counts == {"000": 2, "001": 9, "003": 62}


def test_optimum_aspect_descriptions_are_the_seeds_card_leads(loaded):
    for ref_id, lead in OPTIMUM_LEADS.items():
        part = FrameworkPart.objects.get(framework__ref_id="optimum", ref_id=ref_id)
        assert part.description_nl == lead
        assert part.provenance == Provenance.SEED


def test_optimum_card_leads_are_verbatim_in_seed_000():
    seed = _seed("000")
    assert [lead for lead in OPTIMUM_LEADS.values() if _normalised(lead) not in seed] == []


def test_usm_is_named_and_attributed_as_the_book_states(loaded):
    usm = Framework.objects.get(ref_id="usm")
    assert "Universeel Service Management" in usm.name_nl
    assert "Unified" not in usm.name_en
    assert usm.source_author == "Jan van Bon"
    assert usm.source_title.startswith("Van eilanden naar ecosysteem")
    assert usm.publisher == "Stichting SURVUZ"
    assert "2026" in usm.source_edition
    assert "CC BY-NC-ND 4.0" in usm.license
    assert usm.license_url == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert "eigen formuleringen" not in usm.description_nl


def test_what_is_not_from_the_book_is_labelled(loaded):
    parts = FrameworkPart.objects.filter(framework__ref_id="usm")
    for kind in ("step", "workflow_pattern", "call_type", "profile", "canvas_cell"):
        for part in parts.filter(kind=kind):
            assert part.provenance in {Provenance.CITED, Provenance.READING}, part.ref_id
    assert parts.get(ref_id="prioriteit").provenance == Provenance.READING
    assert not parts.filter(provenance="").exists()


def test_rules_on_our_reading_are_not_errors(loaded):
    readings = CoherenceRule.objects.filter(provenance=Provenance.READING)
    assert readings.filter(framework__ref_id="optimum", ref_id="organisatie-een-eigenaar").exists()
    assert not readings.filter(severity=RuleSeverity.ERROR).exists()
    assert CoherenceRule.objects.exclude(provenance__in=Provenance.values).count() == 0


def test_idm_domains_are_numbered_as_the_seed_numbers_them(loaded):
    numbers = {
        part.ref_id: part.attributes["number"]
        for part in FrameworkPart.objects.filter(framework__ref_id="idm", kind="domain")
    }
    assert numbers == {
        "nalatenschap": 1,
        "resultaten": 2,
        "belanghebbenden": 3,
        "richten": 4,
        "inrichten": 5,
        "verrichten": 6,
        "principes": 7,
    }
    idm = Framework.objects.get(ref_id="idm")
    assert (idm.publisher, idm.source_url) == ("", "")
    legacy = FrameworkPart.objects.get(framework=idm, ref_id="nalatenschap")
    assert legacy.cadence_nl.startswith("Meerjarig") and legacy.attributes["cadence_months"] > 12
