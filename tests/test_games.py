"""ganlab.games (notebook 11): the fields against autograd, the eigenvalues against closed forms, the rules."""
import functools

import numpy as np
import pytest
import torch

from ganlab import games

SETTINGS = [dict(), dict(r1=0.3), dict(r1=1.0), dict(noise=0.7), dict(consensus=1.0), dict(r1=0.4, consensus=0.5),
            dict(loss="wgan"), dict(loss="wgan", gp=2.0), dict(loss="wgan", noise=0.3)]


@pytest.mark.parametrize("rule, distance", [("simultaneous", 204.74), ("alternating", 1.4306),
                                            ("extragradient", 0.009773), ("optimistic", 0.008916)])
def test_bilinear_game_reference_distances(rule, distance):
    path = games.trajectory(rule, games.bilinear_field, (1, 1), 0.1, 1000)
    assert path.shape == (1001, 2)
    assert np.linalg.norm(path[-1]) == pytest.approx(distance, rel=1e-3)


def test_simultaneous_bilinear_grows_by_sqrt_one_plus_h_squared():
    path = games.trajectory("simultaneous", games.bilinear_field, (1, 1), 0.1, 10)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.sqrt(2) * 1.01 ** (np.arange(11) / 2))


@pytest.mark.parametrize("game", SETTINGS)
def test_closed_form_field_equals_autograd_field(game):
    rng = np.random.default_rng(0)
    points = rng.uniform(-2, 2, size=(20, 2))
    points[:, 1] = np.where(np.abs(points[:, 1]) < 0.05, 0.3, points[:, 1])  # |psi| is not differentiable at 0
    for p in points:
        auto = games.autograd_field(torch.tensor(p, dtype=torch.float64), **game).detach().numpy()
        np.testing.assert_allclose(games.dirac_field(p, **game), auto, atol=1e-10)
    # vectorised over a grid: the same numbers as point by point
    one_by_one = np.stack([games.dirac_field(p, **game) for p in points])
    np.testing.assert_allclose(games.dirac_field(points, **game), one_by_one)


@pytest.mark.parametrize("game", [g for g in SETTINGS if "gp" not in g])
def test_autograd_jacobian_eigenvalues_equal_the_closed_form(game):
    auto = np.sort_complex(np.linalg.eigvals(games.jacobian((0.0, 0.0), **game)).astype(complex))
    np.testing.assert_allclose(auto, np.sort_complex(games.dirac_eigenvalues(**game)), atol=1e-9)


def test_reference_eigenvalues():
    np.testing.assert_allclose(games.dirac_eigenvalues(), [0.5j, -0.5j])
    np.testing.assert_allclose(games.dirac_eigenvalues(r1=1.0), [-0.5, -0.5])
    np.testing.assert_allclose(games.dirac_eigenvalues(r1=0.3), [-0.15 + 0.47697j, -0.15 - 0.47697j], atol=1e-5)
    np.testing.assert_allclose(games.dirac_eigenvalues(noise=0.7), [-0.1225 + 0.48476j, -0.1225 - 0.48476j], atol=1e-5)
    np.testing.assert_allclose(games.dirac_eigenvalues(consensus=1.0), [-0.25 + 0.5j, -0.25 - 0.5j])


@pytest.mark.parametrize("h", [0.05, 0.2])
def test_update_map_eigenvalues(h):
    field = functools.partial(games.dirac_field, r1=0.3)
    lam = games.dirac_eigenvalues(r1=0.3)
    np.testing.assert_allclose(np.sort_complex(games.update_eigenvalues("simultaneous", field, h)),
                               np.sort_complex(1 + h * lam), atol=1e-6)
    np.testing.assert_allclose(np.sort_complex(games.update_eigenvalues("extragradient", field, h)),
                               np.sort_complex(1 + h * lam + (h * lam) ** 2), atol=1e-6)
    assert games.update_eigenvalues("optimistic", field, h).shape == (4,)


def test_dirac_trajectories_match_the_eigenvalues():
    def distance(rule, **game):
        field = functools.partial(games.dirac_field, **game)
        return np.linalg.norm(games.trajectory(rule, field, (1, 1), 0.2, 500)[-1])
    assert distance("simultaneous") == pytest.approx(3.097, rel=1e-3)
    assert distance("simultaneous", r1=0.3) == pytest.approx(2.64e-6, rel=1e-2)
    assert distance("simultaneous", noise=0.7) == pytest.approx(5.73e-5, rel=1e-2)
    assert distance("simultaneous", consensus=1.0) < 1e-9


def test_clipping_and_critic_steps():
    field = functools.partial(games.dirac_field, loss="wgan")
    path = games.trajectory("alternating", field, (1, 1), 0.2, 50, clip=0.5, n_critic=5)
    assert np.abs(path[1:, 1]).max() <= 0.5
    one = games.step("alternating", field, np.array([1.0, 0.0]), 0.1, n_critic=3)
    np.testing.assert_allclose(one, [1.0 - 0.1 * 0.30000000000000004, 0.3])


def test_errors_name_the_allowed_values():
    with pytest.raises(ValueError, match="unknown update rule 'adam'.*'simultaneous'"):
        games.trajectory("adam", games.bilinear_field, (1, 1), 0.1, 1)
    with pytest.raises(ValueError, match="unknown loss 'lsgan'.*'gan', 'wgan'"):
        games.dirac_field((1, 1), loss="lsgan")
    with pytest.raises(ValueError, match="r1 must be >= 0"):
        games.dirac_field((1, 1), r1=-1)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        games.trajectory("simultaneous", games.bilinear_field, (1, 1), 0.1, 2.5)


def test_widget_callback_updates_in_place():
    from ganlab.widgets.core import sliders_in
    from ganlab.widgets.games import game_state, games_widget

    box = games_widget(steps=100)
    image = box.children[-1].value
    values = box.update("simultaneous", "none", 0.2, 0.0)
    assert values["max_abs_mu"] == pytest.approx(np.sqrt(1.01)) and values["distance"] > 1.5
    values = box.update("simultaneous", "R1", 0.2, 1.0)
    np.testing.assert_allclose(values["lambda"], [-0.5, -0.5])
    assert values["distance"] < 1e-3
    assert values["max_abs_mu"] == pytest.approx(0.9, abs=1e-5)
    assert box.children[-1].value != image
    assert game_state("alternating", "WGAN-GP", 0.2, 1.0, 50)["lambda"].size == 0
    assert len(sliders_in(box)) == 2
    sliders_in(box)[0].value = 0.1  # a move runs the callback
    assert box.values["path"].shape == (101, 2)
    with pytest.raises(ValueError, match="unknown regulariser 'dropout'.*'R1'"):
        game_state("simultaneous", "dropout", 0.2, 1.0)
