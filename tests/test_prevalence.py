"""Prevalence per period: intervals hold the estimate, cover the truth, widen with seed disagreement."""

import numpy as np
import pandas as pd
import pytest

from scripts.themes.prevalence import bootstrap_interval, period_start, prevalence_table, topic_prevalence_table


def test_periods_start_on_their_first_day():
    dates = pd.Series(["2025-02-05", "2025-02-09", "2025-02-10", "2025-12-31"])
    assert period_start(dates, "week").dt.date.astype(str).tolist() == ["2025-02-03", "2025-02-03", "2025-02-10", "2025-12-29"]
    assert period_start(dates, "year").dt.date.astype(str).unique().tolist() == ["2025-01-01"]


def test_interval_covers_the_true_mean_at_about_its_level():
    rng = np.random.default_rng(3)
    covered = 0
    for trial in range(200):
        shares = rng.beta(2, 8, size=(60, 1))
        _, low, high = bootstrap_interval([shares], 0, 300, 0.9, np.random.default_rng(trial))
        covered += low[0] <= 0.2 <= high[0]
    assert 0.8 <= covered / 200 <= 0.97


def test_disagreeing_seeds_widen_the_interval():
    rng = np.random.default_rng(1)
    shares = rng.beta(2, 8, size=(200, 1))
    _, low_one, high_one = bootstrap_interval([shares], 0, 500, 0.95, np.random.default_rng(0))
    _, low_two, high_two = bootstrap_interval([shares, shares + 0.1], 0, 500, 0.95, np.random.default_rng(0))
    assert high_two[0] - low_two[0] > 2 * (high_one[0] - low_one[0])
    assert low_two[0] <= shares.mean() <= high_two[0]


def test_table_flags_small_periods_and_is_deterministic():
    dates = pd.Series(["2024-01-02"] * 6 + ["2024-02-10"] * 2 + ["2024-04-01"] * 7)
    periods = period_start(dates, "month")
    rng = np.random.default_rng(0)
    shares = [rng.random((15, 2)), rng.random((15, 2))]
    first = prevalence_table(periods, shares, 1, ["a", "b"], 200, 0.95, 7, 5)
    again = prevalence_table(periods, shares, 1, ["a", "b"], 200, 0.95, 7, 5)
    pd.testing.assert_frame_equal(first, again)
    assert first["period"].unique().tolist() == ["2024-01-01", "2024-02-01", "2024-04-01"]
    assert first.loc[first["period"] == "2024-02-01", "low_n"].all()
    assert not first.loc[first["period"] != "2024-02-01", "low_n"].any()
    expected = shares[1][:6, 0].mean()
    assert np.isclose(first.query("theme == 'a' and period == '2024-01-01'")["prevalence"].iloc[0], expected)


def test_groups_get_their_own_rows():
    periods = period_start(pd.Series(["2024-01-02", "2024-01-05", "2024-01-09"]), "month")
    table = prevalence_table(periods, [np.array([[0.1], [0.3], [0.9]])], 0, ["a"], 100, 0.9, 1, 1,
                             groups=pd.Series(["x", "x", None]))
    assert table[["group", "prevalence", "n_docs"]].values.tolist() == [["missing", 0.9, 1], ["x", 0.2, 2]]


def test_topic_prevalence_rows_sum_to_one_per_period():
    periods = period_start(pd.Series(["2024-01-02", "2024-01-05", "2024-03-09"]), "month")
    doc_topic = np.array([[0.2, 0.8], [0.6, 0.4], [1.0, 0.0]])
    table = topic_prevalence_table(periods, doc_topic)
    assert np.allclose(table.groupby("period")["prevalence"].sum(), 1.0)
    assert table["n_docs"].tolist() == [2, 1, 2, 1]
