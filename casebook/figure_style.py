"""The house style of every figure: palettes, fonts, spacing and the helpers figure modules use.

A figure module in ``diagrams/`` defines ``draw(style)`` and returns either the diagram it built with
``style.diagram()`` (the ``diagrams`` package, for infrastructure) or a ``graphviz.Digraph`` from
``style.digraph()`` (model architectures, funnels, flows). ``style`` is a :class:`HouseStyle` for one
palette; the build calls ``draw`` once per palette (light and dark), so a module never names a colour:
it names a *role* (offline, online, storage, model, ...) and the palette decides.
"""

from __future__ import annotations

import contextlib
import html
import textwrap
from dataclasses import dataclass, field
from typing import ClassVar

import graphviz

import diagrams

# The font graphviz measures text with, then the fallbacks a reader's browser uses. DejaVu Sans and
# Verdana share metrics closely enough that labels still fit their boxes.
FONT = "DejaVu Sans"
FONT_STACK = "DejaVu Sans,Verdana,sans-serif"
FONT_SIZE = 14  # points; at A4 text width a figure up to ~750 pt wide keeps labels >= 9 pt
EDGE_FONT_SIZE = 12
CLUSTER_FONT_SIZE = 14
ICON_SIZE = 52  # points: the square an icon is drawn in, above its label
# Room around text that lines must not enter (points). Graphviz ends an arrow on a node's outline and
# sets an edge label's box against its edge, so without padding both touch the text.
ICON_LABEL_PADDING = 4  # around the label under an icon: the icon node's outline is its text
EDGE_LABEL_PADDING = 4  # around an edge label: its own edge and its neighbours keep clear

#: Where a cluster's title goes, as seen on the page: Graphviz's (labelloc, labeljust).
TITLE_PLACES = {
    "top-left": ("t", "l"), "top": ("t", "c"), "top-right": ("t", "r"),
    "bottom-left": ("b", "l"), "bottom": ("b", "c"), "bottom-right": ("b", "r"),
}
#: Titles set beside a one-row cluster, at the end of its row, rather than on its border: for a
#: cluster that arrows enter from above and leave below, where no place on the border stays clear.
SIDE_TITLES = ("left", "right")
SIDE_TITLE_WIDTH = 18  # characters per line of a side title (explicit line breaks are kept)

#: Roles a node or a cluster can play. The same role has the same look in every chapter.
ROLES = ("offline", "online", "storage", "model", "data", "neutral", "highlight")


@dataclass(frozen=True)
class Palette:
    """Colours for one reading mode. ``fill``/``border`` are per role."""

    name: str
    text: str
    muted: str
    edge: str
    fill: dict[str, str] = field(default_factory=dict)
    border: dict[str, str] = field(default_factory=dict)


LIGHT = Palette(
    name="light",
    text="#1f2933",
    muted="#52606d",
    edge="#52606d",
    fill={
        "offline": "#e6f0fa",
        "online": "#fdf1dc",
        "storage": "#e3f4e8",
        "model": "#efe7fb",
        "data": "#f4f5f7",
        "neutral": "#ffffff",
        "highlight": "#fde2e1",
    },
    border={
        "offline": "#4a78a8",
        "online": "#b7791f",
        "storage": "#2f855a",
        "model": "#6b46c1",
        "data": "#7b8794",
        "neutral": "#7b8794",
        "highlight": "#c53030",
    },
)

DARK = Palette(
    name="dark",
    text="#e4e7eb",
    muted="#b8c2cc",
    edge="#a3afbd",
    fill={
        "offline": "#1b2d42",
        "online": "#3b2c12",
        "storage": "#16311f",
        "model": "#2a2140",
        "data": "#262b33",
        "neutral": "#1f242b",
        "highlight": "#45201f",
    },
    border={
        "offline": "#7fa7d3",
        "online": "#e0a74a",
        "storage": "#68c08b",
        "model": "#a58be0",
        "data": "#9aa5b1",
        "neutral": "#9aa5b1",
        "highlight": "#f08a84",
    },
)

PALETTES = (LIGHT, DARK)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


class HouseStyle:
    """Everything a figure module needs to draw in the house style for one palette."""

    def __init__(self, palette: Palette):
        self.palette = palette

    # -- shared attribute sets ---------------------------------------------------------------
    def graph_attrs(self, direction: str = "LR") -> dict[str, str]:
        return {
            "rankdir": direction,
            "bgcolor": "transparent",
            "pad": "0.15",
            "nodesep": "0.35",
            "ranksep": "0.45",
            "fontname": FONT,
            "fontsize": str(CLUSTER_FONT_SIZE),
            "fontcolor": self.palette.text,
            "labeljust": "l",
            "newrank": "true",
        }

    def node_attrs(self, role: str = "neutral") -> dict[str, str]:
        """A plain labelled box (no icon) for the given role."""
        _check_role(role)
        return {
            "shape": "box",
            "style": "rounded,filled",
            "fixedsize": "false",
            "width": "0",
            "height": "0",
            "margin": "0.14,0.08",
            "labelloc": "c",
            "fillcolor": self.palette.fill[role],
            "color": self.palette.border[role],
            "penwidth": "1.4",
            "fontname": FONT,
            "fontsize": str(FONT_SIZE),
            "fontcolor": self.palette.text,
        }

    def edge_attrs(self, label: str = "", *, muted: bool = False) -> dict[str, str]:
        attrs = {
            "color": self.palette.muted if muted else self.palette.edge,
            "fontname": FONT,
            "fontsize": str(EDGE_FONT_SIZE),
            "fontcolor": self.palette.muted,
            "penwidth": "1.2",
            "arrowsize": "0.7",
        }
        if muted:
            attrs["style"] = "dashed"
        if label:
            attrs["label"] = edge_label(label)
        return attrs

    def cluster_attrs(self, label: str, role: str, title: str = "top-left") -> dict[str, str]:
        _check_role(role)
        if title not in TITLE_PLACES:
            raise ValueError(f"unknown title place {title!r}; use one of {', '.join(TITLE_PLACES)}")
        labelloc, labeljust = TITLE_PLACES[title]
        return {
            "label": label,
            "style": "rounded,filled",
            "fillcolor": self.palette.fill[role],
            "bgcolor": self.palette.fill[role],
            "color": self.palette.border[role],
            "pencolor": self.palette.border[role],
            "penwidth": "1.4",
            "fontname": FONT,
            "fontsize": str(CLUSTER_FONT_SIZE),
            "fontcolor": self.palette.text,
            "labeljust": labeljust,
            "labelloc": labelloc,
            "margin": "12",
        }

    def side_title_attrs(self, label: str) -> dict[str, str]:
        """A cluster's title as a text-only node at one end of the cluster's row (``SIDE_TITLES``)."""
        lines = label.split("\n") if "\n" in label else textwrap.wrap(label, SIDE_TITLE_WIDTH)
        return {
            "label": "".join(line + "\\l" for line in lines),  # lines flush left, like a cluster's title
            "shape": "plaintext",
            "style": "solid",
            "margin": "0.05",
            "width": "0",
            "height": "0",
            "fixedsize": "false",
            "fontname": FONT,
            "fontsize": str(CLUSTER_FONT_SIZE),
            "fontcolor": self.palette.text,
        }

    # -- graphviz (model architectures, funnels, flows) -------------------------------------
    def digraph(self, name: str, direction: str = "TB") -> graphviz.Digraph:
        """An empty graphviz digraph carrying the house style."""
        graph = graphviz.Digraph(name, graph_attr=self.graph_attrs(direction))
        graph.attr("node", **self.node_attrs("neutral"))
        graph.attr("edge", **self.edge_attrs())
        return graph

    def cluster(self, graph: graphviz.Digraph, name: str, label: str, role: str, *, title: str = "top-left"):
        """A subgraph context for ``graph`` that draws as a labelled, filled cluster.

        ``title`` places the label where no arrow crosses it (tests/test_figures.py checks): on a side
        of the cluster that no arrow enters or leaves by (``"top-left"``, ``"bottom-left"``, ``"top"``,
        ... as seen on the page), or, for a one-row cluster that arrows enter from one side and leave
        by the other, ``"left"`` or ``"right"`` of its row (in a top-to-bottom or bottom-to-top graph).
        """
        sub = graph.subgraph(name=f"cluster_{name}")
        if title in SIDE_TITLES:
            header = (f"cluster_{name}_title", self.side_title_attrs(label), title)
            return _ClusterContext(sub, self.cluster_attrs("", role), header)
        attrs = self.cluster_attrs(label, role, title)
        if graph.graph_attr.get("rankdir") == "BT":  # Graphviz flips top and bottom in bottom-to-top graphs
            attrs["labelloc"] = {"t": "b", "b": "t"}[attrs["labelloc"]]
        return _ClusterContext(sub, attrs)

    # -- diagrams package (infrastructure) --------------------------------------------------
    def diagram(self, direction: str = "LR") -> CasebookDiagram:
        """A ``diagrams`` diagram that renders nothing by itself: the build renders it."""
        return CasebookDiagram(self, direction)

    def architecture(self, *, online: str, storage: str, offline: str) -> Architecture:
        """The book's end-to-end architecture figure: three bands, top to bottom.

        ``online`` (the request path), ``storage`` (what both halves share) and ``offline`` (training,
        indexing, batch jobs) are the bands' titles. Create each band's nodes inside ``with
        figure.online:`` (``storage``, ``offline``); connect them with ``figure.chain(a, b, ...)`` within a
        band and ``figure.across(a, b, "label")`` between bands. The bands stack and keep their
        left-to-right order by themselves, and their titles stay clear of the arrows between bands:
        the online band's on top, the offline band's at the bottom, and the storage band's, which
        arrows enter from both sides, at the right end of its row.
        """
        return Architecture(self, online=online, storage=storage, offline=offline)

    def group(self, label: str, role: str, *, row: bool = False, title: str = "top-left") -> diagrams.Cluster:
        """A ``diagrams`` cluster for a role: ``with style.group("Online", "online"): ...``.

        ``row=True`` puts every node of the group on one rank, so a top-to-bottom figure can stack
        groups as horizontal bands (online above, storage, offline below). ``title`` is one of
        ``TITLE_PLACES``: put it on a side of the group that no arrow crosses.
        """
        attrs = self.cluster_attrs(label, role, title)
        if row:
            attrs["rank"] = "same"
        return diagrams.Cluster(label, graph_attr=attrs)

    def box(self, label: str, role: str = "neutral") -> diagrams.Node:
        """A ``diagrams`` node drawn as a plain labelled box (for components with no good icon)."""
        return diagrams.Node(label, **self.node_attrs(role))

    def edge(self, label: str = "", *, muted: bool = False, **attrs: str) -> diagrams.Edge:
        """A ``diagrams`` edge in the house style; ``muted`` draws a dashed, secondary flow.

        Extra Graphviz attributes pass through (``constraint="false"``, ``style="invis"``).
        """
        return diagrams.Edge(**self.edge_attrs(label, muted=muted) | attrs)


class _ClusterContext:
    """``with style.cluster(...) as sub:``; a side title is added, as a node at the row's end, on exit."""

    def __init__(self, sub, attrs, header=None):
        self._sub = sub
        self._attrs = attrs
        self._header = header  # (node id, node attributes, "left" or "right"), or None
        self._nodes: list[str] = []

    def __enter__(self):
        graph = self._graph = self._sub.__enter__()
        graph.attr("graph", **self._attrs)
        if self._header:
            add_node = graph.node

            def node(name, *args, **kwargs):  # the row a side title goes beside
                self._nodes.append(name)
                return add_node(name, *args, **kwargs)

            graph.node = node
        return graph

    def __exit__(self, exc_type, exc_value, traceback):
        if self._header and exc_type is None:
            title, attrs, side = self._header
            if not self._nodes:
                raise ValueError(f"{title}: a side title goes beside the cluster's nodes, and it has none")
            graph = self._graph
            with graph.subgraph() as row:  # the title on the row's rank, before or after every node
                row.attr(rank="same")
                row.node(title, **attrs)
                for name in self._nodes:
                    row.node(name)
                    row.edge(*((title, name) if side == "left" else (name, title)), style="invis")
        return self._sub.__exit__(exc_type, exc_value, traceback)


class CasebookDiagram(diagrams.Diagram):
    """A ``diagrams.Diagram`` in the house style that never writes or opens a file."""

    def __init__(self, style: HouseStyle, direction: str):
        palette = style.palette
        super().__init__(
            name="",
            filename="casebook-figure",
            direction=direction,
            curvestyle="curved",
            outformat="svg",
            show=False,
            graph_attr=style.graph_attrs(direction) | {"splines": "spline"},
            node_attr={
                "fontname": FONT,
                "fontsize": str(FONT_SIZE),
                "fontcolor": palette.text,
                "width": "1.0",
                "height": "1.0",
                "imagescale": "true",

            },
            edge_attr=style.edge_attrs(),
        )
        self.style = style

    def connect(self, node, node2, edge) -> None:
        # Upstream edges carry their own hard-coded font and colour; restyle them for the palette.
        attrs = dict(edge.attrs)
        if attrs.get("label"):
            attrs["label"] = edge_label(attrs["label"])
        base = self.style.edge_attrs(muted=attrs.get("style") == "dashed")
        for key in ("fontname", "fontsize", "fontcolor"):
            attrs[key] = base[key]
        attrs.setdefault("color", base["color"])
        self.dot.edge(node.nodeid, node2.nodeid, **attrs)

    def __enter__(self):
        # Upstream draws an icon node as a 1.4 in square image with the label overlapping its
        # bottom edge. The house style sets the icon above its label instead, in an HTML-like
        # label, so a node is as wide as its label and no text ever covers the icon.
        self._upstream_init = diagrams.Node.__init__
        upstream_init = diagrams.Node.__init__

        created = self.created = []

        def icon_above_label(node, label="", *, nodeid=None, **attrs):
            if node._icon:
                label = icon_label(node._load_icon(), label)
                attrs = {"shape": "plain", "fixedsize": "false", "image": None, "height": None, **attrs}
            upstream_init(node, label, nodeid=nodeid, **attrs)
            created.append(node)

        diagrams.Node.__init__ = icon_above_label
        return super().__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        diagrams.Node.__init__ = self._upstream_init
        diagrams.setdiagram(None)
        return False


class Architecture(CasebookDiagram):
    """Three bands (online above, storage in the middle, offline below); see ``HouseStyle.architecture``."""

    BANDS = ("online", "storage", "offline")

    # Where each band's title goes: on the outer sides of the outer bands, which no arrow crosses,
    # and beside the storage band's row, whose nodes arrows enter from above and below.
    TITLES: ClassVar[dict[str, str]] = {"online": "top-left", "storage": "right", "offline": "bottom-left"}

    def __init__(self, style: HouseStyle, **titles: str):
        super().__init__(style, "TB")
        self.titles = titles
        self.headers: dict[str, diagrams.Node] = {}  # band -> its side title
        self.members: dict[str, list] = {band: [] for band in self.BANDS}
        self._chains: list = []  # (nodes, label, muted), drawn on exit
        self._across: list = []  # (a, b, label, muted), drawn on exit

    @property
    def online(self):
        return self._band("online")

    @property
    def storage(self):
        return self._band("storage")

    @property
    def offline(self):
        return self._band("offline")

    @contextlib.contextmanager
    def _band(self, band: str):
        place = self.TITLES[band]
        side = place in SIDE_TITLES
        with self.style.group("" if side else self.titles[band], band, row=True,
                              title="top-left" if side else place):
            start = len(self.created)
            yield
            self.members[band].extend(self.created[start:])
            if side:
                attrs = self.style.side_title_attrs(self.titles[band])
                self.headers[band] = diagrams.Node(attrs.pop("label"), **attrs)
                self.created.pop()

    def chain(self, *nodes, label: str = "", muted: bool = False) -> None:
        """Arrows along a band, in order: ``figure.chain(users, service, ranking)``."""
        self._chains.append((nodes, label, muted))

    def across(self, a, b, label: str = "", *, muted: bool = False) -> None:
        """An arrow between bands that does not move either node."""
        self._across.append((a, b, label, muted))

    def __exit__(self, exc_type, exc_value, traceback):
        # Edges go to Graphviz in a fixed order, which its layout depends on: the bands' own arrows,
        # then invisible edges that keep each band's order and stack the bands, then the arrows
        # between bands, which do not move nodes.
        if exc_type is None:
            empty = [band for band, nodes in self.members.items() if not nodes]
            if empty:
                raise ValueError(f"architecture figure: no nodes in band(s) {', '.join(empty)}")
            chained = set()
            for nodes, label, muted in self._chains:
                for a, b in zip(nodes, nodes[1:]):
                    a >> self.style.edge(label, muted=muted) >> b
                    chained.add((a.nodeid, b.nodeid))
            hidden = {"style": "invis"}
            for nodes in self.members.values():
                for a, b in zip(nodes, nodes[1:]):
                    if (a.nodeid, b.nodeid) not in chained:
                        a >> self.style.edge(**hidden) >> b
            for band, header in self.headers.items():  # a side title at its row's end
                row = self.members[band]
                if self.TITLES[band] == "left":
                    header >> self.style.edge(**hidden) >> row[0]
                else:
                    row[-1] >> self.style.edge(**hidden) >> header
            firsts = [self.members[band][0] for band in self.BANDS]
            for a, b in zip(firsts, firsts[1:]):
                a >> self.style.edge(**hidden) >> b
            for a, b, label, muted in self._across:
                a >> self.style.edge(label, muted=muted, constraint="false") >> b
        return super().__exit__(exc_type, exc_value, traceback)


def icon_label(icon_path: str, text: str) -> str:
    """An HTML-like Graphviz label: the icon, then the text below it."""
    lines = "<BR/>".join(html.escape(line) for line in text.split("\n"))
    size = ICON_SIZE
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}">'
        f'<IMG SRC="{html.escape(icon_path)}" SCALE="TRUE"/></TD></TR>'
        f'<TR><TD CELLPADDING="{ICON_LABEL_PADDING}">{lines}</TD></TR></TABLE>>'
    )


def edge_label(text: str) -> str:
    """An edge label as an HTML-like label padded by ``EDGE_LABEL_PADDING`` (HTML labels pass through)."""
    if text.startswith("<") and text.endswith(">"):
        return text
    lines = "<BR/>".join(html.escape(line) for line in text.split("\n"))
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{EDGE_LABEL_PADDING}">'
        f"<TR><TD>{lines}</TD></TR></TABLE>>"
    )
