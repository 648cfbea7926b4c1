"""ganlab.widgets.quality: the corruption explorer shows precomputed metrics and answers at once."""
import numpy as np
import pytest
import torch

from ganlab.widgets.core import measure_latency
from ganlab.widgets.quality import WORSE_WHEN_LARGER, badness, corruption_explorer, show


def fake_table():
    rows = lambda sign: [{m: (1.0 + level) * (1 if WORSE_WHEN_LARGER[m] else -1) * sign for m in WORSE_WHEN_LARGER}
                         for level in range(5)]
    table = {"noise": rows(1.0), "blur": rows(0.5)}
    samples = {k: [torch.rand(6, 1, 28, 28) * 2 - 1 for _ in range(5)] for k in table}
    return table, samples


def test_show_updates_in_place_and_scales_worse_to_one():
    table, samples = fake_table()
    box = corruption_explorer(table, samples)
    view = box.view
    before = view.canvas.image.value
    values = show(view, "noise", 4)
    assert values is table["noise"][4]
    assert np.allclose(badness(view, values), 1.0)                  # the worst row of the table
    assert np.allclose(badness(view, table["blur"][0]), 0.0)        # the best row
    assert view.canvas.image.value != before
    assert view.title.get_text() == "noise, level 4"


def test_bad_arguments_name_the_allowed_values():
    table, samples = fake_table()
    view = corruption_explorer(table, samples).view
    with pytest.raises(ValueError, match="unknown corruption 'swirl'; choose one of 'noise', 'blur'"):
        show(view, "swirl", 0)
    with pytest.raises(ValueError, match="level must be between 0 and 4, got 5"):
        show(view, "noise", 5)


def test_latency():
    table, samples = fake_table()
    assert measure_latency(corruption_explorer(table, samples), moves=5)["median_ms"] < 500
