"""Each rule kind, a case that holds and one that fails, through the writing
services (so the incremental evaluation after each write is what is checked)."""

from datetime import timedelta

import pytest

from stuurwiel.coherence.choices import FindingOutcome, FindingStatus
from stuurwiel.coherence.models import Finding
from stuurwiel.coherence.services import coherence_evaluate
from stuurwiel.core import clock
from stuurwiel.graph.models import Element
from stuurwiel.organisations.choices import Role
from stuurwiel.organisations.models import Membership, RoleAssignment
from stuurwiel.organisations.services import membership_roles_set

pytestmark = pytest.mark.django_db


def open_keys(subject, rule=None):
    rows = Finding.objects.filter(subject=subject, status=FindingStatus.OPEN)
    if rule is not None:
        rows = rows.filter(rule=rule)
    return {row.key for row in rows}


def test_part_answered_fails_until_an_element_of_a_fitting_type_answers(
    make_rule, proef, subject, element
):
    rule = make_rule("part_answered", parts=["doel", "resultaat"])
    element("Een proces", "process", proef.doel)  # wrong type: not an answer
    assert open_keys(subject, rule) == {f"part:{proef.doel.pk}", f"part:{proef.resultaat.pk}"}
    element("Minder wachttijd", "outcome", proef.effect)  # a sub-part answers its parent
    element("Goede dienstverlening", "goal", proef.doel)
    assert open_keys(subject, rule) == set()


def test_link_expected_names_each_result_without_its_goal_and_resolves_when_linked(
    make_rule, proef, subject, element, relate
):
    rule = make_rule("link_expected", link_type="doel-resultaat")
    goal = element("Doel", "goal", proef.doel)
    result = element("Resultaat", "output", proef.resultaat)
    assert open_keys(subject, rule) == {f"element:{result.pk}"}
    relate(goal, result, link_type=proef.link)
    assert open_keys(subject, rule) == set()
    finding = Finding.objects.get(rule=rule, key=f"element:{result.pk}")
    assert finding.status == FindingStatus.RESOLVED and finding.resolved_at is not None


def test_link_expected_each_from_asks_the_source_side(make_rule, proef, subject, element, relate):
    rule = make_rule("link_expected", link_type="doel-resultaat", each="from")
    goal = element("Doel", "goal", proef.doel)
    element("Resultaat", "output", proef.resultaat)
    assert open_keys(subject, rule) == {f"element:{goal.pk}"}


def test_a_relation_of_the_link_type_between_the_parts_realises_it_without_being_marked(
    make_rule, proef, subject, element, relate
):
    rule = make_rule("link_expected", link_type="doel-resultaat")
    goal = element("Doel", "goal", proef.doel)
    result = element("Resultaat", "output", proef.resultaat)
    relate(goal, result, relation_type="influence")
    assert open_keys(subject, rule) == set()


def test_element_type_fits_finds_the_misfit_and_not_the_fitting_answer(
    make_rule, proef, subject, element
):
    rule = make_rule("element_type_fits")
    wrong = element("Een principe", "principle", proef.methode)
    element("Een proces", "process", proef.methode)
    assert open_keys(subject, rule) == {f"fit:{wrong.pk}:{proef.methode.pk}"}
    finding = Finding.objects.get(rule=rule, status=FindingStatus.OPEN)
    assert finding.reasoning["allowed"] == ["process"]


def test_exclusive_parts_finds_an_element_in_two_of_the_parts(make_rule, proef, subject, element):
    rule = make_rule("exclusive_parts", parts=["methode", "middel"])
    twice = element("Intake", "process", proef.methode, proef.middel)
    element("Uitvoering", "process", proef.methode)
    assert open_keys(subject, rule) == {f"element:{twice.pk}"}


def test_parts_linked_needs_one_link_from_the_source_part_per_target_part(
    make_rule, proef, subject, element, relate
):
    rule = make_rule("parts_linked", **{"from": "principe", "to": ["doel", "methode"]})
    principle = element("Digitaal tenzij", "principle", proef.principe)
    goal = element("Doel", "goal", proef.doel)
    element("Proces", "process", proef.methode)
    assert open_keys(subject, rule) == {f"part:{proef.doel.pk}", f"part:{proef.methode.pk}"}
    relate(principle, goal, relation_type="influence")
    assert open_keys(subject, rule) == {f"part:{proef.methode.pk}"}


def test_path_expected_reports_the_step_where_the_line_breaks(
    make_rule, proef, subject, element, relate
):
    rule = make_rule("path_expected", parts=["doel", "methode", "resultaat"])
    goal = element("Doel", "goal", proef.doel)
    method = element("Proces", "process", proef.methode)
    element("Resultaat", "output", proef.resultaat)
    relate(goal, method, relation_type="association")
    assert open_keys(subject, rule) == {f"step:{proef.methode.pk}-{proef.resultaat.pk}"}


def test_element_related_asks_each_answer_for_a_related_element_of_a_type(
    make_rule, proef, subject, element, relate
):
    rule = make_rule("element_related", parts=["resultaat"], element_types=["goal"])
    result = element("Resultaat", "output", proef.resultaat)
    assert open_keys(subject, rule) == {f"element:{result.pk}"}
    relate(element("Doel", "goal", proef.doel), result, relation_type="influence")
    assert open_keys(subject, rule) == set()


def test_types_present_names_the_missing_type(make_rule, proef, subject, element):
    rule = make_rule("types_present", parts=["resultaat"], element_types=["output", "outcome"])
    element("Rapport", "output", proef.resultaat)
    assert open_keys(subject, rule) == {"type:outcome"}
    element("Effect", "outcome", proef.effect)
    assert open_keys(subject, rule) == set()


def test_cadence_due_fails_once_the_cadence_has_passed_and_says_when_it_cannot_check(
    make_rule, proef, subject, element, org_a
):
    rule = make_rule("cadence_due", parts=["doel", "methode"])
    element("Doel", "goal", proef.doel)
    rows = Finding.objects.filter(rule=rule, status=FindingStatus.OPEN)
    assert [(row.key, row.outcome) for row in rows] == [
        (f"part:{proef.methode.pk}", FindingOutcome.UNCHECKED)
    ]
    with clock.at(clock.now() + timedelta(days=400)):
        coherence_evaluate(organisation=org_a)
    assert open_keys(subject, rule) == {f"part:{proef.doel.pk}", f"part:{proef.methode.pk}"}


def test_cadence_due_reads_the_latest_change_of_the_fitting_answers_only(
    make_rule, proef, subject, element, org_a
):
    """The latest change per part and type comes from the elements' own dates as
    the database gives them: the newest fitting answer counts, a misfit's never."""
    rule = make_rule("cadence_due", parts=["doel"])
    start = clock.now()
    old = element("Oud doel", "goal", proef.doel)
    new = element("Nieuw doel", "goal", proef.doel)
    misfit = element("Geen doel", "process", proef.doel)
    Element.objects.filter(pk=old.pk).update(updated_at=start - timedelta(days=500))
    Element.objects.filter(pk=new.pk).update(updated_at=start - timedelta(days=100))
    Element.objects.filter(pk=misfit.pk).update(updated_at=start)
    coherence_evaluate(organisation=org_a)  # the newest answer is within 12 months
    assert open_keys(subject, rule) == set()
    with clock.at(start + timedelta(days=300)):  # now it is not; the misfit does not help
        coherence_evaluate(organisation=org_a)
    finding = Finding.objects.get(rule=rule, status=FindingStatus.OPEN)
    assert finding.reasoning["last"] == (start - timedelta(days=100)).date().isoformat()


def test_role_separation_finds_the_member_holding_both_roles_for_the_subject(
    make_rule, subject, make_member, org_a, admin_a
):
    rule = make_rule(
        "role_separation",
        roles=["architect", "operator"],
        scope="subject",
        principle="design_own_work",
    )
    user = make_member(org_a, Role.OPERATOR, username="both")
    membership = Membership.objects.get(user=user)
    membership_roles_set(
        membership=membership,
        by=admin_a,
        roles=[(Role.OPERATOR, None), (Role.ARCHITECT, subject)],
        version=membership.version,
    )
    assert open_keys(subject, rule) == {f"member:{membership.pk}:operator"}
    membership.refresh_from_db()
    membership_roles_set(
        membership=membership, by=admin_a, roles=[(Role.OPERATOR, None)], version=membership.version
    )
    assert open_keys(subject, rule) == set()
    assert RoleAssignment.objects.filter(membership=membership).count() == 1


def test_single_owner_without_role_asks_the_subject_for_its_owner(
    make_rule, subject, org_a, admin_a
):
    rule = make_rule("single_owner")
    coherence_evaluate(organisation=org_a)
    assert open_keys(subject, rule) == {"owners"}


def test_parts_in_order_finds_each_earlier_step_open_while_a_later_one_is_worked_out(
    make_rule, proef, subject, element
):
    rule = make_rule("parts_in_order", parts=["doel", "principe", "methode", "resultaat"])
    coherence_evaluate(organisation=subject.organisation)
    assert open_keys(subject, rule) == set()  # nothing worked out yet: nothing out of order
    element("Intake", "process", proef.methode)
    assert open_keys(subject, rule) == {f"part:{proef.doel.pk}", f"part:{proef.principe.pk}"}
    finding = Finding.objects.get(rule=rule, key=f"part:{proef.principe.pk}")
    assert finding.reasoning == {"part": proef.principe.pk, "ahead": [proef.methode.pk], "step": 2}
    element("Een proces als doel", "process", proef.doel)  # a misfit does not answer step 1
    assert f"part:{proef.doel.pk}" in open_keys(subject, rule)
    element("Goede dienstverlening", "goal", proef.doel)
    element("Digitaal tenzij", "principle", proef.principe)
    assert open_keys(subject, rule) == set()  # the last step may still be open


def test_answers_within_finds_a_procedure_outside_the_parts_until_it_is_placed_or_related(
    make_rule, proef, subject, element, relate
):
    rule = make_rule(
        "answers_within", element_types=["process"], parts=["methode"], within=["middel"]
    )
    loose = element("Uitzonderingsroute", "process", proef.methode)
    element("Intake", "process", proef.methode, proef.middel)  # answers a within part itself
    element("Doel", "goal", proef.doel)  # not of a listed type, not under a listed part
    assert open_keys(subject, rule) == {f"element:{loose.pk}"}
    finding = Finding.objects.get(rule=rule, status=FindingStatus.OPEN)
    assert finding.reasoning == {"element": loose.pk, "within": [proef.middel.pk]}
    assert finding.part_id == proef.methode.pk
    relate(element("Behandelen", "process", proef.middel), loose, relation_type="composition")
    assert open_keys(subject, rule) == set()


def test_answers_within_without_parts_checks_every_answer_of_the_framework(
    make_rule, proef, subject, element
):
    rule = make_rule("answers_within", element_types=["process", "goal"], within=["middel"])
    goal = element("Doel", "goal", proef.doel)
    element("Los proces", "process", in_subject=None)  # answers no part: not checked
    inside = element("Intake", "process", proef.middel)
    assert open_keys(subject, rule) == {f"element:{goal.pk}"}
    assert inside.pk not in {row.element_id for row in Finding.objects.filter(rule=rule)}


def test_the_two_new_kinds_are_described_in_words(make_rule, proef, subject, element, org_a):
    from django.utils import translation

    from stuurwiel.coherence.display import findings_described

    make_rule("parts_in_order", parts=["doel", "methode"])
    make_rule("answers_within", element_types=["process"], parts=["methode"], within=["middel"])
    element("Uitzonderingsroute", "process", proef.methode)
    rows = list(Finding.objects.filter(subject=subject, status=FindingStatus.OPEN).order_by("pk"))
    with translation.override("en"):
        views = findings_described(rows, org_slug=org_a.slug)
    texts = sorted(view.reasoning for view in views)
    assert texts == [
        "“Doel” (step 1) is still open while a later step is already worked out: “Methode”.",
        "“Uitzonderingsroute” lies outside “Middel”: it answers none of them, and no element "
        "related to it does.",
    ]


def test_a_rule_whose_evaluator_fails_is_unchecked_and_the_rest_still_runs(
    make_rule, proef, subject, element, monkeypatch
):
    from stuurwiel.coherence.evaluators import EVALUATORS

    broken = make_rule("part_answered", parts=["doel"])
    fine = make_rule("types_present", parts=["resultaat"], element_types=["output", "outcome"])

    def explode(case):
        raise RuntimeError("boom")

    monkeypatch.setitem(EVALUATORS, "part_answered", explode)
    element("Rapport", "output", proef.resultaat)
    row = Finding.objects.get(rule=broken, status=FindingStatus.OPEN)
    assert row.outcome == FindingOutcome.UNCHECKED and row.reasoning == {"why": "failed"}
    assert open_keys(subject, fine) == {"type:outcome"}


def test_every_rule_kind_has_an_evaluator_and_every_declared_kind_has_parameters():
    from stuurwiel.coherence.evaluators import EVALUATORS
    from stuurwiel.frameworks.choices import RuleKind
    from stuurwiel.frameworks.rulekinds import RULE_PARAMS

    assert set(EVALUATORS) == set(RuleKind.values) == set(RULE_PARAMS)
