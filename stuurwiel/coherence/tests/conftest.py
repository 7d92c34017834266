"""A small framework made in the database for the coherence tests: Doel (goals),
Resultaat (outputs and outcomes, with the sub-part Effect), Principe, Methode and
Middel, a link type Doel → Resultaat, and a rule of each kind built on demand."""

from types import SimpleNamespace

import pytest

from stuurwiel.coherence import rulebook
from stuurwiel.frameworks.models import CoherenceRule, Framework, FrameworkPart, LinkType
from stuurwiel.graph import services


@pytest.fixture(autouse=True)
def _fresh_rulebook():
    rulebook.forget()
    yield
    rulebook.forget()


def _part(framework, ref_id, order, types, *, parent=None, cadence=None):
    return FrameworkPart.objects.create(
        framework=framework,
        parent=parent,
        urn=f"{framework.urn}:{ref_id}",
        ref_id=ref_id,
        kind="aspect",
        order=order,
        name_nl=ref_id.capitalize(),
        name_en=ref_id.capitalize(),
        element_types=types,
        attributes={"cadence_months": cadence} if cadence else {},
    )


@pytest.fixture
def proef(db):
    framework = Framework.objects.create(
        urn="urn:test:framework:proef",
        ref_id="proef",
        version=1,
        name_nl="Proef",
        name_en="Trial",
        content_hash="p",
    )
    doel = _part(framework, "doel", 1, ["goal"], cadence=12)
    resultaat = _part(framework, "resultaat", 2, ["output", "outcome"])
    effect = _part(framework, "effect", 3, ["outcome"], parent=resultaat)
    principe = _part(framework, "principe", 4, ["principle"])
    methode = _part(framework, "methode", 5, ["process"])
    middel = _part(framework, "middel", 6, ["process", "means"])
    link = LinkType.objects.create(
        framework=framework,
        urn=f"{framework.urn}:doel-resultaat",
        ref_id="doel-resultaat",
        name_nl="Doel rechtvaardigt resultaat",
        name_en="Goal justifies result",
        source_part=doel,
        target_part=resultaat,
        relation_type="influence",
    )
    return SimpleNamespace(
        framework=framework,
        doel=doel,
        resultaat=resultaat,
        effect=effect,
        principe=principe,
        methode=methode,
        middel=middel,
        link=link,
    )


@pytest.fixture
def make_rule(proef):
    count = [0]

    def make(kind, severity="warning", **params):
        count[0] += 1
        # Rules made in place of the loader, which would move the content hash on.
        rulebook.forget()
        return CoherenceRule.objects.create(
            framework=proef.framework,
            urn=f"{proef.framework.urn}:rule-{count[0]}",
            ref_id=f"rule-{count[0]}",
            order=count[0],
            kind=kind,
            severity=severity,
            message_nl=f"Regel {count[0]}",
            message_en=f"Rule {count[0]}",
            params=params,
        )

    return make


@pytest.fixture
def subject(org_a, admin_a, proef):
    return services.subject_create(
        organisation=org_a,
        by=admin_a,
        data={"name": "Proefonderwerp", "kind": "capability", "frameworks": [proef.framework]},
    )


@pytest.fixture
def element(org_a, admin_a, subject):
    def make(name, element_type, *parts, in_subject=None):
        return services.element_create(
            organisation=org_a,
            by=admin_a,
            data={
                "name": name,
                "element_type": element_type,
                "subject": in_subject or subject,
                "parts": list(parts),
            },
        )

    return make


@pytest.fixture
def relate(org_a, admin_a):
    def make(source, target, relation_type="influence", link_type=None):
        return services.relation_create(
            organisation=org_a,
            by=admin_a,
            data={
                "source": source,
                "target": target,
                "relation_type": relation_type,
                "link_type": link_type,
            },
        )

    return make
