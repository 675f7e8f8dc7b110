"""Plumbing of the topic-notebook widgets: a colour-blind-safe palette and figure helpers."""

from __future__ import annotations

#: Okabe & Ito (2008, "Color Universal Design") palette, safe for the common colour-vision
#: deficiencies: name → RGB in 0–1.
OKABE_ITO = {
    "black": (0.0, 0.0, 0.0),
    "orange": (0.902, 0.624, 0.0),
    "sky": (0.337, 0.706, 0.914),
    "green": (0.0, 0.620, 0.451),
    "yellow": (0.941, 0.894, 0.259),
    "blue": (0.0, 0.447, 0.698),
    "vermillion": (0.835, 0.369, 0.0),
    "purple": (0.800, 0.475, 0.655),
    "grey": (0.6, 0.6, 0.6),
}
C = OKABE_ITO


def new_figure(
    width_px: int = 720,
    height_px: int = 360,
    ncols: int = 1,
    nrows: int = 1,
    dpi: float = 100.0,
    **kwargs,
):
    """A matplotlib Figure (no pyplot state) and its axes array."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


def png(fig) -> bytes:
    """PNG bytes of a figure."""
    from ..plots import figure_png

    return figure_png(fig)


def image(width_px: int = 720):
    """An empty PNG image widget."""
    import ipywidgets as w

    return w.Image(value=b"", format="png", layout=w.Layout(width=f"{width_px}px", height="auto"))


def slider(value, lo, hi, step, label, on_change, label_px: int = 120, width_px=None):
    """A FloatSlider that calls ``on_change()`` when released (``continuous_update`` off)."""
    import ipywidgets as w

    s = w.FloatSlider(
        value,
        min=lo,
        max=hi,
        step=step,
        description=label,
        continuous_update=False,
        style={"description_width": f"{label_px}px"},
        layout=w.Layout(width=f"{width_px}px") if width_px else w.Layout(),
    )
    s.observe(lambda _c: on_change(), "value")
    return s


class Shown:
    """Displays ``self.widget`` when the object is the last expression of a cell."""

    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
