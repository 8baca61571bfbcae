"""Readers: dialects, layouts, counting rule, duplicates, pseudonyms, privacy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import ReadError, load, mapping_template, read_scores
from plgdata.model import loadreport as lr
from plgdata.model import schema

FIX = Path(__file__).parent / "fixtures" / "exports"
GOOD = FIX / "good"
BAD = FIX / "malformed"
KEY = b"test-key-0123456789abcdef0123456"
IDENTITY_VALUES = [
    "734511",
    "734512",
    "734513",
    "734514",
    "734515",
    "Fictiefsma",
    "Zoë",
    "Verzonnen",
    "Daniël",
    "Bedachtje",
    "Noëlle",
    "Onechtstra",
    "Namaak",
    "Anouk",
    "03-04-2015",
    "2015-04-03",
]


def read(*names, **kw):
    return read_scores([GOOD / n for n in names], secret=KEY, **kw)


def counts_hold(ds):
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_set_aside, f.source
    r = ds.report
    assert r.rows_read == r.rows_loaded + r.rows_set_aside


@pytest.fixture(scope="module")
def all_good():
    return read_scores(GOOD, secret=KEY, mapping=GOOD / "koppeling.yaml")


def test_all_good_fixtures_validate_and_count(all_good):
    counts_hold(all_good)
    schema.SCORES_SCHEMA.validate(all_good.scores)
    schema.PUPILS_SCHEMA.validate(all_good.pupils)
    assert all_good.report.rows_read == 36 and all_good.report.rows_loaded == 30
    assert not all_good.report.errors


def test_cito_long_cp1252_title_summary_nonscores():
    ds = read("cito_begrijpend-lezen_2024-2025.csv")
    f = ds.report.files[0]
    assert (f.rows_read, f.rows_loaded) == (9, 4)
    assert f.set_aside[lr.REASON_SUMMARY] == 2 and f.examples[lr.REASON_SUMMARY] == [11, 12]
    assert f.set_aside[lr.REASON_NO_RESULT] == 3 and f.examples[lr.REASON_NO_RESULT] == [6, 9, 10]
    s = ds.scores.set_index("source_row")
    assert s.loc[5, "score"] == 180.5 and s.loc[5, "level"] == "I+" and s.loc[5, "percentile"] == 61
    assert s.loc[5, "func_level"] == ">E7" and s.loc[5, "dle"] == 60
    assert s.loc[7, "level"] == "IV" and s.loc[7, "func_level"] == "<M5" and s.loc[7, "moment"] == "M5"
    assert s.loc[7, "groep"] == 6 and s.loc[7, "test_level"] == 5
    assert set(ds.scores["scale"]) == {"Cito 3.0"} and set(ds.scores["subject"]) == {"begrijpend lezen"}
    assert set(ds.scores["school_year"]) == {"2024-2025"} and set(ds.scores["school"]) == {"OBS De Proefschool"}
    assert s.loc[4, "date"] == pd.Timestamp("2025-01-23")
    # the row without a number (row 8) gets the same pseudonym as the numbered rows of that pupil
    assert s.loc[8, "pupil_id"] == s.loc[4, "pupil_id"]
    assert any("naam en geboortedatum" in n for n in f.notes)


def test_comma_utf8_dates_moment_words_fraction_percentiles():
    ds = read("rekenen_komma.csv")
    counts_hold(ds)
    s = ds.scores.sort_values("source_row")
    assert list(s["moment"].astype(str)) == ["M6", "M6", "E6"]
    assert list(s["date"]) == [pd.Timestamp("2025-01-24")] * 2 + [pd.Timestamp("2025-06-02")]
    assert list(s["percentile"]) == [61, 85, 40]
    assert list(s["score"]) == [227.5, 230, 240]


def test_tab_excel_serial_and_moment_from_date():
    ds = read("spelling_tab.txt")
    s = ds.scores.sort_values("source_row")
    assert list(s["date"]) == [pd.Timestamp("2025-01-21"), pd.Timestamp("2025-06-05")]
    assert list(s["moment"].astype(str)) == ["M6", "E6"]
    assert list(s["level"].astype(str)) == ["III", "II"]


def test_wide_single_row_header():
    ds = read("overzicht_groep5_2023-2024.csv")
    f = ds.report.files[0]
    counts_hold(ds)
    assert (f.rows_read, f.rows_loaded, f.set_aside[lr.REASON_NO_RESULT]) == (3, 2, 1)
    got = {(r.subject, r.moment, r.score, None if pd.isna(r.level) else r.level) for r in ds.scores.itertuples()}
    assert got == {
        ("rekenen-wiskunde", "M5", 201.0, "II"),
        ("begrijpend lezen", "E5", 150.0, "III"),
        ("begrijpend lezen", "E5", 160.0, "II"),
        ("spelling", "M5", 280.0, None),
    }
    assert set(ds.scores["school_year"]) == {"2023-2024"} and set(ds.scores["scale"]) == {"Cito 3.0"}


def test_wide_two_row_header_xlsx():
    ds = read("overzicht_tweeregelig.xlsx")
    got = {(r.subject, r.moment, r.score, r.level, r.source_row) for r in ds.scores.itertuples()}
    assert got == {
        ("rekenen-wiskunde", "M5", 201.0, "II", 5),
        ("technisch lezen", "E5", 44.0, "III", 5),
        ("rekenen-wiskunde", "M5", 199.0, "III", 6),
    }
    assert ds.report.files[0].source == "overzicht_tweeregelig.xlsx:Overzicht"


def test_iep_workbook_three_sheets():
    ds = read("IEP_2023-2024.xlsx")
    counts_hold(ds)
    assert len(ds.report.files) == 3
    by = ds.scores.groupby("subject", observed=True)["level"].apply(lambda x: sorted(x.astype(str)))
    assert by.to_dict() == {
        "rekenen-wiskunde": ["1F", "1S"],
        "taalverzorging": ["1S", "op weg naar 1F"],
        "begrijpend lezen": ["1S", "2F"],
    }
    assert set(ds.scores["scale"]) == {"IEP"}
    assert ds.scores["dle"].max() == 60  # '>60'
    assert ds.scores["date"].min() == pd.Timestamp("2024-01-17")
    assert all(any("domeinpercentages" in n for n in f.notes) for f in ds.report.files)


def test_boom_moment_from_date():
    ds = read("boom_rekenen.csv")
    s = ds.scores.sort_values("source_row")
    assert list(s["moment"].astype(str)) == ["B6", "M6", "E6", "M6"]
    assert set(s["scale"]) == {"Boom"} and list(s["score"]) == [61.5, 70, 75, 66]


def test_mapping_file_and_template():
    ds = read("eigen_tabel.csv", mapping=GOOD / "koppeling.yaml")
    counts_hold(ds)
    assert list(ds.scores["score"]) == [55, 61]
    assert set(ds.scores["scale"]) == {"Boom"} and set(ds.scores["subject"]) == {"rekenen-wiskunde"}
    assert set(ds.scores["moment"]) == {"M6"}
    # without the mapping the file is not recognised and the error carries a template
    with pytest.raises(ReadError) as ei:
        read("eigen_tabel.csv")
    assert '"LLNR"' in ei.value.message and "koppelbestand" in ei.value.message
    t = mapping_template(["LLNR", "Resultaat"])
    assert t.startswith("# Koppelbestand voor plgdata") and 'score: ""' in t and '"Resultaat"' in t
    import yaml

    assert set(yaml.safe_load(t)) >= {"raw_number", "score", "scale", "subject"}


#: the school the fixtures' titles name (a pupil is a school plus a number)
SCHOOL = "OBS De Proefschool"


def test_pupils_background_and_gender_coding():
    ds = read("leerlingen.csv", "cito_begrijpend-lezen_2024-2025.csv")
    p = ds.pupils.set_index("pupil_id")
    pz = Pseudonymiser(secret=KEY)
    assert p.loc[pz.from_number("734511", SCHOOL), "gender"] == "M"  # V -> meisje
    assert p.loc[pz.from_number("734512", SCHOOL), "gender"] == "J"  # M (man) in an M/V file
    assert p.loc[pz.from_number("734512", SCHOOL), "thuistaal"] == "Arabisch"
    assert p.loc[pz.from_number("734512", SCHOOL), "instroom"] == "zij-instromer"
    # the row without a number matches the numbered (set-aside) row of the same pupil
    assert p.loc[pz.from_number("734515", SCHOOL), "thuistaal"] == "Turks"
    assert set(p["id_basis"]) == {"leerlingnummer"}
    f = [f for f in ds.report.files if f.source == "leerlingen.csv"][0]
    assert f.kind == "leerlinggegevens" and f.rows_loaded == 3


def test_name_only_pseudonym(tmp_path):
    src = (GOOD / "leerlingen.csv").read_bytes().decode("cp1252").replace("734511;", ";").replace("734512;", ";")
    (tmp_path / "leerlingen.csv").write_bytes(src.encode("cp1252"))
    ds = read_scores(tmp_path, secret=KEY)
    assert len(ds.pupils) == 3 and set(ds.pupils["id_basis"]) == {"naam+geboortedatum"}
    assert Pseudonymiser(secret=KEY).from_name("de fictiefsma zoe", "2015-04-03") in set(ds.pupils["pupil_id"])


def test_duplicates_across_and_within_files(tmp_path):
    for n in ("cito_begrijpend-lezen_2024-2025.csv",):
        shutil.copy(GOOD / n, tmp_path / n)
        shutil.copy(GOOD / n, tmp_path / ("kopie_" + n))
    ds = read_scores(tmp_path, secret=KEY)
    counts_hold(ds)
    assert len(ds.scores) == 4
    assert ds.report.set_aside_reasons[lr.REASON_DUPLICATE] == 4
    dup_file = [f for f in ds.report.files if f.set_aside[lr.REASON_DUPLICATE]]
    assert len(dup_file) == 1 and dup_file[0].rows_loaded == 0


def test_pseudonyms_stable_across_files_and_years_and_key_dependent():
    a = read("cito_begrijpend-lezen_2024-2025.csv", "cito_begrijpend-lezen_2025-2026.csv", "rekenen_komma.csv")
    pz = Pseudonymiser(secret=KEY)
    ids = a.scores.groupby("source_file", observed=True)["pupil_id"].apply(lambda s: set(s.astype(str)))
    both = pz.from_number("734511", SCHOOL)  # the files without a school are the only school's (the title's)
    assert all(both in v for v in ids)
    b = read_scores(GOOD / "cito_begrijpend-lezen_2025-2026.csv", secret=b"another-key-0123456789abcdefghij")
    assert not set(b.scores["pupil_id"].astype(str)) & set(a.scores["pupil_id"].astype(str))


def test_no_identity_values_anywhere(all_good):
    blobs = [
        all_good.scores.astype(str).to_csv(),
        all_good.pupils.astype(str).to_csv(),
        json.dumps(all_good.report.to_dict(), ensure_ascii=False),
        all_good.report.to_text(),
    ]
    bad = read_scores(BAD, secret=KEY)
    blobs += [json.dumps(bad.report.to_dict(), ensure_ascii=False), bad.report.to_text(), bad.scores.astype(str).to_csv()]
    text = "\n".join(blobs)
    for v in IDENTITY_VALUES:
        assert v not in text, v
    assert all_good.scores["pupil_id"].astype(str).str.match(r"^L-[0-9a-f]{10}$").all()


def test_directory_skips_intervention_files_with_note(tmp_path):
    shutil.copy(GOOD / "rekenen_komma.csv", tmp_path)
    (tmp_path / "interventies.csv").write_text("ID;Naam\nX;Y\n", encoding="utf-8")
    (tmp_path / "deelname.csv").write_text("Leerlingnummer;Interventie-ID\n1;X\n", encoding="utf-8")
    ds = read_scores(tmp_path, secret=KEY)
    skipped = {f.source: f for f in ds.report.files if f.kind == "overgeslagen"}
    assert set(skipped) == {"interventies.csv", "deelname.csv"}
    assert all("apart ingelezen" in f.notes[0] for f in skipped.values())
    ds2 = load(tmp_path, secret=KEY, interventions=False)
    assert len(ds2.scores) == 3


def test_nothing_readable_raises_dutch_error(tmp_path):
    with pytest.raises(ReadError) as ei:
        read_scores([BAD / "leeg.csv", BAD / "binair.csv"], secret=KEY)
    m = ei.value.message
    assert m.startswith("Geen enkel bestand kon worden ingelezen.") and "leeg.csv" in m and "Wat nu" in m
    with pytest.raises(ReadError, match="Geen exportbestanden gevonden"):
        read_scores(tmp_path, secret=KEY)


# --------------------------------------------------------------------------- malformed corpus

ERRORS = {
    "leeg.csv": "is leeg (0 bytes)",
    "alleen_kop.csv": "bevat alleen een kopregel",
    "binair.csv": "geen tekstbestand",
    "verslag.csv": "is een Word-document",
    "geen_leerling.csv": "geen kolom met de leerling",
    "geen_score.csv": "geen kolom met een resultaat",
    "afgebroken.xlsx": "beschadigd of onvolledig",
    "beveiligd.xlsx": "wachtwoord",
    "geen_zip.xlsx": "geen Excel-werkmap",
    "alleen_titel.csv": "geen kopregel gevonden",
}

SET_ASIDE = {  # file: (rows_read, rows_loaded, {reason: count})
    "alles_afw.csv": (3, 0, {lr.REASON_NO_RESULT: 3}),
    "kolommen_wisselend.csv": (3, 1, {lr.REASON_BAD_ROW: 2}),
    "datums_kapot.csv": (3, 1, {lr.REASON_BAD_DATE: 2}),
    "groep12.csv": (2, 1, {lr.REASON_BAD_GROEP: 1}),
    "percentiel150.csv": (2, 1, {lr.REASON_BAD_PERCENTILE: 1}),
    "gemengde_scheiding.csv": (3, 2, {lr.REASON_BAD_ROW: 1}),
    "kop_herhaald.csv": (3, 2, {lr.REASON_REPEATED_HEADER: 1}),
    "onbekende_tekens.csv": (1, 1, {}),
    "score_tekst.csv": (3, 0, {lr.REASON_BAD_SCORE: 1, lr.REASON_BAD_LEVEL: 1, lr.REASON_NO_SUBJECT: 1}),
    "lege_regels.csv": (5, 2, {lr.REASON_EMPTY: 2, lr.REASON_SUMMARY: 1}),
}


@pytest.fixture(scope="module")
def malformed():
    """Each malformed file read on its own (so duplicates across files play no part)."""
    out = {}
    for p in sorted(BAD.iterdir()):
        try:
            ds = read_scores(p, secret=KEY)
        except ReadError as exc:  # nothing readable: the one file's error is in the message
            assert exc.message.startswith("Geen enkel bestand kon worden ingelezen.")
            ds = read_scores([p, GOOD / "boom_rekenen.csv"], secret=KEY)
        counts_hold(ds)
        out.update({f.source: f for f in ds.report.files if f.source.split(":")[0] == p.name})
    return out


def test_corpus_is_large_enough():
    assert len(ERRORS) + len(SET_ASIDE) >= 15
    assert {p.name for p in BAD.iterdir()} == set(ERRORS) | set(SET_ASIDE)


@pytest.mark.parametrize("name,expected", sorted(ERRORS.items()))
def test_malformed_files_error(malformed, name, expected):
    f = malformed[name]
    assert f.error is not None and expected in f.error
    assert f.rows_read == 0 and f.rows_loaded == 0


@pytest.mark.parametrize("name,expected", sorted(SET_ASIDE.items()))
def test_malformed_files_set_aside(malformed, name, expected):
    f = malformed[name]
    read_, loaded, reasons = expected
    assert f.error is None
    assert (f.rows_read, f.rows_loaded) == (read_, loaded)
    assert dict(f.set_aside) == reasons


def test_malformed_details(malformed):
    assert malformed["kolommen_wisselend.csv"].examples[lr.REASON_BAD_ROW] == [3, 4]
    assert malformed["kop_herhaald.csv"].examples[lr.REASON_REPEATED_HEADER] == [3]
    assert malformed["lege_regels.csv"].examples[lr.REASON_EMPTY] == [3, 4]
    assert any("ISO-8859-1" in n for n in malformed["onbekende_tekens.csv"].notes)
    assert "Gevonden kolommen" in malformed["geen_score.csv"].error and "raw_number:" in malformed["geen_score.csv"].error
    assert malformed["score_tekst.csv"].examples[lr.REASON_NO_SUBJECT] == [4]


@pytest.mark.parametrize(
    "column, wrong",
    [
        ("subject", lambda s: s.astype(object)),  # text where the schema says categorical
        ("groep", lambda s: s.astype("float64")),  # float where the schema says Int8
        ("source_row", lambda s: s.astype("int64")),
        ("date", lambda s: s.astype(str)),
    ],
)
def test_the_reader_s_exact_schema_refuses_every_wrong_dtype(all_good, column, wrong):
    """The reader validates its own tables without coercion and checks a categorical column with
    ``isinstance`` (faster than pandera's own dtype check): a wrong dtype is still an error, never
    converted, and the same tables pass as with the coercing schema."""
    import pandera.errors

    schema.SCORES_EXACT.validate(all_good.scores)
    schema.PUPILS_EXACT.validate(all_good.pupils)
    bad = all_good.scores.copy()
    bad[column] = wrong(bad[column])
    with pytest.raises(pandera.errors.SchemaError):
        schema.SCORES_EXACT.validate(bad)


def _statuses():
    from hypothesis import strategies as st

    from plgdata.model.parsing import BAD, EMPTY, OK

    one = st.sampled_from([OK, EMPTY, BAD])
    return st.one_of(
        st.tuples(st.lists(one, min_size=1, max_size=1), st.none()),  # a column the group lacks
        st.tuples(st.lists(one, min_size=1, max_size=4), st.just("codes")),
    )


def test_reasons_from_the_distinct_values_equal_the_rule_per_row():
    """The reason a record is set aside (no score, level or percentile; a bad percentile, level or
    score, later ones winning) is worked out from the statuses of the distinct values; it equals the
    rule applied to every row."""
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from plgdata.io.scores.results import R, _reasons
    from plgdata.model.parsing import BAD, OK

    @settings(max_examples=300, deadline=None)
    @given(st.integers(0, 12), _statuses(), _statuses(), _statuses(), st.randoms(use_true_random=False))
    def check(n, score, level, percentile, rnd):
        made, per_row = [], []
        for values, codes in (score, level, percentile):
            values = np.array(values, dtype=np.int8)
            rows = np.array([rnd.randrange(len(values)) for _ in range(n)], dtype=np.int32) if codes else None
            made.append((values, rows))
            per_row.append(values[rows] if rows is not None else np.full(n, values[0], dtype=np.int8))
        sc, lv, pc = per_row
        expected = np.zeros(n, dtype=np.int8)
        expected[~((sc == OK) | (lv == OK) | (pc == OK))] = R[lr.REASON_NO_RESULT]
        expected[pc == BAD] = R[lr.REASON_BAD_PERCENTILE]
        expected[lv == BAD] = R[lr.REASON_BAD_LEVEL]
        expected[sc == BAD] = R[lr.REASON_BAD_SCORE]
        assert _reasons(n, *made).tolist() == expected.tolist()

    check()
