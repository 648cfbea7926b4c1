"""Presentation: the projector style `ganlab.plots.talk()` and the names of the figures for slides."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from ganlab import plots  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from figures import NAME, bad_names  # noqa: E402

STYLE_KEYS = [*plots.TALK_BASE, "figure.dpi", "figure.autolayout"]


@pytest.fixture(autouse=True)
def plain_style():
    """Each test starts and ends in matplotlib's plain style, whatever the test did."""
    saved = {k: plt.rcParams[k] for k in STYLE_KEYS}
    plots.talk(False)
    yield
    plots.talk(False)
    plt.rcParams.update(saved)


def rc() -> dict:
    return {k: plt.rcParams[k] for k in STYLE_KEYS}


def test_talk_enlarges_type_lines_and_figures():
    plain = rc()
    plots.talk()
    assert plt.rcParams["font.size"] == pytest.approx(1.4 * plain["font.size"])
    assert plt.rcParams["lines.linewidth"] == pytest.approx(1.4 * plain["lines.linewidth"])
    assert plt.rcParams["figure.dpi"] == 125.0 > plain["figure.dpi"]
    assert plt.rcParams["figure.autolayout"] and not plain["figure.autolayout"]
    fig, ax = plt.subplots()
    title = ax.set_title("mode collapse")
    assert title.get_fontsize() > 1.3 * plain["font.size"]  # 'large' of a 14 pt base
    plt.close(fig)


def test_talk_false_restores_after_any_number_of_calls():
    plain = rc()
    plots.talk()
    plots.talk(scale=2.0)
    assert plt.rcParams["font.size"] == pytest.approx(2.0 * plots.TALK_BASE["font.size"])
    plots.talk(False)
    assert rc() == plain
    plots.talk(False)  # off when already off: nothing changes
    assert rc() == plain


def test_talk_as_context_manager_restores_even_on_error():
    plain = rc()
    with pytest.raises(RuntimeError):
        with plots.talk(scale=1.8):
            assert plt.rcParams["font.size"] == pytest.approx(18.0)
            raise RuntimeError("a failing cell")
    assert rc() == plain
    plots.talk()
    on = rc()
    with plots.talk(False):  # a plain figure in the middle of a talk
        assert rc() == plain
    assert rc() == on


def test_talk_rejects_bad_scale():
    with pytest.raises(ValueError, match="scale=0"):
        plots.talk(scale=0)


def test_figure_name_pattern():
    assert NAME.match("05_mode_hopping.png") and NAME.match("10_cycle_ablation2.png")
    assert bad_names(["05_mode_hopping.png", "06_critic.png", "5_x.png", "05-modes.png", "05_Modes.png", "05_.png"],
                     "05") == ["06_critic.png", "5_x.png", "05-modes.png", "05_Modes.png", "05_.png"]


def test_stored_figures_follow_the_pattern_and_name_a_notebook():
    numbers = {p.name[:2] for p in (ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py")}
    for path in (ROOT / "figures").glob("*"):
        if path.name.startswith("."):
            continue
        m = NAME.match(path.name)
        assert m, f"figures/{path.name} does not follow NN_topic.png (e.g. 05_mode_hopping.png)"
        assert m.group(1) in numbers, f"figures/{path.name}: no notebook {m.group(1)} made it"


def test_notebook_sources_save_figures_under_their_own_number():
    saved = re.compile(r"""\bsave\(\s*[^,()]+,\s*f?["']([^"']+)["']""")
    for src in sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py")):
        names = [n if n.endswith(".png") else n + ".png" for n in saved.findall(src.read_text())]
        literal = [n for n in names if "{" not in n]  # f-strings are checked when tools/figures.py runs
        assert not bad_names(literal, src.name[:2]), f"{src.name}: figure names {bad_names(literal, src.name[:2])}"


def test_talk_lays_out_its_larger_labels_without_overlap():
    def gap(autolayout: bool) -> float:
        """Pixels between the left panel (tick labels included) and the right one (its y label included)."""
        with plots.talk():
            plt.rcParams["figure.autolayout"] = autolayout
            fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
            for ax in (left, right):
                ax.plot([0, 100], [-13_000, -9_000])
            right.set_ylabel("log-likelihood")
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            space = right.get_tightbbox(renderer).x0 - left.get_tightbbox(renderer).x1
            plt.close(fig)
        return space

    assert gap(autolayout=False) < 0  # 14 pt labels at matplotlib's default margins collide ...
    assert gap(autolayout=True) > 0   # ... and talk()'s tight layout separates them
