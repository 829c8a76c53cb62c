"""The site's figures: one function per figure, in modules that follow the site's parts.

- `basics`: fans and gains;
- `schemes`: the scheme pages, at initialization;
- `pitfalls`: the pitfall pages, at initialization;
- `experiments`: figures of training runs, whichever page shows them.

`FIGURES` maps each figure's name (the SVG file name) to its function, alt text and
caption; the build hook reads it and renders ``figures/<name>.svg``, and pages place a
figure with ``[[figure: name]]``. Figure functions only lay out and style: every number
they plot comes from a tested function of the library, mostly `weightinit.experiments`.
"""

from __future__ import annotations

from . import basics, experiments, pitfalls, schemes
from ._style import FIGURES, FigureSpec

__all__ = ["FIGURES", "FigureSpec", "basics", "experiments", "pitfalls", "schemes"]
