"""What every widget uses: a figure built once and redrawn into an image, and a latency probe.

An analytic widget builds its matplotlib figure once, and on each slider move only updates its
artists (`line.set_ydata`, `image.set_data`, ...) and calls `redraw()`: about 25 ms here, against
~55 ms median and ~170 ms p95 when a new figure is built each time. The picture is an
`ipywidgets.Image` holding the PNG, so the same widget works in JupyterLab, classic Notebook and
Colab (ipywidgets 7.7 and 8), and its value can be read in a test.
"""
from __future__ import annotations

import io
import time

import ipywidgets as w
import matplotlib

matplotlib.use(matplotlib.get_backend())  # keep the notebook's backend; Agg in scripts and tests
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


class FigureImage:
    """A matplotlib figure shown as an `ipywidgets.Image` that `redraw()` refreshes."""

    def __init__(self, fig, dpi: int = 90):
        self.fig, self.dpi = fig, dpi
        plt.close(fig)  # shown through the Image widget only, not also as a static output
        if fig.get_layout_engine() is not None:
            # Lay out once, then freeze: a layout engine left in place (tight_layout) makes
            # every redraw draw the figure twice.
            fig.canvas.draw()
            fig.set_layout_engine("none")
        # Shown at its own pixel width (a VBox would stretch it to the page), shrunk on small screens.
        width = round(fig.get_figwidth() * dpi)
        self.image = w.Image(format="png", layout=w.Layout(width=f"{width}px", max_width="100%"))
        self.redraw()

    def redraw(self) -> None:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.dpi)
        self.image.value = buf.getvalue()


def float_slider(description: str, value: float, lo: float, hi: float, step: float, fmt: str = ".2f",
                 **kw) -> w.FloatSlider:
    """A slider laid out for a projector: long track, readable label (APIs common to ipywidgets 7.7 and 8)."""
    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description, readout_format=fmt,
                         continuous_update=True, style={"description_width": "initial"},
                         layout=w.Layout(width="420px"), **kw)


def sliders_in(widget) -> list:
    """Every slider (Float/Int) inside a widget tree, depth first."""
    found = [widget] if isinstance(widget, (w.FloatSlider, w.IntSlider)) else []
    for child in getattr(widget, "children", ()):
        found += sliders_in(child)
    return found


def measure_latency(widget, moves: int = 20) -> dict:
    """Move every slider of `widget` through its range and time each update (the observers run
    synchronously in the kernel, so this is the kernel-side latency: compute + draw + PNG).
    Returns {'median_ms', 'p95_ms', 'moves', 'cpu_ms'}: `cpu_ms` is this process's CPU time per move
    (time.process_time), what an idle machine would show when a busy one inflates the wall times."""
    times, sliders = [], sliders_in(widget)
    cpu0 = time.process_time()
    start = [s.value for s in sliders]
    for slider in sliders:
        for value in np.linspace(slider.min, slider.max, moves):
            value = type(slider.value)(value)
            if value == slider.value:
                continue
            t0 = time.perf_counter()
            slider.value = value
            times.append((time.perf_counter() - t0) * 1e3)
    for slider, value in zip(sliders, start):  # leave the widget as it was shown
        slider.value = value
    if not times:
        raise ValueError("this widget has no slider to move")
    cpu_ms = (time.process_time() - cpu0) * 1e3 / len(times)
    return {"median_ms": float(np.median(times)), "p95_ms": float(np.percentile(times, 95)), "moves": len(times),
            "cpu_ms": cpu_ms}


class BlitFigureImage(FigureImage):
    """A `FigureImage` that redraws only the artists that move (matplotlib blitting).

    The static part (axes, ticks, histograms, heatmaps, legends) is rendered once and kept as a
    pixel buffer; each `redraw()` pastes that buffer back, draws the `animated` artists (lines,
    markers, titles the callback changes) on top and encodes the frame. On a two-panel figure this
    is several times faster than a full `savefig`. `fmt` is 'jpeg' (quality 90, the default: ~3x
    faster to encode than PNG at this size, which is most of what is left) or 'png' (lossless).
    Call `refresh()` after changing anything static (axis limits, a new heatmap) to render the
    background again.
    """

    def __init__(self, fig, animated, dpi: int = 90, fmt: str = "jpeg"):
        if fmt not in ("jpeg", "png"):
            raise ValueError(f"unknown image format {fmt!r}; choose one of 'jpeg', 'png'")
        self.fmt = fmt
        self.animated = list(animated)
        for artist in self.animated:
            artist.set_animated(True)  # left out of the full draw, drawn on top in redraw()
        fig.set_dpi(dpi)
        self._background = None
        super().__init__(fig, dpi)

    def refresh(self) -> None:
        """Render the static background again, then redraw."""
        self._background = None
        self.redraw()

    def redraw(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        canvas = self.fig.canvas
        if not isinstance(canvas, FigureCanvasAgg):  # plt.close() left a bare canvas: draw with Agg
            canvas, self._background = FigureCanvasAgg(self.fig), None
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
        rgb.save(buf, format=self.fmt, **({"quality": 90} if self.fmt == "jpeg" else {"compress_level": 1}))
        self.image.format, self.image.value = self.fmt, buf.getvalue()
