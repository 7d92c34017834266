"""Fitting text into the boxes of a server-side drawing: widths from the advance
widths of Arial (the same as Liberation Sans and Helvetica: the standard core-font
metrics, in thousandths of an em, measured here in Chromium with Liberation Sans),
which is why the chain diagram asks for those fonts first. Another sans-serif font
may run wider; a small allowance covers the common ones."""

from __future__ import annotations

ALLOWANCE = 1.04
_FIRST = 32  # the tables below cover " " … "~"
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584,
)  # fmt: skip
# Letters with accents are as wide as their base letter; a few signs of their own.
_SIGNS = {"€": (556, 556), "–": (556, 556), "—": (1000, 1000), "…": (1000, 1000), "·": (278, 278)}
_SIGNS.update(dict.fromkeys("‘’", (222, 278)))
_SIGNS.update(dict.fromkeys("“”", (333, 500)))


def _advance(ch: str, bold: bool) -> int:
    code = ord(ch)
    if _FIRST <= code < _FIRST + len(_REGULAR):
        return (_BOLD if bold else _REGULAR)[code - _FIRST]
    if ch in _SIGNS:
        return _SIGNS[ch][bold]
    base = _base_letter(ch)
    if base is not None:
        return _advance(base, bold)
    return 1000 if _wide(ch) else 611


def _base_letter(ch: str) -> str | None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1 and ord(decomposed[0]) < 127:
        return decomposed[0]
    return None


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


_CACHE: dict[tuple[str, bool], float] = {}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` at ``size`` pixels, with the allowance."""
    total = 0.0
    for ch in text:
        width = _CACHE.get((ch, bold))
        if width is None:
            width = _CACHE[(ch, bold)] = _advance(ch, bold) / 1000 * ALLOWANCE
        total += width
    return total * size


def fit_lines(
    text: str, width: float, size: float, max_lines: int, bold: bool = False
) -> list[str]:
    """``text`` broken at spaces into at most ``max_lines`` lines of at most
    ``width`` (a word longer than a line is cut); the last line ends in an
    ellipsis when the text does not fit."""
    space = text_width(" ", size, bold)
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in text.split():
        word_w = text_width(word, size, bold)
        if current and current_w + space + word_w <= width:
            current, current_w = f"{current} {word}", current_w + space + word_w
            continue
        if current:
            lines.append(current)
            if len(lines) > max_lines:
                break
        current, current_w = word, word_w
        while current_w > width and len(current) > 2:
            # A word longer than the line is cut with a hyphen.
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut] + "-", size, bold) > width:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
            current_w = text_width(current, size, bold)
    if current and len(lines) <= max_lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1].rstrip()
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines or [""]


def fit_text(
    text: str, width: float, sizes: tuple[float, ...], max_lines: int, bold: bool = False
) -> tuple[float, list[str]]:
    """The largest of ``sizes`` at which ``text`` fits in ``max_lines`` lines
    without cutting a word (long Dutch compounds: "Klantcontactcentrum"), and its
    lines; at the smallest size, whatever :func:`fit_lines` makes of it."""
    for size in sizes:
        words_fit = all(text_width(word, size, bold) <= width for word in text.split())
        lines = fit_lines(text, width, size, max_lines, bold)
        if words_fit and not lines[-1].endswith("…"):
            return size, lines
    return sizes[-1], fit_lines(text, width, sizes[-1], max_lines, bold)
