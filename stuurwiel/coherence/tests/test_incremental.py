"""The findings kept by the incremental evaluation after each write equal what
a full evaluation finds, whatever the writes (a property test)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuurwiel.coherence import rulebook
from stuurwiel.coherence.choices import FindingStatus
from stuurwiel.coherence.models import Finding
from stuurwiel.coherence.services import coherence_evaluate
from stuurwiel.graph import services
from stuurwiel.graph.models import Element

pytestmark = pytest.mark.django_db

TYPES = ["goal", "output", "outcome", "principle", "process", "means"]
PARTS = ["doel", "resultaat", "effect", "principe", "methode", "middel"]

write = st.one_of(
    st.tuples(st.just("element"), st.sampled_from(TYPES), st.sampled_from(PARTS), st.booleans()),
    st.tuples(st.just("relate"), st.integers(0, 30), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("relate"), st.integers(0, 30), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 30), st.just(""), st.booleans()),
    st.tuples(st.just("retype"), st.integers(0, 30), st.sampled_from(PARTS), st.booleans()),
)


def _state(organisation):
    return sorted(
        Finding.objects.filter(organisation=organisation, status=FindingStatus.OPEN).values_list(
            "subject_id", "rule_id", "key", "outcome"
        )
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(write, min_size=4, max_size=20))
def test_incremental_findings_equal_a_full_evaluation_after_random_writes(
    writes, org_a, admin_a, proef, make_rule, subject
):
    from django.db import transaction

    # Each example runs in a savepoint rolled back at its end (the rulebook too).
    with transaction.atomic():
        sid = transaction.savepoint()
        other = services.subject_create(
            organisation=org_a,
            by=admin_a,
            data={"name": "Ander", "kind": "capability", "frameworks": [proef.framework]},
        )
        make_rule("part_answered", parts=["doel", "resultaat"])
        make_rule("link_expected", link_type="doel-resultaat")
        make_rule("element_type_fits")
        make_rule("parts_linked", **{"from": "principe", "to": ["doel", "methode"]})
        make_rule("element_related", parts=["resultaat"], element_types=["goal"])
        make_rule("exclusive_parts", parts=["methode", "middel"])
        parts = {
            p.ref_id: p
            for p in (
                proef.doel,
                proef.resultaat,
                proef.effect,
                proef.principe,
                proef.methode,
                proef.middel,
            )
        }
        coherence_evaluate(organisation=org_a)
        for kind, a, b, flag in writes:
            elements = list(Element.objects.filter(organisation=org_a).order_by("pk"))
            try:
                if kind == "element":
                    services.element_create(
                        organisation=org_a,
                        by=admin_a,
                        data={
                            "name": "e",
                            "element_type": a,
                            "subject": other if flag else subject,
                            "parts": [parts[b]],
                        },
                    )
                elif kind == "relate" and len(elements) > 1:
                    source, target = elements[a % len(elements)], elements[b % len(elements)]
                    if source.pk != target.pk:
                        services.relation_create(
                            organisation=org_a,
                            by=admin_a,
                            data={
                                "source": source,
                                "target": target,
                                "relation_type": "influence" if flag else "association",
                            },
                        )
                elif kind == "delete" and elements:
                    victim = elements[a % len(elements)]
                    services.element_delete(instance=victim, by=admin_a, version=victim.version)
                elif kind == "retype" and elements:
                    target = elements[a % len(elements)]
                    services.element_update(
                        instance=target,
                        by=admin_a,
                        data={"parts": [parts[b]]},
                        version=target.version,
                    )
            except Exception as exc:  # a write the model refuses changes nothing
                from django.core.exceptions import ValidationError

                assert isinstance(exc, ValidationError), exc
        kept = _state(org_a)
        report = coherence_evaluate(organisation=org_a)
        assert (report.opened, report.resolved, report.updated) == (0, 0, 0)
        assert _state(org_a) == kept
        transaction.savepoint_rollback(sid)
        rulebook.forget()


def test_deleting_an_element_re_evaluates_the_subjects_of_its_neighbours(
    org_a, admin_a, proef, make_rule, subject, element, relate
):
    rule = make_rule("parts_linked", **{"from": "principe", "to": ["doel"]})
    elsewhere = services.subject_create(
        organisation=org_a,
        by=admin_a,
        data={"name": "Kaders", "kind": "capability", "frameworks": [proef.framework]},
    )
    principle = element("Digitaal tenzij", "principle", proef.principe, in_subject=elsewhere)
    goal = element("Doel", "goal", proef.doel)
    relate(principle, goal, relation_type="influence")
    assert not Finding.objects.filter(
        rule=rule, subject=subject, status=FindingStatus.OPEN
    ).exists()
    services.element_delete(instance=principle, by=admin_a, version=principle.version)
    assert Finding.objects.filter(rule=rule, subject=subject, status=FindingStatus.OPEN).exists()
