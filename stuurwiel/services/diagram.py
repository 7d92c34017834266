"""The chain diagram of a service: the customer at the start, the links as nodes
(internal teams and external suppliers drawn differently), the interfaces as
labelled edges, and an interface end that names no link drawn as a dashed stub to
a "?" node, so the gap in the design is visible.

Reads only (a selector): :func:`chain_diagram` fetches the service's chain in four
queries, lays it out with :mod:`stuurwiel.services.chainlayout` and returns what the
SVG template (``services/chain_diagram.svg``) and the text alternative need.
:func:`render_svg` renders it. Where a click goes comes from a :class:`ChainUrls`,
injectable, which falls back to the service's page (or no link) while the detail
pages of links and interfaces do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stuurwiel.services.chainlayout import Geometry, Layout, LayoutEdge, LayoutNode, layout
from stuurwiel.services.choices import EndKind
from stuurwiel.services.models import Interface, Link, Service
from stuurwiel.services.textfit import fit_lines, fit_text, text_width

GEOMETRY = Geometry(top=56)
CUSTOMER = "customer"
# Font sizes to try, largest first, for the names in nodes and for edge labels.
NAME_SIZES = (15.0, 14.0, 13.0, 12.0)
LABEL_SIZES = (12.5, 12.0, 11.5, 11.0)
BADGE = 18.0  # room for the interface number in front of a label


class NodeKind:
    CUSTOMER = "customer"
    TEAM = "team"
    SUPPLIER = "supplier"
    MISSING = "missing"


class UrlBuilder(Protocol):
    def service(self, service: Service) -> str: ...
    def link(self, link: Link) -> str: ...
    def interface(self, interface: Interface) -> str: ...


class ChainUrls:
    """Detail pages of what the diagram shows, by URL name; a name that does not
    exist (yet) falls back to the next one, and to no link at all."""

    def __init__(self, organisation_slug: str) -> None:
        self.org = organisation_slug
        self._missing: set[str] = set()  # names found not to exist (a failed reverse is slow)

    def _first(self, *candidates: tuple[str, int]) -> str:
        for name, pk in candidates:
            if name in self._missing:
                continue
            try:
                return reverse(name, kwargs={"org": self.org, "pk": pk})
            except NoReverseMatch:
                self._missing.add(name)
        return ""

    def service(self, service: Service) -> str:
        return self._first(("services:service_detail", service.pk))

    def link(self, link: Link) -> str:
        return self._first(
            ("services:link_detail", link.pk), ("services:service_detail", link.service_id)
        )

    def interface(self, interface: Interface) -> str:
        return self._first(
            ("services:interface_detail", interface.pk),
            ("services:service_detail", interface.service_id),
        )


@dataclass
class ChainNode:
    key: str
    kind: str
    caption: str  # "Team", "Supplier", "Customer", "Missing link"
    name: str
    lines: list[str]
    url: str = ""
    order: int = 0
    font: float = NAME_SIZES[0]
    box: Any = None
    draw: dict = field(default_factory=dict)  # coordinates for the template


@dataclass
class ChainEdge:
    key: str
    interface: Interface
    source: str
    target: str
    name_lines: list[str]
    norm: str
    has_norm: bool
    url: str
    missing: bool
    number: int = 0
    font: float = LABEL_SIZES[0]
    route: Any = None
    label_w: float = 0
    label_h: float = 0
    wide: Any = None  # the label fitted for a track (an EdgeLabel)
    # Where the label's parts go, relative to the label centre (for the template).
    text: list[dict] = field(default_factory=list)
    label_box: dict = field(default_factory=dict)
    path: str = ""


@dataclass
class ChainRow:
    """One row of the text alternative: an interface with its two ends."""

    number: int
    source: ChainNode
    target: ChainNode
    edge: ChainEdge

    @property
    def ends(self) -> tuple[ChainNode, ChainNode]:
        return (self.source, self.target)


@dataclass
class ChainDiagram:
    service: Service
    nodes: list[ChainNode]
    edges: list[ChainEdge]
    layout: Layout
    width: float
    height: float
    title: str
    description: str
    links_without_interface: list[ChainNode]
    legend_y: float = 0
    legend: list[dict] = field(default_factory=list)
    subtitle: str = ""

    @property
    def legend_right(self) -> float:
        return self.width - GEOMETRY.margin

    @property
    def rows(self) -> list[ChainRow]:
        by_key = {n.key: n for n in self.nodes}
        return [ChainRow(e.number, by_key[e.source], by_key[e.target], e) for e in self.edges]


# --- Texts ------------------------------------------------------------------------


def norm_text(interface: Interface) -> tuple[str, bool]:
    """The norm as shown on an edge, and whether there is one."""
    minutes = interface.norm_minutes
    if minutes is not None:
        return _("within {duration}").format(duration=duration_text(minutes)), True
    if interface.norm_note:
        return interface.norm_note, True
    return _("no norm"), False


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


# --- Building the diagram ----------------------------------------------------------


def _link_node(link: Link, order: int, urls: UrlBuilder, viewer: Any) -> ChainNode:
    party = link.supplier if link.is_supplier else link.team
    kind = NodeKind.SUPPLIER if link.is_supplier else NodeKind.TEAM
    may_view = getattr(viewer, "may_view", None)
    name = str(party) if may_view is None or may_view(party) else _("(not visible to you)")
    font, lines = fit_text(name, GEOMETRY.node_w - 16, NAME_SIZES, 2, bold=True)
    return ChainNode(
        key=f"link-{link.pk}",
        kind=kind,
        caption=_("Supplier") if link.is_supplier else _("Team"),
        name=name,
        lines=lines,
        url=urls.link(link),
        order=order,
        font=font,
    )


def _customer_node(service: Service, urls: UrlBuilder) -> ChainNode:
    names = [c.name for c in service.customers.all()]
    name = ", ".join(names) if names else _("The customer")
    font, lines = fit_text(name, GEOMETRY.node_w - 52, NAME_SIZES[1:], 2, bold=True)
    return ChainNode(
        key=CUSTOMER,
        kind=NodeKind.CUSTOMER,
        caption=_("Customer"),
        name=name,
        lines=lines,
        url=urls.service(service),
        order=-1,
        font=font,
    )


def _missing_node(key: str, order: int) -> ChainNode:
    return ChainNode(
        key=key,
        kind=NodeKind.MISSING,
        caption=_("Missing link"),
        name=_("No link at this end"),
        lines=["?"],
        order=order,
    )


def chain_diagram(
    service: Service, *, urls: UrlBuilder | None = None, viewer: Any = None
) -> ChainDiagram:
    """The laid-out chain of ``service`` (``viewer``: the access layer's answer for
    the member, to hide the names of parties they may not see)."""
    urls = urls or ChainUrls(service.organisation.slug)
    links = list(service.links.select_related("team", "supplier").order_by("position", "id"))
    interfaces = list(service.interfaces.order_by("id"))
    nodes = [_customer_node(service, urls)]
    by_link: dict[int, ChainNode] = {}
    for order, link in enumerate(links):
        by_link[link.pk] = _link_node(link, order, urls, viewer)
        nodes.append(by_link[link.pk])
    edges = []
    for interface in interfaces:
        ends = []
        for end in ("source", "target"):
            if getattr(interface, f"{end}_kind") == EndKind.CUSTOMER:
                ends.append(CUSTOMER)
                continue
            node = by_link.get(getattr(interface, f"{end}_link_id"))
            if node is None:  # the link was removed (or never chosen)
                node = _missing_node(f"missing-{interface.pk}-{end}", 10_000 + len(nodes))
                nodes.append(node)
            ends.append(node.key)
        edges.append(_edge(interface, ends[0], ends[1], urls))
    placed = layout(
        [
            LayoutNode(
                n.key,
                n.order,
                min_layer=0 if n.kind == NodeKind.MISSING else 1,
                start=n.kind == NodeKind.CUSTOMER,
            )
            for n in nodes
        ],
        [
            LayoutEdge(e.key, e.source, e.target, e.label_w, e.label_h, e.wide.w, e.wide.h)
            for e in edges
        ],
        GEOMETRY,
    )
    for n in nodes:
        n.box = placed.boxes[n.key]
        n.draw = _node_drawing(n)
    for e in edges:
        e.route = placed.routes[e.key]
        if not e.route.direct:
            _use_label(e, e.wide)
        e.path = _path(e.route.points)
    # Number the interfaces along the chain: by the layers of their ends.
    edges.sort(key=lambda e: (placed.boxes[e.source].layer, placed.boxes[e.target].layer, e.key))
    for number, e in enumerate(edges, start=1):
        e.number = number
        _place_label_text(e)
    touched = {k for e in edges for k in (e.source, e.target)}
    lonely = [n for n in nodes if n.kind in (NodeKind.TEAM, NodeKind.SUPPLIER)]
    lonely = [n for n in lonely if n.key not in touched]
    width = max(placed.width, LEGEND_WIDTH)
    return ChainDiagram(
        service=service,
        nodes=nodes,
        edges=edges,
        layout=placed,
        width=width,
        height=placed.height + LEGEND_HEIGHT,
        title=_("Chain diagram of {service}").format(service=service.name),
        description=_describe(nodes, edges, lonely),
        links_without_interface=lonely,
        legend_y=placed.height,
        legend=_legend(placed.height),
        subtitle=_("Chain diagram · {links} · {interfaces}").format(
            links=ngettext("{n} link", "{n} links", len(links)).format(n=len(links)),
            interfaces=ngettext("{n} interface", "{n} interfaces", len(edges)).format(n=len(edges)),
        ),
    )


LEGEND_WIDTH, LEGEND_HEIGHT = 900.0, 64.0


def _legend(top: float) -> list[dict]:
    """The legend's items in a row under the diagram: the icon's box and the text."""
    items = [
        (NodeKind.CUSTOMER, _("Customer")),
        (NodeKind.TEAM, _("Team (internal)")),
        (NodeKind.SUPPLIER, _("Supplier (external)")),
        (NodeKind.MISSING, _("Missing link")),
        ("interface", _("Interface: name and norm")),
    ]
    x, y = GEOMETRY.margin, top + 22
    legend = []
    for kind, text in items:
        icon_w = 40.0 if kind == "interface" else 30.0
        legend.append(
            {
                "kind": kind,
                "text": text,
                "x": x,
                "y": y,
                "w": icon_w,
                "h": 20.0,
                "text_x": x + icon_w + 8,
                "text_y": y + 15,
                "mid_y": y + 10,
                "mid_x": x + icon_w / 2,
                "end_x": x + icon_w,
            }
        )
        x += icon_w + 8 + text_width(text, 12) + 28
    return legend


WIDE_LABEL = 200.0  # a label on a track under a band has more room than in a gap


@dataclass
class EdgeLabel:
    """An edge's label fitted to a width: font size, lines, and its box."""

    font: float
    name_lines: list[str]
    norm: str
    w: float
    h: float


def _fit_label(name: str, norm: str, width: float) -> EdgeLabel:
    room = width - BADGE - 10
    font, name_lines = fit_text(name, room, LABEL_SIZES, 2, bold=True)
    norm_line = fit_lines(norm, room, font, 1)[0]
    widest = max(text_width(line, font, True) for line in [*name_lines, norm_line])
    height = (len(name_lines) + 1) * (font + 3) + 8
    return EdgeLabel(font, name_lines, norm_line, min(BADGE + widest + 10, width), height)


def _edge(interface: Interface, source: str, target: str, urls: UrlBuilder) -> ChainEdge:
    norm, has_norm = norm_text(interface)
    narrow = _fit_label(interface.name, norm, GEOMETRY.label_width)
    edge = ChainEdge(
        key=f"interface-{interface.pk}",
        interface=interface,
        source=source,
        target=target,
        name_lines=narrow.name_lines,
        norm=narrow.norm,
        has_norm=has_norm,
        url=urls.interface(interface),
        missing=source.startswith("missing-") or target.startswith("missing-"),
        label_w=narrow.w,
        label_h=narrow.h,
        font=narrow.font,
    )
    edge.wide = _fit_label(interface.name, norm, WIDE_LABEL)
    return edge


def _use_label(edge: ChainEdge, label: EdgeLabel) -> None:
    edge.font, edge.name_lines, edge.norm = label.font, label.name_lines, label.norm
    edge.label_w, edge.label_h = label.w, label.h


def _place_label_text(edge: ChainEdge) -> None:
    """Positions of the label's number badge and lines around its centre."""
    x, y = edge.route.label
    w, h = edge.label_w, edge.label_h
    step = edge.font + 3
    left, top = x - w / 2, y - h / 2
    edge.text = [
        {"at": _at(left + BADGE + 2, top + 1 + step * (n + 1)), "text": line, "bold": True}
        for n, line in enumerate(edge.name_lines)
    ]
    edge.text.append(
        {
            "at": _at(left + BADGE + 2, top + 1 + step * (len(edge.name_lines) + 1)),
            "text": edge.norm,
            "bold": False,
        }
    )
    edge.label_box = {
        "box": _box(left, top, w, h),
        "badge": _at(left + 9, top + 11, ("cx", "cy")),
        "number_at": _at(left + 9, top + 14.5),
    }


BAND = 20.0  # the caption band at the top of a link


def _node_drawing(node: ChainNode) -> dict:
    """Every coordinate the template needs for one node, rounded."""
    b = node.box
    x, y, w, h = b.x, b.y, b.w, b.h
    r, step = 10.0, node.font + 3
    draw: dict[str, Any] = {"x": x, "y": y, "w": w, "h": h, "cx": b.cx, "cy": b.cy}
    if node.kind == NodeKind.CUSTOMER:
        text_x = x + 44
        draw.update(rx=h / 2, icon_x=x + 24, head_y=b.cy - 9, anchor="start")
        draw["body"] = f"M{x + 12:.1f},{b.cy + 13:.1f} q0,-12 12,-12 t12,12 z"  # shoulders
        draw["caption_x"], draw["caption_y"] = text_x, y + 24
        first = y + (45 if len(node.lines) > 1 else 52)
    elif node.kind == NodeKind.MISSING:
        text_x = b.cx
        draw.update(anchor="middle", caption_x=b.cx, caption_y=y + h - 14)
        first = y + 38
    else:
        text_x, top, bottom = b.cx, y + BAND, y + h
        draw.update(anchor="middle", caption_x=x + 8, caption_y=y + 14)
        draw["band"] = (
            f"M{x:.1f},{y + BAND:.1f} V{y + r:.1f} Q{x:.1f},{y:.1f} {x + r:.1f},{y:.1f} "
            f"H{x + w - r:.1f} Q{x + w:.1f},{y:.1f} {x + w:.1f},{y + r:.1f} V{y + BAND:.1f} Z"
        )
        draw["chip_w"] = text_width(node.caption.upper(), 10, True) + 0.8 * len(node.caption) + 16
        first = top + (bottom - top - step * len(node.lines)) / 2 + step - 4
    draw["lines"] = [
        {"at": _at(text_x, first + n * step), "y": first + n * step, "text": line}
        for n, line in enumerate(node.lines)
    ]
    draw["box"] = _box(x, y, w, h)
    draw["caption_at"] = _at(draw["caption_x"], draw["caption_y"])
    return draw


def _at(x: float, y: float, names: tuple[str, str] = ("x", "y")) -> SafeString:
    """Coordinates as SVG attributes; numbers only, so safe to put in unescaped."""
    return SafeString(f'{names[0]}="{x:.1f}" {names[1]}="{y:.1f}"')


def _box(x: float, y: float, w: float, h: float) -> SafeString:
    return SafeString(f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"')


def _path(points: list[tuple[float, float]], radius: float = 8.0) -> str:
    """An SVG path through ``points`` with rounded corners."""
    if len(points) < 3:
        return "M{:.1f},{:.1f} ".format(*points[0]) + " ".join(
            "L{:.1f},{:.1f}".format(*p) for p in points[1:]
        )
    parts = ["M{:.1f},{:.1f}".format(*points[0])]
    for prev, here, nxt in zip(points, points[1:], points[2:], strict=False):
        r = min(radius, _dist(prev, here) / 2, _dist(here, nxt) / 2)
        a = _towards(here, prev, r)
        b = _towards(here, nxt, r)
        parts.append("L{:.1f},{:.1f} Q{:.1f},{:.1f} {:.1f},{:.1f}".format(*a, *here, *b))
    parts.append("L{:.1f},{:.1f}".format(*points[-1]))
    return " ".join(parts)


def _dist(a, b) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def _towards(here, there, r):
    d = _dist(here, there) or 1
    return (here[0] + (there[0] - here[0]) * r / d, here[1] + (there[1] - here[1]) * r / d)


def _describe(nodes: list[ChainNode], edges: list[ChainEdge], lonely: list[ChainNode]) -> str:
    teams = sum(n.kind == NodeKind.TEAM for n in nodes)
    suppliers = sum(n.kind == NodeKind.SUPPLIER for n in nodes)
    missing = sum(n.kind == NodeKind.MISSING for n in nodes)
    summary = _("The customer at the start, then {teams} and {suppliers}, joined by {interfaces}.")
    parts = [
        summary.format(
            teams=ngettext("{n} team", "{n} teams", teams).format(n=teams),
            suppliers=ngettext("{n} supplier", "{n} suppliers", suppliers).format(n=suppliers),
            interfaces=ngettext("{n} interface", "{n} interfaces", len(edges)).format(n=len(edges)),
        )
    ]
    if missing:
        parts.append(
            ngettext(
                "{n} interface end names no link.", "{n} interface ends name no link.", missing
            ).format(n=missing)
        )
    if lonely:
        parts.append(
            _("Without an interface: {names}.").format(names=", ".join(n.name for n in lonely))
        )
    return " ".join(parts)


def render_svg(diagram: ChainDiagram, *, standalone: bool = False) -> str:
    """The diagram as SVG markup: inline in a page, or a standalone file (with the
    XML declaration) for download and for the PNG export."""
    return render_to_string(
        "services/chain_diagram.svg",
        {"diagram": diagram, "standalone": standalone, "uid": diagram.service.pk},
    )
