"""Change points: a planted step is found where it is, noise alone gives none."""

import numpy as np
import pandas as pd

from scripts.themes.changepoints import change_point_table, change_points


def test_a_step_is_found_within_one_period():
    rng = np.random.default_rng(0)
    for trial in range(20):
        step = int(rng.integers(6, 24))
        values = np.where(np.arange(30) >= step, 0.35, 0.06) + rng.normal(0, 0.02, 30)
        found = change_points(values, penalty=10.0, min_size=2)
        assert any(abs(point - step) <= 1 for point in found), (step, found)


def test_noise_alone_gives_few_change_points():
    rng = np.random.default_rng(1)
    counts = [len(change_points(0.2 + rng.normal(0, 0.02, 40), penalty=10.0, min_size=2)) for _ in range(50)]
    assert np.mean(counts) < 0.2


def test_table_reports_segment_means_and_skips_low_count_periods():
    periods = pd.date_range("2023-01-01", periods=12, freq="MS").date.astype(str)
    values = np.r_[np.full(6, 0.1), np.full(6, 0.4)] + np.tile([0.005, -0.005], 6)
    prevalence = pd.DataFrame({"period": periods, "theme": "a", "prevalence": values, "low_n": False})
    prevalence.loc[2, ["prevalence", "low_n"]] = [0.9, True]
    table = change_point_table(prevalence, penalty=10.0, min_size=2)
    assert table[["theme", "period"]].values.tolist() == [["a", "2023-07-01"]]
    assert np.isclose(table["before"].iloc[0], 0.1, atol=0.01) and np.isclose(table["after"].iloc[0], 0.4, atol=0.01)


def test_flat_and_short_series_have_none():
    assert change_points(np.full(20, 0.2), penalty=10.0, min_size=2) == []
    assert change_points(np.array([0.1, 0.9]), penalty=10.0, min_size=2) == []
