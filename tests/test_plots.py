"""Plots: Dutch labels, decimal comma, stacked bars summing to 1, alt text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from plgdata.analysis import (
    growth,  # noqa: E402
    levels,  # noqa: E402
    trends,  # noqa: E402
)
from plgdata.plots import figures as plots  # noqa: E402
from plgdata.plots import style  # noqa: E402


def pid(i: int) -> str:
    return f"L-{i:010x}"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _ticks(ax, axis="y"):
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def test_decimal_comma_formatter():
    f = style.decimal_comma_formatter(1)
    assert f(2.5, 0) == "2,5" and f(1234.5, 0) == "1.234,5"
    assert style.decimal_comma_formatter(0, percent=True)(0.75, 0) == "75%"
    assert style.decimal_comma_formatter(1)(-0.01, 0) == "0,0"


def test_stacked_level_bars_sum_to_one_with_dutch_labels(scores_factory):
    rows = []
    k = 0
    for klas, lvls in (("6A", ["I", "II", "III", "III", "IV", "V"]), ("6B", ["I+", "II", "II", "IV", "V-"])):
        for lv in lvls:
            k += 1
            rows.append(
                dict(
                    pupil_id=pid(k),
                    school_year="2024-2025",
                    groep=6,
                    class_name=klas,
                    subject="spelling",
                    scale="Cito 3.0",
                    moment="E6",
                    score=100.0,
                    level=lv,
                )
            )
    dist = levels.level_distribution(scores_factory(rows), by="class_name")
    ax = plots.plot_level_distribution(dist)
    bars = [p for p in ax.patches if p.get_facecolor()[3] > 0]
    heights = {}
    for p in bars:
        x = round(p.get_x() + p.get_width() / 2)
        heights[x] = heights.get(x, 0.0) + p.get_height()
    assert len(heights) == 2 and all(h == pytest.approx(1.0) for h in heights.values())
    assert ax.get_ylabel() == "Percentage leerlingen" and ax.get_xlabel() == "Klas"
    assert _ticks(ax) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["I", "II", "III", "IV", "V"]
    texts = [t.get_text() for t in ax.texts]
    assert "n = 6" in texts and "n = 5" in texts
    alt = style.get_alt_text(ax)
    assert alt.startswith("Gestapelde staafgrafiek van de verdeling over niveau I–V voor Spelling")
    assert style.get_alt_text(ax.figure) == alt


def _trend_scores(scores_factory, scales: dict | None = None):
    """Groep 6's E-test in three years (Cito 3.0, or the year's test version in ``scales``)."""
    rows = []
    k = 0
    for y in range(2022, 2025):
        for i in range(4 + y - 2022):
            k += 1
            rows.append(
                dict(
                    pupil_id=pid(k),
                    school_year=f"{y}-{y + 1}",
                    groep=6,
                    class_name="6A",
                    subject="begrijpend lezen",
                    scale=(scales or {}).get(y, "Cito 3.0"),
                    moment="E6",
                    score=170.25 + (y - 2022) * 0.5,
                    level="III",
                )
            )
    return scores_factory(rows)


def test_trend_plot_annotates_n_and_uses_decimal_comma(scores_factory):
    t = trends.trend_cross_section(_trend_scores(scores_factory), "begrijpend lezen", 6, "E")
    ax = plots.plot_trend(t)
    assert ax.get_ylabel() == "Gemiddelde vaardigheidsscore" and ax.get_xlabel() == "Schooljaar"
    texts = [t.get_text() for t in ax.texts]
    assert ["n = 4", "n = 5", "n = 6"] == [x for x in texts if x.startswith("n =")]
    ticks = [x for x in _ticks(ax) if x]
    assert any("," in x for x in ticks) and not any("." in x for x in ticks)
    assert [x.get_text() for x in ax.get_xticklabels()] == ["2022-2023", "2023-2024", "2024-2025"]
    alt = style.get_alt_text(ax)
    assert "van 2022-2023 (170,2" in alt or "van 2022-2023 (170,3" in alt
    ax2 = plots.plot_trend(t, y="share_at_or_above")
    assert ax2.get_ylabel() == "Percentage op niveau III of hoger"
    assert "100%" in _ticks(ax2)


def test_growth_scatter_norm_line_and_identity(scores_factory):
    rows = []
    for i, (a, b) in enumerate([(100.5, 112.0), (110.0, 121.5), (95.0, 99.5), (120.0, 135.0), (104.0, 110.0)]):
        rows += [
            dict(
                pupil_id=pid(i),
                school_year="2024-2025",
                groep=6,
                class_name="6A",
                subject="begrijpend lezen",
                scale="Cito 3.0",
                moment=m,
                score=s,
            )
            for m, s in (("M6", a), ("E6", b))
        ]
    g = growth.pupil_growth(scores_factory(rows), "begrijpend lezen", "M6", "E6")
    norm = pd.DataFrame(
        {
            "subject": ["begrijpend lezen"] * 2,
            "scale": ["Cito 3.0"] * 2,
            "moment": ["M6", "E6"],
            "mean": [100.0, 110.0],
            "sd": [10.0, 10.0],
        }
    )
    ax = plots.plot_growth_scatter(g, norm_table=norm)
    assert ax.get_xlabel() == "Voormeting (M6): vaardigheidsscore"
    assert ax.get_ylabel() == "Nameting (E6): vaardigheidsscore"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "verwachte nameting (landelijke norm)" in legend and "geen groei (nameting = voormeting)" in legend
    norm_line = [ln for ln in ax.get_lines() if ln.get_label() == "verwachte nameting (landelijke norm)"][0]
    xs, ys = norm_line.get_data()
    assert np.allclose(np.asarray(ys) - np.asarray(xs), 10.0)  # equal sds: expected post = pre + 10
    ticks = [x for x in _ticks(ax, "x") if x]
    assert ticks and not any("." in x for x in ticks)
    alt = style.get_alt_text(ax)
    assert alt.startswith("Spreidingsdiagram van 5 leerlingen") and "op of boven de verwachte groei" in alt


def test_goal_progress_plot(scores_factory):
    rows = [
        dict(
            pupil_id=pid(i),
            school_year="2025-2026",
            groep=6,
            class_name="6A",
            subject="spelling",
            scale="Cito 3.0",
            moment="E6",
            score=100.0,
            level=lv,
        )
        for i, lv in enumerate(["I", "II", "III", "IV", "V", "II", "III", "IV"])
    ]
    goal = levels.goal_progress(scores_factory(rows), "spelling", "E6", "III", 0.75, "E 2026")
    ax = plots.plot_goal_progress(goal)
    assert ax.get_ylabel() == "Percentage op niveau III of hoger" and ax.get_xlabel() == "Schooljaar"
    target = [ln for ln in ax.get_lines() if "doel" in ln.get_label()][0]
    assert target.get_ydata()[0] == pytest.approx(0.75)
    assert "doel: minstens 75% (uiterlijk E 2026)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.get_text() == "62%\nn = 8" or t.get_text() == "63%\nn = 8" for t in ax.texts)
    assert "nog niet gehaald" in style.get_alt_text(ax)


def test_school_trend_puts_n_under_each_year_and_breaks_a_line_at_a_missing_year():
    """With five subjects the per-point "n = 237" labels piled up on the lines, and a subject
    without results in a year (an IEP year) was drawn straight across it. Now n sits once under
    each school year and the line breaks at the gap."""
    from plgdata.plots.trends import plot_share_trend

    rows = [
        (subj, year, n, share)
        for subj, shares in (("Spelling", (0.56, 0.57, 0.69)), ("Rekenen-wiskunde", (0.56, None, 0.55)))
        for year, n, share in zip(("2022-2023", "2023-2024", "2024-2025"), (235, 238, 230), shares)
        if share is not None
    ]
    trend = pd.DataFrame(rows, columns=["subject", "school_year", "n", "share"])
    fig = plot_share_trend(trend, "III", "eindtoetsen")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2022-2023\n(n = 235)",
        "2023-2024\n(n = 238)",
        "2024-2025\n(n = 230)",
    ]
    assert not [t for t in ax.texts if t.get_text().startswith("n = ")]  # no label on the lines
    rekenen = next(line for line in ax.get_lines() if line.get_label() == "Rekenen-wiskunde")
    assert np.isnan(rekenen.get_ydata()[1])  # broken at 2023-2024, not bridged
    plt.close(fig)
    single = plot_share_trend(trend[trend["subject"] == "Spelling"], "III", "eindtoetsen")
    assert len([t for t in single.axes[0].texts if t.get_text().startswith("n = ")]) == 3
    plt.close(single)


def test_a_trend_line_breaks_at_another_test_version_and_says_why_a_point_has_no_share():
    """In the sample's rekenen-wiskunde cohort the IEP year sits between Cito years. The Cito line
    was drawn straight across it and the IEP points showed a bare grey "n = 48" at 0%. Now the
    Cito line breaks, the IEP year says "geen niveau I–V" once, and the crowded axis writes 22-23."""
    from identities import SAMPLE
    from sample_truth import iep_numbers, numbers_in

    from plgdata.analysis.trends import trend_cohort
    from plgdata.io.scores import load

    ds = load([SAMPLE], secret=b"p" * 32, interventions=False)
    trend = trend_cohort(ds.scores, "rekenen-wiskunde", "2022-2023", 5)
    ax = plots.plot_trend(trend, y="share_at_or_above")
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["M5\n22-23", "E5\n22-23", "M6\n23-24", "E6\n23-24", "M7\n24-25", "E7\n24-25", "M8\n25-26"]
    cito = next(line for line in ax.get_lines() if line.get_label() == "Cito 3.0")
    y = cito.get_ydata()
    assert np.isfinite(y[[0, 1, 4, 5, 6]]).all() and np.isnan(y[[2, 3]]).all()  # broken, not bridged
    notes = [t.get_text() for t in ax.texts if "geen niveau" in t.get_text()]
    n = len(numbers_in("2022-2023", 5) & iep_numbers(6))  # the cohort's pupils in the IEP year, with pandas
    assert notes == [f"geen niveau I–V\n(IEP, n = {n})"]
    plt.close(ax.figure)


def _series_lines(ax):
    """The data lines of a plot with their legend entry (not the reference lines)."""
    return [line for line in ax.get_lines() if not line.get_label().startswith(("_", "landelijk"))]


def _look(line) -> tuple:
    """How a line looks without its colour: dash pattern (matplotlib keeps a custom one only
    privately; ``get_linestyle`` says ``--`` for every one of them) and marker."""
    return (line.get_linestyle(), line._unscaled_dash_pattern, line.get_marker())


def test_every_line_of_a_trend_plot_differs_in_dash_and_marker_not_only_in_colour(monkeypatch, scores_factory):
    """Issue 21: the trend plot's subject lines differed only in colour, lost on a greyscale print
    (Rekenen-wiskunde blue and Spelling green print as nearly the same grey). Drawn with ONE colour
    for every series, each line, and its legend entry, must still look different."""
    from plgdata.plots.trends import plot_share_trend

    subjects = ["Begrijpend lezen", "Rekenen-wiskunde", "Spelling", "Technisch lezen", "Taalverzorging"]
    years = ("2022-2023", "2023-2024", "2024-2025")
    trend = pd.DataFrame(
        [(s, y, 60, 0.5 + 0.02 * i + 0.01 * j) for i, s in enumerate(subjects) for j, y in enumerate(years)],
        columns=["subject", "school_year", "n", "share"],
    )
    grey = (0.5, 0.5, 0.5)
    monkeypatch.setattr(style, "PALETTE", [grey] * len(style.PALETTE))  # greyscale: the colour says nothing
    ax = plot_share_trend(trend, "III", "eindtoetsen").axes[0]
    lines = _series_lines(ax)
    assert [line.get_label() for line in lines] == subjects
    assert {line.get_color() for line in lines} == {grey}
    assert len({_look(line) for line in lines}) == len(subjects)  # every line its own dash pattern and marker
    assert len({line.get_marker() for line in lines}) == len(subjects)  # and its own marker shape
    legend = [h for h in ax.get_legend().get_lines() if not h.get_label().startswith("landelijk")]
    assert len({_look(h) for h in legend}) == len(subjects)  # the legend shows the same difference
    # a cohort trend with two test versions (one line each) gets two looks as well
    cross = trends.trend_cross_section(_trend_scores(scores_factory, {2023: "IEP"}), "begrijpend lezen", 6, "E")
    versions = [
        line for line in plots.plot_trend(cross, show_average=False).get_lines() if line.get_label() in ("Cito 3.0", "IEP")
    ]
    assert len(versions) == 2 and _look(versions[0]) != _look(versions[1])


def test_series_styles_differ_in_every_channel():
    looks = [style.series_style(i) for i in range(len(style.SERIES_LINESTYLES))]
    assert len({str(s["linestyle"]) for s in looks}) == len(looks)
    assert len({s["marker"] for s in looks}) == len(looks)
