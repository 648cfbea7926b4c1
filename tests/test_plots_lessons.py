import matplotlib.pyplot as plt
import pytest
import torch

from ganlab import data, lessons, plots, train
from ganlab.nets import toy_discriminator, toy_generator


@pytest.fixture
def history():
    G, D = toy_generator(width=16, depth=1), toy_discriminator(width=16, depth=1)
    og, od = torch.optim.Adam(G.parameters()), torch.optim.Adam(D.parameters())
    ring, z = data.toy("8gaussians"), torch.randn(50, 2)
    return train.train_gan(G, D, og, od, lambda: ring.sample(32), lambda: torch.randn(32, 2), 20,
                           snapshot_at=[0, 10, 20], snapshot_fn=lambda: train.toy_snapshot(G, D, z, res=10, arrows=8),
                           progress=False)


def test_plots_return_figures(history):
    ring = data.toy("8gaussians")
    snap = history.snapshots[-1]
    figs = [plots.samples(snap["samples"], ring), plots.real_density(data.toy("swissroll")),
            plots.discriminator_heatmap(snap["logits"], snap["lim"], colorbar=True),
            plots.gradient_arrows(*snap["arrows"]), plots.toy_snapshot(snap, ring),
            plots.snapshot_row(history, ring, n=3), plots.losses(history, smooth=5),
            plots.image_grid(torch.rand(12, 1, 28, 28) * 2 - 1, nrow=4)]
    assert all(isinstance(f, plt.Figure) for f in figs)
    assert len(figs[5].axes) == 3


def test_plots_draw_on_a_given_axis(history):
    fig, ax = plt.subplots()
    assert plots.samples(history.snapshots[0]["samples"], ax=ax) is fig


def test_snapshot_row_without_snapshots_is_a_clear_error():
    with pytest.raises(ValueError, match="no snapshots"):
        plots.snapshot_row(train.History())


def test_save_writes_into_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLAB_FIGURES", str(tmp_path))
    fig, _ = plt.subplots()
    assert plots.save(fig, "00_test") is None
    assert (tmp_path / "00_test.png").stat().st_size > 0
    with pytest.raises(ValueError, match="plain file name"):
        plots.save(fig, "../escape")


def test_what_we_saw_ticks_and_strictness(capsys, monkeypatch):
    monkeypatch.delenv("GANLAB_STRICT", raising=False)
    good = lessons.lesson("two is more than one", held=2 > 1, measured="2", baseline="1")
    bad = lessons.lesson("one is more than two", held=1 > 2, measured="1", baseline="2")
    assert lessons.what_we_saw([good]) == []
    out = capsys.readouterr().out
    assert "✓ two is more than one" in out and "measured: 2" in out and "baseline: 1" in out
    assert lessons.what_we_saw([bad]) == ["one is more than two"]
    assert "did not show" in capsys.readouterr().out
    monkeypatch.setenv("GANLAB_STRICT", "1")
    with pytest.raises(lessons.LessonNotSeen, match="one is more than two"):
        lessons.what_we_saw([good, bad])


def test_a_lesson_must_name_its_baseline():
    with pytest.raises(ValueError, match="baseline"):
        lessons.lesson("x", held=True, measured="1", baseline="")
    with pytest.raises(TypeError, match="lesson"):
        lessons.what_we_saw([("old tuple", True, "1")])


def test_check_answer(capsys):
    assert lessons.check_answer(0.5000001, 0.5, tol=1e-5)
    assert "Correct!" in capsys.readouterr().out
    assert not lessons.check_answer([1, 2], [1, 3], hint="look again")
    assert "off by 1" in capsys.readouterr().out
    assert not lessons.check_answer([1, 2], 1.0)
    assert not lessons.check_answer("abc", 1.0)
    capsys.readouterr()
    assert not lessons.check_answer(None, 1.0, hint="use softplus")   # the exercise cell as shipped
    assert capsys.readouterr().out.startswith("No answer yet: replace the None above with yours. use softplus")


def test_moving_average_is_the_window_mean_at_each_windows_last_step():
    import numpy as np

    from ganlab import plots
    s, a = plots.moving_average(np.arange(10), np.arange(10.0), window=4)
    assert list(s) == [3, 4, 5, 6, 7, 8, 9]
    assert np.allclose(a, np.arange(1.5, 8.5))
    s, a = plots.moving_average([0, 1], [2.0, 4.0], window=20)   # a run shorter than the window
    assert list(s) == [1] and np.allclose(a, [3.0])
    import pytest
    with pytest.raises(ValueError, match="positive"):
        plots.moving_average([0], [1.0], window=0)
