"""Colours, icons and patterns of the diagrams' statuses.

A status is never told by colour alone: each has a word ("Beantwoord"), an icon
(✓ ◐ ○) and a line pattern (solid, dashed, dotted border). The colours are
chosen for text on them; the WCAG 2.x contrast ratios (tests/test_contrast.py
computes them with the WCAG formula and requires at least 4.5:1, level AA for
normal text):

==============  ===========  ==========  =====
status          background   text        ratio
==============  ===========  ==========  =====
answered        #1e6b3a      #ffffff     6.5:1
partly          #f4d58d      #1b2430     11.0:1
unanswered      #f7dcdc      #8f1d1d     6.9:1
findings badge  #8a3b00      #ffffff     7.8:1
card text       #ffffff      #1b2430     15.7:1
muted text      #ffffff      #55606e     6.4:1
status tints    #e3f1e7 …    #1b2430     13.4:1 or more
==============  ===========  ==========  =====

(The ratios above are rounded; the test prints the exact values.)
"""

from __future__ import annotations

from dataclasses import dataclass

from stuurwiel.diagrams.choices import PartStatus

INK = "#1b2430"
MUTED = "#55606e"
PAPER = "#ffffff"
RULE = "#c3cad3"


@dataclass(frozen=True)
class StatusStyle:
    fill: str  # the status chip's background
    text: str  # text on the chip
    tint: str  # a light wash for a large area (a ring, a card's band)
    stroke: str  # the card's border
    dash: str  # the border's pattern: "" solid, else an SVG dasharray
    icon: str


STATUS_STYLES: dict[str, StatusStyle] = {
    PartStatus.ANSWERED: StatusStyle("#1e6b3a", PAPER, "#e3f1e7", "#1e6b3a", "", "✓"),
    PartStatus.PARTLY: StatusStyle("#f4d58d", INK, "#fbf0d3", "#9a6b00", "7 4", "◐"),
    PartStatus.UNANSWERED: StatusStyle("#f7dcdc", "#8f1d1d", "#fbeeee", "#8f1d1d", "2 4", "○"),
}
FINDINGS_FILL = "#8a3b00"
FINDINGS_TEXT = PAPER

# Pairs of (background, text) that carry words; the contrast test walks them all.
TEXT_PAIRS: list[tuple[str, str, str]] = [
    *((f"status {key}", style.fill, style.text) for key, style in STATUS_STYLES.items()),
    *((f"tint {key}", style.tint, INK) for key, style in STATUS_STYLES.items()),
    ("findings badge", FINDINGS_FILL, FINDINGS_TEXT),
    ("card text", PAPER, INK),
    ("muted text", PAPER, MUTED),
]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), lighter over darker."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
