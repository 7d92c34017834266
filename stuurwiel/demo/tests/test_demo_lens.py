"""The USM lens of a demo service asks only what a service answers: its service
definition, Service Model Canvas and SMA; not process steps, workflow patterns,
pitfalls, signals or implementation steps."""

from __future__ import annotations

from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.graph.models import Element, Subject
from stuurwiel.graph.selectors import subject_lens

SERVICE_KINDS = {"service_definition", "canvas_cell", "sma", "sma_element"}


def _usm_lens(subject: Subject):
    return next(lens for lens in subject_lens(subject=subject) if lens.framework.ref_id == "usm")


def test_usm_lens_of_verhuizing_lists_only_assessable_parts(middenstad):
    subject = Subject.objects.get(organisation=middenstad, name="Verhuizing doorgeven")
    lens = _usm_lens(subject)
    usm_parts = FrameworkPart.objects.filter(framework__ref_id="usm")
    assert {node.part.kind for node in lens.nodes} == SERVICE_KINDS
    assert all(node.part.assessable for node in lens.nodes)
    assert lens.part_count == usm_parts.filter(assessable=True).count()
    # The lens used to ask every part of the library; now well under a fifth of them.
    assert lens.part_count * 5 < usm_parts.count()


def test_usm_lens_page_of_verhuizing_shows_no_process_steps_or_pitfalls(
    client, middenstad, django_user_model
):
    subject = Subject.objects.get(organisation=middenstad, name="Verhuizing doorgeven")
    client.force_login(django_user_model.objects.get(username="architect"))
    page = client.get(subject.get_absolute_url()).content.decode()
    for ref_id in ("afspreken-aannemen", "wf5", "tool-first-valkuil", "impl-4", "islitis"):
        assert f'id="lens-usm-{ref_id}"' not in page
    for ref_id in ("service-definitie", "voorziening-goederen", "sma-schakels"):
        assert f'id="lens-usm-{ref_id}"' in page
    not_asked = FrameworkPart.objects.filter(framework__ref_id="usm", assessable=False).count()
    assert f"Deze lens toont alleen wat een onderwerp wordt gevraagd. {not_asked} andere" in page
    # Reflection question of §9.5, asked of the service itself.
    assert "Welke schakels zijn nodig om deze service te leveren?" in page


def test_every_demo_element_of_a_usm_service_appears_in_its_lens(middenstad):
    for subject in Subject.objects.filter(organisation=middenstad, frameworks__ref_id="usm"):
        shown = {
            element.pk
            for lens in subject_lens(subject=subject)
            for node in lens.nodes
            for element in node.elements
        }
        asked = set(
            Element.objects.filter(
                subject=subject, classifications__part__assessable=True
            ).values_list("pk", flat=True)
        )
        # The elements the lens asks about are in it (the first ones per part);
        # the rest (the service owner, classified only under function separation's
        # roles) is counted on the page as "andere": no demo element is left out.
        assert shown & asked, subject.name
        unclassified = Element.objects.filter(subject=subject, classifications__isnull=True)
        assert not unclassified.exists(), [element.name for element in unclassified]
        assert shown, subject.name
