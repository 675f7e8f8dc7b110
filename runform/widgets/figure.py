"""Show a matplotlib figure in a notebook as a PNG (works with any backend, headless too)."""

from __future__ import annotations

from ._teach import png

__all__ = ["show"]


def show(fig):
    """An ``IPython.display.Image`` of ``fig``: leave it last in a cell to display it."""
    from IPython.display import Image

    return Image(data=png(fig), format="png")
