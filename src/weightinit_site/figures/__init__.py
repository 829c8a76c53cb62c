"""The site's figures: one function per figure, in modules that follow the site's parts.

- `basics`: fans and gains;
- `schemes`: the scheme pages, at initialization;
- `pitfalls`: the pitfall pages, at initialization;
- `experiments`: figures of training runs, whichever page shows them;
- `practice`: the Practice pages and the pitfalls they add;
- `architectures`: the Architectures pages.

`FIGURES` maps each figure's name (the SVG file name) to its function, alt text and
caption; the build hook reads it and renders ``figures/<name>.svg``, and pages place a
figure with ``[[figure: name]]``. Figure functions only lay out and style: every number
they plot comes from a tested function of the library, mostly `weightinit.experiments`.
"""

from __future__ import annotations

from . import architectures, basics, experiments, pitfalls, practice, schemes
from ._style import FIGURES, FigureSpec

__all__ = ["FIGURES", "FigureSpec", "architectures", "basics", "experiments", "pitfalls", "practice", "schemes"]
