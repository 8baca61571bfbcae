"""One truth, many layouts: every rendering of the same results reads into the same canonical frame.

The generator (:mod:`tests.layouts`) writes one school's results as an export in a layout drawn
by hypothesis (long, wide or one row per field; CSV, XLSX, old binary XLS or HTML; separator, encoding, header synonyms, column
order, date, number and moment notation, title and summary rows, leading zeros, extra columns
such as a BSN).  Whatever the layout, the canonical frame is the truth's, every data row is
loaded and every other row is set aside with a reason.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from layouts import LONG_SHAPES, bsn_of, canonical, data_rows, expected, layouts, render, truths

from plgdata.io.scores import read_scores

KEY = b"test-key-0123456789abcdef0123456"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truth=truths(), lay=layouts())
def test_one_truth_reads_the_same_in_every_layout(truth, lay):
    with tempfile.TemporaryDirectory() as tmp:
        path = render(truth, lay, Path(tmp))
        ds = read_scores([path], secret=KEY)
    pd.testing.assert_frame_equal(canonical(ds.scores), expected(truth, KEY), check_dtype=False)
    files = ds.report.files
    n_data = data_rows(truth, lay)
    sheets = 2 if lay.sheet_per_subject and lay.shape in LONG_SHAPES else 1
    assert sum(f.rows_loaded for f in files) == n_data
    assert sum(f.rows_read for f in files) == n_data + sheets * lay.summary_rows
    assert all(f.rows_read == f.rows_loaded + f.rows_set_aside for f in files)
    assert not ds.report.errors
    notes = " ".join(n for f in files for n in f.notes)
    folded = [tuple(map(int, m)) for m in re.findall(r"(\d+) regels samengevoegd tot (\d+) resultaten", notes)]
    if lay.shape in ("per_field", "per_row"):  # one row per field: folded into one result, every row counted
        assert tuple(map(sum, zip(*folded))) == (n_data, n_data // 2)
    else:
        assert not folded
    if lay.follow_blank:
        assert "horen bij het resultaat op de regel erboven" in notes
    if lay.score_level_cell:
        assert "bevat score en niveau in één cel" in notes
    if lay.date_parts:
        assert "de afnamedatum staat in drie kolommen" in notes
    if lay.hidden_targets:
        assert "blad Streefscores is verborgen in Excel: overgeslagen" in notes
    if "BSN" in lay.extras:
        assert "burgerservicenummer (BSN)" in notes
        shown = notes + " ".join(ds.pupils["pupil_id"].astype(str))
        assert not any(bsn_of(p.number) in shown for p in truth.pupils)
