"""The dialect registry: built-in vendors, and a new vendor as one module (tests/toy_dialect.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import toy_dialect as toetsmeester

from plgdata.io import dialects
from plgdata.io.scores import ReadError, read_scores

SECRET = b"d" * 32
TOY = "Leerlingcode;Groep;Onderdeel;Afgenomen;Punten\n101;5;TM Rekenen blok 2;15-01-2025;41\n102;5;TM Rekenen blok 2;16-01-2025;37\n"


@pytest.fixture
def toy():
    dialects.register(toetsmeester.DIALECT)
    yield toetsmeester.DIALECT
    dialects.unregister(toetsmeester.DIALECT.name)


def test_builtin_dialects_in_order_with_the_fallback_last():
    names = [d.name for d in dialects.registered()]
    assert names[0] == "IEP" and names.index("Leerling in beeld") < names.index("Boom")
    assert names[-1] == "Cito" and len(names) == len(set(names))


def test_without_the_toy_dialect_the_file_is_not_recognised(tmp_path):
    p = tmp_path / "toetsmeester.csv"
    p.write_text(TOY, encoding="utf-8")
    with pytest.raises(ReadError, match="niet herkend"):
        read_scores(p, secret=SECRET)


def test_a_toy_dialect_from_the_test_folder_reads_its_file(tmp_path, toy):
    p = tmp_path / "toetsmeester.csv"
    p.write_text(TOY, encoding="utf-8")
    ds = read_scores(p, secret=SECRET)
    rows = ds.scores[["subject", "scale", "moment", "school_year", "score"]].astype(object).to_dict("records")
    assert rows == [
        {"subject": "rekenen-wiskunde", "scale": "Toetsmeester", "moment": "M5", "school_year": "2024-2025", "score": 41.0},
        {"subject": "rekenen-wiskunde", "scale": "Toetsmeester", "moment": "M5", "school_year": "2024-2025", "score": 37.0},
    ]
    (f,) = ds.report.files
    assert f.kind == "Toetsmeester"
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (2, 2, 0)
    assert any(n.startswith("Toetsmeester: moment afgeleid uit de afnamedatum") for n in f.notes)


def test_unregister_takes_the_toy_out(toy):
    assert "Toetsmeester" in [d.name for d in dialects.registered()]
    dialects.unregister("Toetsmeester")
    assert "Toetsmeester" not in [d.name for d in dialects.registered()]


# --- Dia: a vendor added as one dialect module plus its words in the vocabulary ------------------

REAL = Path(__file__).parent / "fixtures" / "exports" / "real"
_DIA_WORD = re.compile(r"\bdia(tekst|cijfer|spel|woord|toets(en)?)?\b", re.IGNORECASE)


def test_dia_is_known_only_to_its_dialect_module_and_the_vocabulary():
    package = Path(__file__).resolve().parent.parent / "plgdata"
    knows = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if _DIA_WORD.search(p.read_text(encoding="utf-8")))
    assert knows == ["io/dialects/dia.py", "model/vocabulary.py"]


def test_a_dia_export_reads_with_subjects_moments_and_school_years():
    ds = read_scores(REAL / "dia_groep5.csv", secret=SECRET)
    (f,) = ds.report.files
    assert f.kind == "Dia"
    cols = ["subject", "scale", "moment", "school_year", "groep", "score"]
    assert [tuple(r) for r in ds.scores[cols].astype(object).itertuples(index=False)] == [
        ("begrijpend lezen", "Dia", "M5", "2024-2025", 5, 145.0),
        ("rekenen-wiskunde", "Dia", "E5", "2024-2025", 5, 160.0),
        # "Eind groep 5" taken in September belongs to groep 5's school year
        ("spelling", "Dia", "E5", "2024-2025", 5, 150.0),
        ("woordenschat", "Dia", "E5", "2024-2025", 5, 140.0),
    ]
    assert (f.rows_read, f.rows_loaded, f.rows_set_aside) == (4, 4, 0)
    assert "2 eindmeting(en) na de zomer afgenomen (aug-okt): bij het schooljaar daarvoor gerekend" in f.notes
