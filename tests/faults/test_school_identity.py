"""A pupil is a school plus a pupil number: two schools with the same numbers stay apart."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plgdata.io.interventions import read_interventions
from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import load, read_scores

from .helpers import run_cli, sample_lines

HEADER_LINES = 3  # title, blank line, header in the sample's Cito exports


def _school_file(tmp_path, school: str, name: str):
    """The sample's Cito export as if made at ``school`` (the title names the school)."""
    lines = sample_lines()
    lines[0] = lines[0].replace(b"OBS De Vlonder", school.encode("cp1252"))
    path = tmp_path / name
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path, lines


def _numbers(lines) -> set[bytes]:
    return {ln.split(b";")[0] for ln in lines[HEADER_LINES:] if ln[:1].isdigit()}


def test_two_schools_with_the_same_numbers_are_twice_as_many_pupils(tmp_path):
    a, lines = _school_file(tmp_path, "OBS A", "a.csv")
    b, _ = _school_file(tmp_path, "OBS B", "b.csv")
    one = load([a], key_file=tmp_path / "k.key", interventions=False)
    ds = load([a, b], key_file=tmp_path / "k.key", interventions=False)
    n = one.pupils["pupil_id"].nunique()
    assert n > 250
    assert ds.pupils["pupil_id"].nunique() == 2 * n
    assert ds.pupils["school"].astype(str).value_counts().to_dict() == {"OBS A": n, "OBS B": n}
    # no result of one school is a "double result" of the other
    assert ds.report.rows_loaded == 2 * one.report.rows_loaded
    per_school = ds.scores.groupby("school", observed=True)["pupil_id"].nunique().to_dict()
    assert per_school == {"OBS A": n, "OBS B": n}


def test_a_school_column_splits_one_file_into_pupils_per_school(tmp_path):
    lines = sample_lines()
    header, rows = lines[2], lines[HEADER_LINES:]
    out = [b"School;" + header] + [b"OBS A;" + r for r in rows] + [b"OBS B;" + r for r in rows]
    path = tmp_path / "bestuur.csv"
    path.write_bytes(b"\r\n".join(out) + b"\r\n")
    one = load([_school_file(tmp_path, "OBS A", "a.csv")[0]], key_file=tmp_path / "k.key", interventions=False)
    ds = load([path], key_file=tmp_path / "k.key", interventions=False)
    assert ds.pupils["pupil_id"].nunique() == 2 * one.pupils["pupil_id"].nunique()
    assert ds.report.rows_loaded == 2 * one.report.rows_loaded


def test_the_same_school_spelt_differently_is_one_school(tmp_path):
    a, lines = _school_file(tmp_path, "OBS De Vlonder", "a.csv")
    ds1 = load([a], key_file=tmp_path / "k.key", interventions=False)
    b, _ = _school_file(tmp_path, "obs  de vlonder", "b.csv")
    ds2 = load([b], key_file=tmp_path / "k.key", interventions=False)
    assert set(ds1.pupils["pupil_id"]) == set(ds2.pupils["pupil_id"])


def test_a_file_without_a_school_is_one_school_and_the_load_report_says_so(tmp_path):
    lines = sample_lines()
    path = tmp_path / "zonder.csv"
    path.write_bytes(b"\r\n".join(lines[2:]) + b"\r\n")  # no title: no school anywhere
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "k.key", path)
    assert code == 0
    assert "noemt geen school" in out and "één school" in out


def test_a_file_without_a_school_links_to_the_only_school_of_the_other_files(tmp_path):
    a, lines = _school_file(tmp_path, "OBS A", "a.csv")
    bare = tmp_path / "zonder.csv"
    bare.write_bytes(b"\r\n".join(lines[2:]) + b"\r\n")
    one = load([a], key_file=tmp_path / "k.key", interventions=False)
    ds = load([a, bare], key_file=tmp_path / "k.key", interventions=False)
    assert set(ds.pupils["pupil_id"]) == set(one.pupils["pupil_id"])
    notes = [n for f in ds.report.files for n in f.notes if "noemt geen school" in n]
    assert notes and "OBS A" in notes[0]


def test_participants_are_found_at_their_school_and_a_number_at_two_schools_is_set_aside(tmp_path):
    a, lines = _school_file(tmp_path, "OBS A", "a.csv")
    b, _ = _school_file(tmp_path, "OBS B", "b.csv")
    ds = load([a], key_file=tmp_path / "k.key", interventions=False)
    nr = sorted(_numbers(lines))[0].decode()
    (tmp_path / "interventies.csv").write_text(
        "ID;Naam;Omschrijving;Leerteam;Vak;Groepen;Startdatum;Einddatum\nINT-1;RT;x;Rekenen;Rekenen-wiskunde;3;01-02-2026;01-06-2026\n",
        encoding="utf-8",
    )
    (tmp_path / "deelname.csv").write_text(f"Leerlingnummer;Interventie-ID\n{nr};INT-1\n", encoding="utf-8")
    p = Pseudonymiser(tmp_path / "k.key")
    _, part, reports = read_interventions(tmp_path / "interventies.csv", pseudonymiser=p)
    assert list(part["pupil_id"]) == [p.from_number(nr, "OBS A")]
    assert part["pupil_id"].isin(ds.pupils["pupil_id"]).all()
    # now the number is known at two schools: the participant is set aside, not given to either
    load([a, b], key_file=tmp_path / "k.key", interventions=False)
    p = Pseudonymiser(tmp_path / "k.key")
    _, part, reports = read_interventions(tmp_path / "interventies.csv", pseudonymiser=p)
    assert len(part) == 0
    assert any("meer dan één school" in r for rep in reports for r in rep.set_aside)


def test_zoek_names_the_school(tmp_path):
    a, lines = _school_file(tmp_path, "OBS A", "a.csv")
    ds = load([a], key_file=tmp_path / "k.key", interventions=False)
    pid = str(ds.pupils["pupil_id"].iloc[0])
    code, out, err = run_cli("zoek", pid, "--sleutel", tmp_path / "k.key")
    assert code == 0 and "school OBS A" in out


def test_school_on_the_command_line_names_the_school_of_a_file_without_one(tmp_path):
    a, lines = _school_file(tmp_path, "OBS A", "a.csv")
    one = load([a], key_file=tmp_path / "k.key", interventions=False)
    bare = tmp_path / "zonder.csv"
    bare.write_bytes(b"\r\n".join(lines[2:]) + b"\r\n")
    code, out, err = run_cli("controleer", "--json", "--sleutel", tmp_path / "k.key", "--school", "obs a", bare)
    assert code == 0
    ds = load([bare], key_file=tmp_path / "k.key", interventions=False, school="obs a")
    assert set(ds.pupils["pupil_id"]) == set(one.pupils["pupil_id"])  # the same school however it is written
    assert "opgegeven school" in out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schools=st.lists(st.integers(0, 6), min_size=3, max_size=60), keep=st.integers(3, 60))
def test_every_row_of_a_several_school_file_is_its_own_school_plus_number(tmp_path, schools, keep):
    """Whether the (school, number) pairs are few or nearly one per row (the reader finds them in two
    ways), each loaded result's pseudonym is the hash of its own row's school and number."""
    lines = sample_lines()
    header, rows = lines[2], [r for r in lines[HEADER_LINES:] if r[:1].isdigit()][:keep]
    names = [f"OBS School {i}" for i in range(7)]
    row_school = [names[schools[i % len(schools)]] for i in range(len(rows))]
    out = [b"School;" + header] + [s.encode() + b";" + r for s, r in zip(row_school, rows)]
    path = tmp_path / "bestuur.csv"
    path.write_bytes(b"\r\n".join(out) + b"\r\n")
    secret = b"s" * 32
    ds = read_scores([path], secret=secret)
    assert len(ds.scores) > 0
    p = Pseudonymiser(secret=secret)
    expected = {i + 2: p.from_number(r.split(b";")[0].decode(), s) for i, (s, r) in enumerate(zip(row_school, rows))}
    got = dict(zip(ds.scores["source_row"].tolist(), ds.scores["pupil_id"].astype(str)))
    assert got == {row: expected[row] for row in got}
    assert set(ds.scores["school"].astype(str)) == {row_school[row - 2] for row in got}
