"""Design findings: what is missing, and whether the links' norms fit the SA."""

import pytest

from stuurwiel.agreements.consistency import agreement_gaps, norm_findings
from stuurwiel.agreements.tests.factories import (
    draft_of,
    every_priority,
    in_force,
    make_agreement,
    make_service,
    set_norms,
    supplier_link,
    team_link,
)

pytestmark = pytest.mark.django_db


def _codes(findings):
    return [finding.code for finding in findings]


@pytest.fixture
def chain(org_a):
    """Verhuizing: an SA, the KCC team (OLA) and a supplier (UC), all in force.
    SA resolves priority 1 within 8:00; KCC 3:00, supplier 4:00 — they fit."""
    service = make_service(org_a, "Verhuizing")
    kcc = team_link(service, "KCC", position=1)
    supplier = supplier_link(service, "Pink Roccade", position=2)
    sa = make_agreement(service)
    ola = make_agreement(service, "ola", kcc)
    uc = make_agreement(service, "uc", supplier)
    in_force(sa, {**every_priority(30, 960), 1: (15, 480)})
    in_force(ola, {**every_priority(30, 480), 1: (15, 180)})
    in_force(uc, {**every_priority(30, 480), 1: (30, 240)})
    return service, sa, ola, uc, kcc, supplier


def test_a_fitting_chain_has_no_findings(chain):
    service = chain[0]
    assert agreement_gaps(service) == []
    assert norm_findings(service) == []


def test_links_that_add_up_beyond_the_sa_are_a_finding_with_the_numbers(chain, org_a):
    service, sa, ola, _uc, _kcc, _supplier = chain
    draft = draft_of_new(ola)
    set_norms(draft, {1: (15, 300)})  # KCC now 5:00 + supplier 4:00 = 9:00 > 8:00
    [finding] = norm_findings(service)
    assert finding.code == "links_exceed_sa" and finding.priority == 1
    assert finding.severity == "error"
    assert finding.obj == sa.versions.get(status="active")
    assert finding.message == (
        "Priority 1, a call through the whole chain: the resolution norms of the links add up "
        "to 9:00 (KCC 5:00 + Pink Roccade 4:00), beyond the 8:00 of “SA Verhuizing” version 1. "
        "Shorten a link's norm or agree a longer resolution with the customer."
    )


def draft_of_new(agreement):
    from stuurwiel.agreements import services

    return services.version_new(agreement=agreement, by=None)


def test_a_link_without_steps_of_a_process_is_not_passed_by_its_calls(chain):
    """With process steps declared, a call of Herstellen passes only the links with
    Herstellen steps (and those without any steps yet)."""
    service, _sa, ola, _uc, kcc, supplier = chain
    kcc.steps = ["herstellen-aannemen", "uitvoeren-aannemen"]
    kcc.save()
    supplier.steps = ["uitvoeren-uitvoeren"]
    supplier.save()
    set_norms(draft_of_new(ola), {1: (15, 300)})
    [finding] = norm_findings(service)  # Uitvoeren passes both: 9:00; Herstellen only KCC
    assert "calls of Operate" in finding.message and "9:00" in finding.message


def test_a_priority_without_a_norm_is_a_finding_per_agreement(chain):
    service, _sa, _ola, uc, _kcc, _supplier = chain
    draft = draft_of_new(uc)
    draft.norms.filter(priority__in=[4, 5]).delete()
    [finding] = norm_findings(service)
    assert finding.code == "norm_missing"
    assert finding.message == (
        "“UC Pink Roccade for Verhuizing” version 2 has no norm for priority 4, 5."
    )


def test_resolution_before_response_is_a_finding(chain):
    service, _sa, ola, _uc, _kcc, _supplier = chain
    draft = draft_of_new(ola)
    draft.norms.filter(priority=3).update(response_minutes=120, resolution_minutes=60)
    [finding] = norm_findings(service)
    assert finding.code == "resolution_before_response" and finding.priority == 3
    assert "resolution within 1:00 comes before the response within 2:00" in finding.message


def test_gaps_name_the_missing_sa_the_missing_contract_and_drafts(org_a):
    service = make_service(org_a, "Vergunning")
    team_link(service, "Vergunningen", position=1)
    supplier_link(service, "Leverancier X", position=2)
    gaps = agreement_gaps(service)
    assert _codes(gaps) == ["sa_missing", "agreement_missing", "agreement_missing"]
    assert gaps[1].message == "The link “Vergunningen” has no agreement yet: it needs an OLA."
    assert gaps[2].message == (
        "The link “Leverancier X” has no agreement yet: it needs an underpinning contract (UC)."
    )
    make_agreement(service)
    assert _codes(agreement_gaps(service)) == [
        "agreement_missing",
        "agreement_missing",
        "no_active_version",
    ]


def test_every_priority_of_the_organisations_matrix_needs_a_norm(org_a):
    """A matrix that never gives priority 5 needs no norm for it."""
    from stuurwiel.agreements import services

    services.priority_matrix_reset(organisation=org_a, by=None, matrix="call")
    from stuurwiel.agreements.models import PriorityCell

    PriorityCell.objects.filter(organisation=org_a, matrix="call", priority=5).update(priority=4)
    service = make_service(org_a)
    sa = make_agreement(service)
    set_norms(draft_of(sa), dict.fromkeys((1, 2, 3, 4), (30, 480)))
    assert norm_findings(service) == []


def test_findings_are_read_in_a_fixed_number_of_queries(chain, django_assert_max_num_queries):
    service = chain[0]
    with django_assert_max_num_queries(8):
        norm_findings(service)
