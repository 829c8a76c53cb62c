"""What the site computes from the library at build time; not part of the installed package.

- `tables`: the tables pages place with ``[[table: name]]``;
- `values`: the numbers quoted in prose, placed with ``[[value: name]]``;
- `explorer`: the explorer page's data;
- `figures`: one function per figure, rendered to ``figures/<name>.svg``.

These modules import `weightinit`; the library never imports them.
"""
