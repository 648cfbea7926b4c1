"""The widgets of notebooks 03 (parallel lines) and 04 (generator costs): callbacks and the numbers shown."""
import math

import numpy as np
import pytest
from scipy.special import expit

from ganlab.widgets.core import sliders_in
from ganlab.widgets.divergences import divergence_curves, parallel_lines_widget
from ganlab.widgets.generator_costs import COSTS, cost_curves, fake_logits, generator_costs_widget, gradient_magnitudes

SAT, NS, ML = COSTS  # the three cost names, in the widget's order


# ------------------------------------------------------------------ parallel lines (notebook 03)
def test_parallel_lines_slider_changes_the_picture_and_the_numbers():
    box = parallel_lines_widget(theta=0.5)
    (slider,) = sliders_in(box)
    before_image, before = box.children[2].value, dict(box.values)
    slider.value = -0.25
    assert box.values["theta"] == -0.25 and box.values != before
    assert box.children[2].value != before_image
    assert "0.2500" in box.children[1].value  # the readout shows W1 = |theta|


@pytest.mark.parametrize("theta", [-1.0, -0.37, 0.01, 0.5, 1.0])
def test_parallel_lines_values_match_closed_forms(theta):
    values = parallel_lines_widget(theta=0.0).update(theta)
    assert math.isinf(values["kl"]) and math.isinf(values["kl_reverse"])
    assert values["jsd"] == pytest.approx(math.log(2), abs=1e-12)
    assert values["w1"] == pytest.approx(abs(theta), abs=1e-12)
    assert values["tv"] == pytest.approx(1.0)


def test_parallel_lines_all_zero_at_theta_zero():
    values = parallel_lines_widget(theta=0.3).update(0.0)
    assert all(values[k] == 0 for k in ("kl", "kl_reverse", "jsd", "tv", "w1"))


def test_divergence_curves_closed_forms():
    thetas = np.array([-0.8, -0.1, 0.2, 0.9])
    curves = divergence_curves(thetas)
    assert np.isinf(curves["kl"]).all()
    np.testing.assert_allclose(curves["jsd"], math.log(2), atol=1e-12)
    np.testing.assert_allclose(curves["w1"], np.abs(thetas), atol=1e-12)


# ------------------------------------------------------------------ generator costs (notebook 04)
def test_cost_curves_match_closed_forms():
    logits = np.linspace(-15, 8, 200)
    d = expit(logits)
    curves = cost_curves(logits)
    np.testing.assert_allclose(curves[SAT]["cost"], np.log1p(-d), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(curves[NS]["cost"], -np.log(d), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(curves[ML]["cost"], -0.5 * np.exp(logits), rtol=1e-10)
    np.testing.assert_allclose(curves[SAT]["grad_logit"], -d, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(curves[NS]["grad_logit"], -(1 - d), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(curves[ML]["grad_logit"], -0.5 * np.exp(logits), rtol=1e-10)
    # against D: d/dD log(1-D) = -1/(1-D), d/dD -log D = -1/D
    np.testing.assert_allclose(curves[SAT]["grad_d"], -1 / (1 - d), rtol=1e-8)
    np.testing.assert_allclose(curves[NS]["grad_d"], -1 / d, rtol=1e-8)


def test_generator_costs_slider_changes_the_picture_and_the_numbers():
    box = generator_costs_widget(mean_logit=-6.0)
    (slider,) = sliders_in(box)
    before_image, before = box.children[2].value, dict(box.values)
    slider.value = 1.0
    assert box.values["mean_logit"] == 1.0 and box.values != before
    assert box.children[2].value != before_image
    assert f"{box.values[SAT]:.2e}" in box.children[1].value


@pytest.mark.parametrize("mean_logit", [-10.0, -4.0, 0.0, 3.0])
def test_generator_costs_numbers_match_closed_forms(mean_logit):
    values = generator_costs_widget().update(mean_logit)
    logits = fake_logits(mean_logit)
    d = expit(logits)
    assert values["d"] == pytest.approx(expit(mean_logit))
    assert values[SAT] == pytest.approx(d.mean(), rel=1e-9)
    assert values[NS] == pytest.approx((1 - d).mean(), rel=1e-9)
    assert values[ML] == pytest.approx(0.5 * np.exp(logits).mean(), rel=1e-9)
    assert values == {"mean_logit": mean_logit, "d": values["d"], **gradient_magnitudes(mean_logit)}


def test_a_confident_discriminator_starves_the_saturating_cost():
    strong, weak = gradient_magnitudes(-8.0), gradient_magnitudes(0.0)
    assert strong[NS] / strong[SAT] > 100
    assert weak[NS] / weak[SAT] < 2


def test_fake_logits_rejects_negative_spread():
    with pytest.raises(ValueError, match="spread"):
        fake_logits(0.0, spread=-1.0)
