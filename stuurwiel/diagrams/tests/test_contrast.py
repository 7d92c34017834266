"""Status colours pass WCAG AA (4.5:1) for the text on them, computed here with
the WCAG 2.x formula; and no status is told by colour alone."""

import pytest

from stuurwiel.diagrams.choices import PartStatus
from stuurwiel.diagrams.palette import STATUS_STYLES, TEXT_PAIRS, contrast_ratio


def test_the_formula_gives_the_known_extremes():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name,background,text", TEXT_PAIRS, ids=[p[0] for p in TEXT_PAIRS])
def test_text_on_every_status_colour_passes_aa(name, background, text):
    ratio = contrast_ratio(background, text)
    print(f"{name}: {background} / {text} = {ratio:.2f}:1")
    assert ratio >= 4.5


def test_every_status_has_its_own_icon_and_border_pattern():
    styles = [STATUS_STYLES[status] for status in PartStatus.values]
    assert len({style.icon for style in styles}) == len(styles)
    assert len({style.dash for style in styles}) == len(styles)
