"""Change points: a planted step is found where it is; flat noise (autocorrelated, uneven) and smooth
trends rarely give one. The simulation checks run 200 series per setting with fixed seeds."""

import numpy as np
import pandas as pd
import pytest

from scripts.settings import section
from scripts.themes.changepoints import (
    change_confidence, change_point_table, change_points, detect_changes, detection_rates, simulate_series,
)

#: ``time.change_points`` as the schema fills it in
DEFAULT_POINTS = section("time")["change_points"]
MIN_SIZE = DEFAULT_POINTS["min_size"]


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
    table = change_point_table(prevalence, **{**DEFAULT_POINTS, "method": "pelt"})
    assert table[["theme", "period"]].values.tolist() == [["a", "2023-07-01"]]
    assert np.isclose(table["before"].iloc[0], 0.1, atol=0.01) and np.isclose(table["after"].iloc[0], 0.4, atol=0.01)


def test_flat_and_short_series_have_none():
    assert change_points(np.full(20, 0.2), penalty=10.0, min_size=2) == []
    assert change_points(np.array([0.1, 0.9]), penalty=10.0, min_size=2) == []


# ---- calibrated detector: simulation (fixed seeds; 200 series per setting) -------------------

@pytest.mark.parametrize("n", [24, 60, 200])
@pytest.mark.parametrize("phi", [0.0, 0.5])
def test_flat_series_rarely_get_a_change(n, phi):
    """Uneven per-period noise (known standard errors) with AR(1) correlation: <= 10% false alarms."""
    rates = detection_rates("flat", phi, n, 200, seed=1, min_size=MIN_SIZE)
    assert rates["any_change"] <= 0.10, rates


@pytest.mark.parametrize("phi", [0.0, 0.5])
def test_a_step_of_three_standard_errors_is_found(phi):
    rates = detection_rates("step", phi, 24, 200, seed=2, min_size=MIN_SIZE)
    assert rates["found"] >= 0.90, rates


def test_a_smooth_rise_is_a_trend_not_a_staircase():
    rates = detection_rates("linear", 0.0, 60, 100, seed=3, min_size=MIN_SIZE)
    assert rates["mean_changes"] <= 0.3, rates


def test_the_former_detector_fails_the_same_check():
    values, se, _ = simulate_series("flat", 0.5, 60, 60, np.random.default_rng(1))
    flagged = np.mean([len(change_points(v, penalty=10.0, min_size=2)) > 0 for v in values])
    assert flagged > 0.3


def test_confidence_is_high_for_a_clear_step_and_dates_bracket_it():
    rng = np.random.default_rng(4)
    se = np.full(40, 0.02)
    values = 0.2 + np.where(np.arange(40) >= 22, 0.12, 0.0) + rng.normal(0, 0.02, 40)
    found = detect_changes(values, se, MIN_SIZE)
    assert found["starts"] == [22]
    table = change_confidence(values, se, found, n_boot=100, seed=1, min_size=MIN_SIZE)
    row = table.iloc[0]
    assert row["confidence"] >= 0.9 and row["low"] <= 22 <= row["high"] and row["high"] - row["low"] <= 4


def test_table_uses_standard_errors_and_reports_confidence():
    periods = pd.date_range("2022-01-01", periods=36, freq="MS").date.astype(str)
    rng = np.random.default_rng(6)
    se = np.where(np.arange(36) % 5 == 0, 0.06, 0.015)
    values = 0.15 + np.where(np.arange(36) >= 20, 0.08, 0.0) + rng.normal(0, 1, 36) * se
    prevalence = pd.DataFrame({"period": periods, "theme": "a", "prevalence": values, "se": se, "low_n": False})
    table = change_point_table(prevalence, **{**DEFAULT_POINTS, "n_boot": 60}, seed=1)
    assert list(table.columns[:4]) == ["theme", "period", "before", "after"]
    assert {"confidence", "date_low", "date_high"} <= set(table.columns)
    assert len(table) == 1
    found = list(periods).index(table["period"].iloc[0])
    assert abs(found - 20) <= 1
    assert table["date_low"].iloc[0] <= table["period"].iloc[0] <= table["date_high"].iloc[0]
    assert table["date_low"].iloc[0] <= periods[20] <= table["date_high"].iloc[0]
    assert 0 < table["confidence"].iloc[0] <= 1
