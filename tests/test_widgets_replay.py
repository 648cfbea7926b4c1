import numpy as np
import pytest
import torch

from ganlab.data import toy
from ganlab.metrics.mixtures import coverage_metrics
from ganlab.nets import toy_discriminator, toy_generator
from ganlab.train import History, toy_snapshot, train_gan
from ganlab.widgets.replay import build_replay, replay, show_snapshot

RING = toy("8gaussians")


@pytest.fixture(scope="module")
def history():
    torch.manual_seed(0)
    G, D = toy_generator(width=16, depth=2), toy_discriminator(width=16, depth=2)
    opt_g, opt_d = torch.optim.Adam(G.parameters(), 1e-3), torch.optim.Adam(D.parameters(), 1e-3)
    z = torch.randn(200, 2)
    return train_gan(G, D, opt_g, opt_d, lambda: RING.sample(64), lambda: torch.randn(64, 2), 40,
                     snapshot_at=range(0, 41, 10), snapshot_fn=lambda: toy_snapshot(G, D, z, res=20, arrows=16),
                     eval_every=10, eval_fn=lambda: coverage_metrics(G, z, RING), progress=False)


def test_frames_update_artists_without_a_new_figure(history):
    view = build_replay(history, RING)
    fig, first_png = view.canvas.fig, view.canvas.image.value
    show_snapshot(view, 3)
    snap = history.snapshots[3]
    assert view.canvas.fig is fig and view.index == 3
    assert view.canvas.image.value != first_png
    assert np.allclose(view.artists["samples"].get_offsets(), snap["samples"].numpy())
    assert np.allclose(view.artists["heat"].get_array(), torch.sigmoid(snap["logits"]).numpy())
    assert np.allclose(view.artists["arrows"].get_offsets(), snap["arrows"][0].numpy())
    assert view.artists["title"].get_text() == "step 30"
    # metric curves are drawn up to the snapshot's step only
    steps, _, line, _ = view.metric_lines["modes_covered"]
    assert list(line.get_xdata()) == [0, 10, 20, 30]


def test_slider_drives_the_frame_and_play_is_linked(history):
    view = build_replay(history, RING, metrics=("high_quality", "loss_d"))
    assert view.play.max == view.slider.max == len(history.snapshots) - 1
    view.slider.value = 4
    assert view.index == 4 and view.artists["title"].get_text() == "step 40"


def test_critic_scores_and_widget(history):
    view = build_replay(history, None, metrics=(), as_probability=False)
    show_snapshot(view, 2)
    lo, hi = view.artists["heat"].get_clim()
    logits = history.snapshots[2]["logits"]
    assert (lo, hi) == pytest.approx((float(logits.min()), float(logits.max())))
    box = replay(history, RING)
    assert box.children[1].value  # the PNG


def test_bad_arguments_are_named(history):
    view = build_replay(history, RING)
    with pytest.raises(ValueError, match="0..4"):
        show_snapshot(view, 5)
    with pytest.raises(ValueError, match="'modes'.*recorded: .*modes_covered"):
        build_replay(history, RING, metrics=("modes",))
    with pytest.raises(ValueError, match="no snapshots"):
        build_replay(History(), RING)
