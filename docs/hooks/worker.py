"""A build worker: ``python docs/hooks/worker.py TASKS.json`` computes what the build lacks.

The build hook (``build.py``) starts one worker per core when figures, tables, values or
executed notebooks are missing from its cache. Each worker is a new Python process that
imports the library from ``src/`` as it is on disk (never a module a long-running
``mkdocs serve`` imported earlier). ``TASKS.json`` holds the folder the workers share and
the list of tasks, each ``{"id", "kind", "name", "path"}`` (and ``"options"`` for a
notebook):

- kind ``figure``: the registered figure `name`, rendered to SVG;
- kind ``notebook``: the notebook at path `name` executed and converted as mkdocs-jupyter
  does it (``options`` holds its settings), written as that plugin's cache entry;
- kind ``weightinit_site.tables`` or ``weightinit_site.values``: the Markdown text ``name()`` returns.

Every worker walks the same list and takes the next task nobody has claimed (claims are
files created with ``O_EXCL``), so the work spreads over the workers as it goes. A task's
result is written to its ``path``, then ``<id>.json`` (seconds, and the traceback if it
failed) to the shared folder; the hook waits for that file.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path


def _claim(folder: Path, task_id: str) -> bool:
    try:
        os.close(os.open(folder / f"{task_id}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def compute(kind: str, name: str, options: dict | None = None) -> bytes:
    """The bytes of one task's result."""
    if kind == "figure":
        from weightinit_site.figures.render import render_svg

        return render_svg(name)
    if kind == "notebook":
        return notebook(name, **(options or {}))
    return getattr(importlib.import_module(kind), name)().encode("utf-8")


def notebook(path: str, toc_depth: int, **convert_options) -> bytes:
    """mkdocs-jupyter's cache entry for the notebook at `path`: what its page renders
    when the entry is missing (executed HTML, table of contents, title), computed here."""
    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens

    body = convert.nb2html(path, **convert_options)
    toc_tokens, title = _get_nb_toc_tokens(path, toc_depth)
    return json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}).encode("utf-8")


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    sys.path.insert(0, spec["src"])
    folder = Path(spec["folder"])
    failed = False
    for task in spec["tasks"]:
        if not _claim(folder, task["id"]):
            continue
        start, error = time.perf_counter(), None
        try:
            write(Path(task["path"]), compute(task["kind"], task["name"], task.get("options")))
        except Exception:  # noqa: BLE001 - the build reports it with the task's name
            error = traceback.format_exc()
            failed = True
        answer = {"seconds": time.perf_counter() - start, "error": error}
        write(folder / f"{task['id']}.json", json.dumps(answer).encode())
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
