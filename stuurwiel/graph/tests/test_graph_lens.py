"""The lens: which parts of a framework a subject's elements answer, including
grouping parts (``refs.members``) that are answered through the parts they group."""

import pytest

from stuurwiel.frameworks.models import FrameworkPart
from stuurwiel.graph.selectors import subject_lens

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(compass):
    """A line in the Compass grouping Motivatie and Resultaat, like Optimum's lines."""
    return FrameworkPart.objects.create(
        framework=compass.framework,
        urn=f"{compass.framework.urn}:lijn",
        ref_id="lijn",
        kind="line",
        order=0,
        name_nl="Lijn",
        name_en="Line",
        refs={"members": ["motivatie", "resultaat"]},
    )


def _node(lens, part):
    return next(node for node in lens.nodes if node.part.pk == part.pk)


def test_grouping_part_is_open_until_each_member_is_answered(line, compass, make_element):
    make_element("Wachttijd te lang", compass.why)
    [lens] = subject_lens(subject=compass_subject(compass))
    node = _node(lens, line)
    assert [member.part.ref_id for member in node.members] == ["motivatie", "resultaat"]
    assert not node.answered and node in lens.unanswered


def test_grouping_part_is_answered_through_its_members(line, compass, make_element):
    make_element("Wachttijd te lang", compass.why)
    make_element("Doorlooptijd gemeten", compass.measure)  # Resultaat answered in its step
    [lens] = subject_lens(subject=compass_subject(compass))
    node = _node(lens, line)
    assert node.answered and not node.answered_here and node.answered_by_members
    assert lens.answered_count == lens.part_count == 4


def test_lens_page_lists_the_members_of_a_line(client_a, line, compass, make_element):
    element = make_element("Wachttijd te lang", compass.why)
    url = element.subject.get_absolute_url()
    page = client_a.get(url).content.decode()
    assert "Groepeert" in page and 'href="#lens-kompas-motivatie"' in page
    assert "beantwoord via de gegroepeerde onderdelen" not in page  # Resultaat still open
    make_element("Doorlooptijd gemeten", compass.what)
    assert "beantwoord via de gegroepeerde onderdelen" in client_a.get(url).content.decode()


def compass_subject(compass):
    from stuurwiel.graph.models import Subject

    return Subject.objects.get(frameworks=compass.framework)
