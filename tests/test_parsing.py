"""One home for parsing a cell: scores, interventions, the cycle record and the forms agree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plgdata.cycle import CycleError, to_iso_date
from plgdata.forms.base import parse_number as form_number
from plgdata.io.interventions import _parse_date as intervention_date
from plgdata.io.interventions import _parse_minutes as intervention_minutes
from plgdata.io.scores.cleaning import parse_date as score_date
from plgdata.model.parsing import BAD, OK, is_bsn, parse_day, parse_groep_class, parse_moment, parse_number

DUTCH_MONTHS = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
FULL_MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
NOTATIONS = {
    "dd-mm-jjjj": lambda d: d.strftime("%d-%m-%Y"),
    "d-m-jjjj": lambda d: f"{d.day}-{d.month}-{d.year}",
    "dd/mm/jjjj": lambda d: d.strftime("%d/%m/%Y"),
    "dd.mm.jj": lambda d: d.strftime("%d.%m.%y"),
    "iso": lambda d: d.isoformat(),
    "iso met tijd": lambda d: d.isoformat() + "T00:00:00",
    "iso met spatie en tijd": lambda d: d.isoformat() + " 14:05",
    "jjjjmmdd": lambda d: d.strftime("%Y%m%d"),
    "maandnaam": lambda d: f"{d.day} {DUTCH_MONTHS[d.month - 1]} {d.year}",
    "maandnaam voluit": lambda d: f"{d.day} {FULL_MONTHS[d.month - 1]} {d.year}",
    "excel": lambda d: str((d - dt.date(1899, 12, 30)).days),
}


def _agree(text: str) -> set:
    """The date each reader makes of ``text`` (None where it refuses)."""
    out = set()
    v, s = score_date(text)
    out.add(v.astype("datetime64[D]").item() if s == OK else None)
    ts, ok = intervention_date(text)
    out.add(ts.date() if ok and ts is not None else None)
    try:
        out.add(dt.date.fromisoformat(to_iso_date(text)))
    except CycleError:
        out.add(None)
    return out


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)), notation=st.sampled_from(sorted(NOTATIONS)))
def test_every_reader_reads_every_date_notation_as_the_same_date(day, notation):
    assert _agree(NOTATIONS[notation](day)) == {day}


@pytest.mark.parametrize(
    ("text", "date"),
    [("2024-09-02T00:00:00", dt.date(2024, 9, 2)), ("1-2-69", dt.date(2069, 2, 1)), ("1-2-70", dt.date(1970, 2, 1))],
)
def test_the_review_s_disagreeing_dates_now_agree(text, date):
    assert _agree(text) == {date}


@pytest.mark.parametrize("text", ["30 juni", "31-02-2026", "gedaan", "2026", "13-13-2025"])
def test_no_reader_makes_a_date_of_text_that_is_none(text):
    assert _agree(text) == {None}


@pytest.mark.parametrize(
    ("text", "value"), [("171,0", 171.0), ("1.234,5", 1234.5), ("0.61", 0.61), (" 12 ", 12.0), ("-3,5", -3.5), ("1 000", 1000.0)]
)
def test_scores_interventions_and_forms_read_numbers_alike(text, value):
    assert parse_number(text) == (value, OK)
    assert form_number(text) == value
    if value >= 0:
        assert intervention_minutes(text) == (value, True)


@pytest.mark.parametrize("text", ["12a", "1,2,3", "tien"])
def test_text_that_is_no_number_is_refused_everywhere(text):
    assert parse_number(text)[1] == BAD
    assert intervention_minutes(text) == (None, False)
    with pytest.raises(ValueError):
        form_number(text)


@pytest.mark.parametrize(
    ("text", "groep", "klas"),
    [("6", 6, None), ("groep 6", 6, None), ("Groep 6a", 6, "6A"), ("5b", 5, "5B"), ("Gr. 8", 8, None), ("6-A", 6, "6A")],
)
def test_groep_and_class_from_one_cell(text, groep, klas):
    assert parse_groep_class(text) == ((groep, klas), OK)


@pytest.mark.parametrize("text", ["groep 9", "0", "klas"])
def test_no_groep_outside_1_to_8(text):
    assert parse_groep_class(text)[1] == BAD


def _with_check_digit(eight: str) -> str | None:
    total = sum(int(c) * w for c, w in zip(eight, range(9, 1, -1)))
    last = total % 11
    return eight + str(last) if last < 10 else None


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=10_000_000, max_value=99_999_999))
def test_the_elfproef_accepts_exactly_the_right_check_digit(n):
    full = _with_check_digit(str(n))
    if full is None:
        return
    assert is_bsn(full)
    wrong = full[:-1] + str((int(full[-1]) + 1) % 10)
    assert not is_bsn(wrong)


def test_parse_day_takes_date_objects_as_they_are():
    assert parse_day(dt.datetime(2025, 1, 22, 9, 30)) == (dt.date(2025, 1, 22), OK)
    assert parse_day(45679) == (dt.date(2025, 1, 22), OK)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("M6", ("M", 6)),
        ("Medio groep 6", ("M", 6)),
        ("Begin groep 7", ("B", 7)),
        ("Eind groep 5", ("E", 5)),
        ("Medio groep 6 (2023)", ("M", 6)),
        ("Begin gr. 7", ("B", 7)),
        ("6E", ("E", 6)),
        ("M", ("M", None)),
    ],
)
def test_moments_in_every_notation(text, moment):
    assert parse_moment(text) == (moment, OK)


@pytest.mark.parametrize("text", ["Cito 3.0", "2024-2025", "groep 6", "Leerling in beeld"])
def test_text_without_a_moment_is_none(text):
    assert parse_moment(text)[1] == BAD


_DMY_TEXT = st.builds(
    lambda d, m, y, sep, pad: f"{d:0{pad}d}{sep}{m:0{pad}d}{sep}{y}",
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(1000, 2300),
    st.sampled_from("-/."),
    st.sampled_from([1, 2]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_DMY_TEXT, st.sampled_from(["", "afw", " 3-4-2015", "2015-04-03", "3-4-15", "29-02-2024"])), max_size=30)
)
def test_many_dates_at_once_are_parse_date_of_each(texts):
    """``parse_dates`` (the distinct values of a large column at once) gives exactly ``parse_date`` of
    each text, also for days that do not exist (31-02), month 0 or 13, and years outside 1900-2100."""
    from plgdata.model.parsing import parse_date, parse_dates

    values, statuses = parse_dates(texts)
    for text, v, s in zip(texts, values, statuses):
        one, status = parse_date(text)
        assert s == status, text
        assert (one is None and v != v) or v == one, text


def test_a_year_a_date_cannot_hold_is_a_bad_date():
    """``01-01-0201`` (a typing error) was stored as a date in 2169: numpy's nanoseconds wrap around."""
    assert score_date("01-01-0201") == (None, BAD)
    assert score_date("01-01-1677")[1] == BAD
    assert score_date("01-01-1678")[1] == OK


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-1, 3), max_size=20),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=4, max_size=4, unique=True),
    st.sampled_from(["a", "d", "x"]),
)
def test_filling_a_column_with_one_value_equals_filling_it_from_a_constant_column(codes, cats, value):
    """``Coded.fill_value`` (a file's school year from its title, a default scale) is ``fill`` with a
    column holding ``value`` everywhere, without making that column: same codes, same categories."""
    import numpy as np

    from plgdata.io.scores.cleaning import Coded

    column = Coded(np.array(codes, dtype=np.int32), cats)
    by_column = column.fill(Coded.const(value, len(codes)))
    by_value = column.fill_value(value)
    assert by_value.codes.tolist() == by_column.codes.tolist() and by_value.cats == by_column.cats
