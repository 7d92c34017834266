"""Test data: a small valid library to vary, and row counts of every framework table."""

from __future__ import annotations

import copy

from stuurwiel.changelog.models import ChangeLogEntry
from stuurwiel.frameworks.models import (
    CoherenceRule,
    Framework,
    FrameworkPart,
    GuidingQuestion,
    LinkType,
)

ALPHA = {
    "urn": "urn:test:framework:alpha",
    "ref_id": "alpha",
    "version": 1,
    "name": {"nl": "Alfamodel", "en": "Alpha model"},
    "description": {"nl": "Een klein model om mee te testen.", "en": "A small model to test with."},
    "publisher": "Testbureau",
    "source": {"title": "Het Alfaboek", "url": "https://example.org/alfa", "license": "CC BY 4.0"},
    "parts": [
        {
            "ref_id": "sturing",
            "kind": "aspect",
            "name": {"nl": "Sturing", "en": "Steering"},
            "short_question": {"nl": "Wie stuurt?", "en": "Who steers?"},
            "cadence": {"nl": "jaarlijks", "en": "yearly"},
            "element_types": ["role", "decision"],
            "questions": [
                {"ref_id": "q1", "text": {"nl": "Wie beslist er?", "en": "Who decides?"}},
                {
                    "ref_id": "q2",
                    "text": {
                        "nl": "Hoe vaak wordt er bijgestuurd?",
                        "en": "How often is it adjusted?",
                    },
                    "source": "seed 000",
                },
            ],
            "children": [
                {
                    "ref_id": "besluiten",
                    "kind": "step",
                    "name": {"nl": "Besluiten", "en": "Deciding"},
                    "questions": [
                        {"ref_id": "q1", "text": {"nl": "Wat ligt vast?", "en": "What is settled?"}}
                    ],
                }
            ],
        },
        {
            "ref_id": "resultaat",
            "kind": "aspect",
            "name": {"nl": "Resultaat", "en": "Result"},
            "description": {"nl": "Wat het oplevert.", "en": "What it yields."},
            "refs": {"depends_on": ["sturing"]},
            "attributes": {"colour": "green", "label": {"nl": "groen", "en": "green"}},
        },
    ],
    "link_types": [
        {
            "ref_id": "sturing-resultaat",
            "name": {"nl": "Sturing bepaalt Resultaat", "en": "Steering sets Result"},
            "from": "sturing",
            "to": "resultaat",
            "relation": "influence",
        }
    ],
    "coherence_rules": [
        {
            "ref_id": "all-answered",
            "kind": "part_answered",
            "severity": "warning",
            "message": {"nl": "Beantwoord elk aspect.", "en": "Answer every aspect."},
            "params": {"parts": ["sturing", "resultaat"]},
        },
        {
            "ref_id": "separate",
            "kind": "role_separation",
            "severity": "error",
            "message": {"nl": "Scheid de rollen.", "en": "Separate the roles."},
            "params": {"roles": ["architect", "operator"], "principle": "design_own_work"},
        },
    ],
}


def alpha(**changes) -> dict:
    """A deep copy of the Alpha library with top-level keys replaced."""
    data = copy.deepcopy(ALPHA)
    data.update(copy.deepcopy(changes))
    return data


def beta() -> dict:
    data = alpha(
        urn="urn:test:framework:beta",
        ref_id="beta",
        name={"nl": "Bètamodel", "en": "Beta model"},
    )
    return data


MODELS = (Framework, FrameworkPart, GuidingQuestion, LinkType, CoherenceRule, ChangeLogEntry)


def row_counts() -> dict[str, int]:
    """Rows in every framework table and in the change log."""
    return {model.__name__: model.objects.count() for model in MODELS}
