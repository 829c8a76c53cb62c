"""The figure registry and what figure modules may contain: layout and style, no simulation."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

import weightinit_site.figures as figures
from weightinit_site.figures import FIGURES
from weightinit_site.figures._style import MAX_WIDTH, register

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "weightinit_site" / "figures"
MODULES = ("basics", "schemes", "pitfalls", "experiments", "practice", "architectures")
# Calls that draw or compute random numbers, or run a network: not a figure's job.
SIMULATION_CALLS = {"default_rng", "standard_normal", "normal", "uniform", "integers", "random", "permutation",
                    "einsum", "forward", "backward", "train", "svd", "qr"}


def _tree(name):
    return ast.parse((PACKAGE / f"{name}.py").read_text())


def test_registry_names_every_figure_once_with_alt_text_and_caption():
    import importlib

    declared = {n for m in MODULES for n in importlib.import_module(f"weightinit_site.figures.{m}").__all__}
    assert set(FIGURES) == declared
    for name, spec in FIGURES.items():
        assert spec.name == name == spec.function.__name__
        assert spec.module.rsplit(".", 1)[1] in MODULES
        assert spec.alt and spec.alt == spec.alt.strip() and "\n" not in spec.alt, name
        assert spec.caption == " ".join(inspect.getdoc(spec.function).split()), name


def test_every_module_lists_exactly_its_registered_figures():
    for name in MODULES:
        module = getattr(figures, name)
        registered = sorted(s.name for s in FIGURES.values() if s.module == module.__name__)
        assert sorted(module.__all__) == registered, name


def test_register_rejects_a_missing_alt_text_or_docstring():
    with pytest.raises(ValueError, match="alt"):
        register(alt=" ")
    with pytest.raises(ValueError, match="docstring"):
        register(alt="A figure.")(lambda: Figure())


@pytest.mark.parametrize("name", MODULES)
def test_figure_modules_only_draw(name):
    """No matrix products, random draws, training loops or private names from the library."""
    tree = _tree(name)
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)), f"{name}: @ at {node.lineno}"
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in SIMULATION_CALLS, f"{name}: {called}() at line {node.lineno}"
        if isinstance(node, ast.ImportFrom):
            assert node.module != "tables" and not (node.module or "").endswith(".tables"), f"{name} imports tables"
            for alias in node.names:
                assert not alias.name.startswith("_"), f"{name} imports the private name {alias.name}"
            if node.level == 0:
                assert not (node.module or "").startswith("numpy.random"), name
        if isinstance(node, ast.Import):
            assert all(a.name != "weightinit_site.tables" for a in node.names), name


def test_library_does_not_import_figures():
    """Dependencies point one way: library -> experiments -> figures."""
    for path in (ROOT / "src" / "weightinit").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert "figures" not in (node.module or "").split("."), path.name
                assert not any(a.name == "figures" for a in node.names), path.name


# ------------------------------------------------------------------ how figures read
# Every registered figure, drawn once (Agg) as the renderer draws it, and checked as a
# reader sees it in the column: legends off the data, text large enough, nothing cut off.

COLUMN_PX = 672
"""Width a figure is shown at, at most, on a 1280 px desktop page, in CSS pixels: chromium
measures the article at 688 px there; `MAX_WIDTH` inches at 96 px per inch are 672 px."""
MIN_TEXT_PX = 10


def _draw(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


@pytest.fixture(scope="module")
def drawn():
    """name -> (figure, renderer, svg bytes), every registered figure drawn once."""
    from weightinit_site.figures.render import draw_figure, save_svg

    out = {}
    for name in sorted(FIGURES):
        fig = draw_figure(name)
        svg = save_svg(fig, name)
        out[name] = (fig, _draw(fig), svg)
    return out


def _segments_cross(points, box) -> bool:
    """Whether the polyline through `points` (n x 2, display px) enters `box` (x0, y0, x1, y1).

    Liang-Barsky clipping of every segment; NaN vertices break the line as they do in a plot."""
    points = np.asarray(points, float)
    if len(points) == 0:
        return False
    if len(points) == 1:
        points = np.vstack([points, points])
    p0, p1 = points[:-1], points[1:]
    keep = np.isfinite(p0).all(axis=1) & np.isfinite(p1).all(axis=1)
    p0, p1 = p0[keep], p1[keep]
    d = p1 - p0
    lo, hi = np.zeros(len(p0)), np.ones(len(p0))
    x0, y0, x1, y1 = box
    for p, q in ((-d[:, 0], p0[:, 0] - x0), (d[:, 0], x1 - p0[:, 0]),
                 (-d[:, 1], p0[:, 1] - y0), (d[:, 1], y1 - p0[:, 1])):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / p
        parallel_outside = (p == 0) & (q < 0)
        lo = np.where(p < 0, np.maximum(lo, t), lo)
        hi = np.where(p > 0, np.minimum(hi, t), hi)
        lo = np.where(parallel_outside, 2.0, lo)
    return bool(np.any(lo <= hi))


def _box_overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _intersect(a, b):
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def _inflate(box, r):
    return (box[0] - r, box[1] - r, box[2] + r, box[3] + r)


def _covered_artists(ax, box, renderer) -> list[str]:
    """The data artists of `ax` that draw inside `box` (display px), by label or type."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.patches import Rectangle

    dpi_scale = ax.figure.dpi / 72
    hits = []

    def name(artist):
        label = artist.get_label()
        return f"{type(artist).__name__} {label!r}" if label and not label.startswith("_") else type(artist).__name__

    for line in ax.lines:
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(line.get_path().vertices)
        r = line.get_markersize() * dpi_scale / 2 if line.get_marker() not in (None, "None", "", " ") else 0
        drawn_line = line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0
        if (drawn_line and _segments_cross(xy, box)) or (
                r and any(_box_overlaps(_inflate((x, y, x, y), r), box) for x, y in xy if np.isfinite([x, y]).all())):
            hits.append(name(line))
    for patch in ax.patches:
        if not patch.get_visible():
            continue
        if isinstance(patch, Rectangle):
            ext = patch.get_window_extent(renderer)
            if ext.width > 0 and ext.height > 0 and _box_overlaps(ext.extents, box):
                hits.append(name(patch))
            continue
        path = patch.get_transform().transform_path(patch.get_path())
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if _segments_cross(path.vertices, box) or (patch.get_fill() and path.contains_point(centre)):
            hits.append(name(patch))
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        if isinstance(coll, PathCollection) and len(coll.get_offsets()):
            xy = coll.get_offset_transform().transform(coll.get_offsets())
            sizes = coll.get_sizes()
            r = np.sqrt(sizes.max() if len(sizes) else 36) * dpi_scale / 2
            if any(_box_overlaps(_inflate((x, y, x, y), r), box) for x, y in xy):
                hits.append(name(coll))
            continue
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        filled = not isinstance(coll, LineCollection) and len(coll.get_facecolor()) > 0
        for path in coll.get_paths():
            path = coll.get_transform().transform_path(path)
            if _segments_cross(path.vertices, box) or (filled and path.contains_point(centre)):
                hits.append(name(coll))
                break
    for image in ax.images:
        if image.get_visible() and _box_overlaps(image.get_window_extent(renderer).extents, box):
            hits.append(name(image))
    return hits


def _legend_box(legend, renderer):
    """The legend's window extent; without a frame, its invisible border padding is left out."""
    box = legend.get_window_extent(renderer)
    if not legend.get_frame_on():
        pad = legend.borderpad * legend.prop.get_size_in_points() * legend.figure.dpi / 72
        return (box.x0 + pad, box.y0 + pad, box.x1 - pad, box.y1 - pad)
    return tuple(box.extents)


def legend_overlaps(fig, renderer) -> list[str]:
    """Every (legend, axes, artist) where a legend covers plotted data, as text."""
    legends = [(ax, ax.get_legend()) for ax in fig.axes if ax.get_legend() is not None]
    legends += [(None, legend) for legend in fig.legends]
    found = []
    for owner, legend in legends:
        if not legend.get_visible():
            continue
        box = _legend_box(legend, renderer)
        for k, ax in enumerate(fig.axes):
            if not ax.get_visible():
                continue
            inside = _intersect(box, tuple(ax.get_window_extent(renderer).extents))
            if inside is None:
                continue
            for artist in _covered_artists(ax, inside, renderer):
                where = "its axes" if ax is owner else f"axes {k}"
                found.append(f"legend of axes {fig.axes.index(owner) if owner else 'figure'} covers {artist} in {where}")
    return found


def _texts(fig):
    """The texts a reader sees: visible, not empty, and no label of a tick outside the view."""
    from matplotlib.text import Text

    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            scale = axis.get_transform()  # compare in the axis' scale: log axes span decades
            lo, hi = sorted(scale.transform(np.asarray(axis.get_view_interval())))
            slack = 1e-9 * (hi - lo)
            # Spare Tick objects beyond the locator's count keep stale labels and are not drawn.
            for ticks, locs in ((axis.get_major_ticks(), axis.get_majorticklocs()),
                                (axis.get_minor_ticks(), axis.get_minorticklocs())):
                for k, tick in enumerate(ticks):
                    if k >= len(locs) or not lo - slack <= scale.transform([tick.get_loc()])[0] <= hi + slack:
                        hidden.update((id(tick.label1), id(tick.label2)))
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def test_legend_check_fails_on_a_legend_over_a_line_and_passes_beside_it():
    """The overlap check can fail: a line through the legend's corner is found, one beside it is not."""
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="diagonal")
    ax.legend(loc="upper left")
    assert legend_overlaps(fig, _draw(fig)) == []
    ax.plot([0, 1], [1, 1], label="top edge")
    ax.legend(loc="upper left")
    assert legend_overlaps(fig, _draw(fig)) == ["legend of axes 0 covers Line2D 'top edge' in its axes"]
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.bar([0, 1, 2], [1, 3, 1], label="bars")
    ax.scatter([2], [2.9], label="point")
    ax.legend(loc="upper right", frameon=False)
    assert legend_overlaps(fig, _draw(fig)) == ["legend of axes 0 covers Rectangle in its axes",
                                                "legend of axes 0 covers PathCollection 'point' in its axes"]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_legends_never_cover_data(drawn, name):
    fig, renderer, _ = drawn[name]
    assert legend_overlaps(fig, renderer) == []


def test_text_size_check_uses_the_displayed_size():
    """A 7 in figure is shown at full size (8 pt = 10.7 px); a 10 in one is shrunk to 67%."""
    for width, size, ok in ((MAX_WIDTH, 8, True), (MAX_WIDTH, 7, False), (10.0, 8, False), (10.0, 12, True)):
        assert (_displayed_px(size, width) >= MIN_TEXT_PX) is ok, (width, size)


def _displayed_px(points: float, width_in: float) -> float:
    """A font size in points as CSS pixels on a desktop page showing a figure `width_in` wide."""
    natural = width_in * 96
    return points * 96 / 72 * min(1.0, COLUMN_PX / natural)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_smallest_text_is_at_least_10_px_as_displayed(drawn, name):
    fig, _, _ = drawn[name]
    width = fig.get_figwidth()
    small = sorted({(round(_displayed_px(t.get_fontsize(), width), 1), t.get_text()[:30]) for t in _texts(fig)
                    if _displayed_px(t.get_fontsize(), width) < MIN_TEXT_PX})
    assert not small, f"{name} ({width:g} in wide) has text below {MIN_TEXT_PX} px: {small[:5]}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_fits_the_column_and_nothing_is_cut_off(drawn, name):
    """The SVG is the figure's size, at most the column's width, and every text lies inside it."""
    import re

    fig, renderer, svg = drawn[name]
    width_pt = float(re.search(rb'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert width_pt == pytest.approx(fig.get_figwidth() * 72) and fig.get_figwidth() <= MAX_WIDTH
    page = _inflate(tuple(fig.bbox.extents), 1.0)
    outside = []
    for t in _texts(fig):
        box = t.get_window_extent(renderer).extents
        if not (page[0] <= box[0] and box[2] <= page[2] and page[1] <= box[1] and box[3] <= page[3]):
            outside.append(t.get_text()[:30])
    for legend in [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends):
        box = _legend_box(legend, renderer)
        if not (page[0] <= box[0] and box[2] <= page[2] and page[1] <= box[1] and box[3] <= page[3]):
            outside.append("legend")
    assert not outside, f"{name}: cut off at the figure's edge: {outside}"
