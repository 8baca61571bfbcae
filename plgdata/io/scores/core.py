"""Reading many export files at once into the canonical tables.

:func:`read_scores` reads CSV and Excel exports (several years, vendors, subjects),
pseudonymises pupils at the door, removes duplicate results across files, and
returns a :class:`~plgdata.model.dataset.Dataset` whose load report accounts for every
row: ``rows_read == rows_loaded + rows_set_aside`` per file and in total.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from plgdata.io.pseudonyms import Pseudonymiser
from plgdata.io.scores import threads
from plgdata.io.scores.context import open_table
from plgdata.io.scores.errors import ReadError
from plgdata.io.scores.excel import is_html, read_workbook
from plgdata.io.scores.identity import PupilRegistry
from plgdata.io.scores.mapping import Mapping, load_mapping
from plgdata.io.scores.rawtable import RawTable
from plgdata.io.scores.rows import named_schools
from plgdata.io.scores.tables import KIND_PUPILS, REASONS, Parsed, R, process_table
from plgdata.io.scores.text import read_text_table
from plgdata.io.sniff import sniff_kind
from plgdata.model import loadreport as lr
from plgdata.model import schema
from plgdata.model.dataset import Dataset
from plgdata.model.loadreport import FileReport, LoadReport

#: file extensions read from a directory
EXTENSIONS = (".csv", ".xlsx", ".xlsm", ".xls", ".txt", ".tsv")
#: file-name prefixes that are read elsewhere (interventions) and skipped here, with a note
SKIP_PREFIXES = ("interventies", "interventie", "deelname", "plgscan", "signaleringswaarden")

DUP_KEY = ["pupil_id", "subject", "scale", "moment", "date", "score"]


def _as_list(paths) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


#: spreadsheets plgdata does not read, with the way to make them readable
OTHER_SPREADSHEETS = {".ods": "een OpenDocument-rekenblad", ".numbers": "een Numbers-bestand"}


def _skip(skipped: list[FileReport], name: str, note: str) -> None:
    fr = FileReport(source=name, kind="overgeslagen")
    fr.notes.append(note)
    skipped.append(fr)


def _not_a_file(q: Path, skipped: list[FileReport]) -> bool:
    """True (and a note) for a broken link or something that is no regular file, such as a pipe
    (reading a pipe would wait for ever)."""
    if q.is_symlink() and not q.exists():
        _skip(skipped, q.name, "snelkoppeling naar een bestand dat niet (meer) bestaat: niet gelezen")
        return True
    if q.exists() and not q.is_file() and not q.is_dir():
        _skip(skipped, q.name, "geen gewoon bestand (bijvoorbeeld een pipe of apparaat): niet gelezen")
        return True
    return False


def _folder_candidates(folder: Path, skipped: list[FileReport]) -> list[Path]:
    """The export files in ``folder``; everything else that looks meant for plgdata is named."""
    try:
        entries = sorted(folder.iterdir())
    except PermissionError:
        raise ReadError(
            f"De map {folder.name} kan niet worden gelezen: er zijn geen leesrechten. Vraag de beheerder van de "
            "computer om leesrechten, of kopieer de exports naar een map van jezelf."
        ) from None
    cands = []
    for q in entries:
        if _not_a_file(q, skipped) or q.is_dir():
            continue
        if q.suffix.lower() in OTHER_SPREADSHEETS:
            _skip(skipped, q.name, f"{OTHER_SPREADSHEETS[q.suffix.lower()]}: sla het op als .xlsx en lees het opnieuw in")
        elif q.suffix.lower() in EXTENSIONS:
            cands.append(q)
    return cands


def _utf8_name(name: str) -> bool:
    """False for a file name that is no valid UTF-8 (made on another system; Python keeps its bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(name: str) -> str:
    """A file name that can be printed: bytes that are no UTF-8 read as Windows-1252 (``caf\\xe9.csv`` -> ``café.csv``)."""
    raw = name.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _bad_name_message(name: str) -> str:
    return (
        f"Het bestand '{display_name(name)}' is niet ingelezen: de naam bevat tekens die deze computer niet kan lezen "
        "(gemaakt op een ander systeem). Geef het bestand een nieuwe naam, bijvoorbeeld zonder letters met accenten, "
        "en lees het opnieuw in."
    )


def discover(paths) -> tuple[list[Path], list[FileReport]]:
    """Files to read, and reports for files that are skipped (never silently)."""
    files: list[Path] = []
    skipped: list[FileReport] = []
    for p in _as_list(paths):
        if p.is_dir():
            cands = _folder_candidates(p, skipped)
        else:
            cands = [p] if p.is_file() or not _not_a_file(p, skipped) else []
        for q in cands:
            name = q.name.lower()
            if not _utf8_name(q.name):
                skipped.append(FileReport(source=display_name(q.name), error=_bad_name_message(q.name)))
            elif name.startswith("~$") or name.startswith("."):
                fr = FileReport(source=q.name, kind="overgeslagen")
                fr.notes.append("tijdelijk of verborgen bestand (bijv. een Excel-slotbestand): niet gelezen")
                skipped.append(fr)
            elif name.startswith(SKIP_PREFIXES):
                fr = FileReport(source=q.name, kind="overgeslagen")
                fr.notes.append(
                    "interventie-, deelname-, PLG-scan- of signaleringswaardenbestand: niet als toetsresultaten gelezen (wordt apart ingelezen)"
                )
                skipped.append(fr)
            elif q not in files:
                files.append(q)
    return files, skipped


def read_tables(path: Path, known: frozenset[str] = frozenset()) -> tuple[list[RawTable], list[str]]:
    """Read one file into raw tables (one per sheet for workbooks); raises :class:`ReadError`.

    ``known`` are the column names a mapping file gives (they help find the header row).
    """
    if not path.exists():
        raise ReadError(f"Het bestand {path.name} bestaat niet. Controleer de naam en de map.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        tables, notes = read_workbook(path, known)
    elif path.suffix.lower() == ".xls":
        tables, notes = _read_xls(path, known)
    else:
        with open(path, "rb") as fh:
            head = fh.read(65536)
        kind = "html" if is_html(head[:1024]) else sniff_kind(path, head)
        if kind == "html":  # a web system's "export" saved as .csv: an HTML table (said in the notes)
            tables, notes = read_workbook(path, known)
        elif kind == "xlsx":
            tables, notes = read_workbook(path, known)
            notes = ["Excel-werkmap met de extensie " + path.suffix + ": als Excel gelezen"] + notes
        else:
            tables, notes = [read_text_table(path, known=known)], []
    if not tables:
        raise ReadError(
            f"In {path.name} staat geen blad met een kopregel met bekende kolomnamen (zoals Leerlingnummer, Toets, "
            "Vaardigheidsscore). Controleer of dit een export met toetsresultaten is."
        )
    return tables, notes


def _read_xls(path: Path, known: frozenset[str] = frozenset()) -> tuple[list[RawTable], list[str]]:
    """An .xls file: Excel 97-2003, an HTML table or a workbook saved as .xls, or plain text."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith((b"\xd0\xcf\x11\xe0", b"PK\x03\x04")) or is_html(head[:1024]):
        return read_workbook(path, known)
    if sniff_kind(path, head) == "text":
        return [read_text_table(path, known=known)], [
            f"{path.name} is een tekstbestand (CSV) met de extensie .xls: als tekst gelezen"
        ]
    return read_workbook(path, known)  # pragma: no cover - sniff_kind raises for everything else


def _resolve_names(parsed: list[Parsed], registry: PupilRegistry) -> None:
    """Give rows without a pupil number the pseudonym of the same pupil's numbered rows."""
    needed = {b for p in parsed for (_, b) in p.unresolved_keys if b}
    index: dict[str, int] = {}
    if needed:
        for p in parsed:
            for k, b, c in p.numbered_names(needed):
                index.setdefault(f"{k}|{b}", c)
    for p in parsed:
        if not len(p.unresolved):
            continue
        codes = np.empty(len(p.unresolved), dtype=np.int64)
        by_number = 0
        for i, (k, b) in enumerate(p.unresolved_keys):
            c = index.get(f"{k}|{b}") if b else None
            if c is None:
                c = registry.from_name(k, b)
            else:
                by_number += 1
            codes[i] = c
        p.row_pid[p.unresolved] = codes
        if by_number:
            p.notes.append(f"{by_number} regel(s) zonder leerlingnummer herkend op naam en geboortedatum")
        if len(codes) - by_number:
            p.notes.append(
                f"{len(codes) - by_number} regel(s) zonder leerlingnummer: pseudoniem gemaakt van naam en geboortedatum"
            )


def _norm_cat(c: pd.Categorical) -> pd.Categorical:
    """Categories as the pandas default string dtype (so categoricals of all files combine)."""
    c = pd.Categorical(c) if not isinstance(c, pd.Categorical) else c
    if str(c.categories.dtype) == "str":
        return c
    cats = pd.Index([str(x) for x in c.categories], dtype="str")
    # the codes are those of a valid categorical with as many categories: no need to check them again
    return pd.Categorical.from_codes(np.asarray(c.codes), categories=cats, validate=False)


def _code_dtype(n_categories: int) -> type:
    """The code dtype pandas gives a categorical with this many categories (so no conversion follows)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _used_categories(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """``Categorical.from_codes(codes, names).remove_unused_categories()`` with text categories, without a sort."""
    codes = np.asarray(codes, dtype=np.int64)
    if len(codes) and codes.min() < 0:  # missing values: counted in a slot of their own
        used = np.flatnonzero(np.bincount(codes + 1, minlength=len(names) + 1)[1:])
        lut = np.full(len(names) + 1, -1, dtype=_code_dtype(len(used)))
        lut[used + 1] = np.arange(len(used))
        new = lut[codes + 1]
    else:
        used = np.flatnonzero(np.bincount(codes, minlength=len(names)))
        lut = np.full(len(names), -1, dtype=_code_dtype(len(used)))
        lut[used] = np.arange(len(used))
        new = lut[codes]
    cats = pd.Index([str(names[i]) for i in used.tolist()], dtype="str")
    return pd.Categorical.from_codes(new, categories=cats, validate=False)


def _concat_cat(parts: list[pd.Categorical]) -> pd.Categorical:
    """``union_categoricals`` of the parts with text categories (first-seen order), built once.

    The categories are merged as Python lists and the codes recoded with a look-up
    per part, so a call with many small files makes one Categorical, not one per file.
    """
    if len(parts) == 1:
        return _norm_cat(parts[0])
    pos: dict[str, int] = {}
    codes = []
    for p in parts:
        p = pd.Categorical(p) if not isinstance(p, pd.Categorical) else p
        lut = np.array([pos.setdefault(str(c), len(pos)) for c in p.categories] + [-1], dtype=np.int64)
        codes.append(lut[np.asarray(p.codes, dtype=np.int64)])
    cats = pd.Index(list(pos), dtype="str")
    return pd.Categorical.from_codes(np.concatenate(codes), categories=cats)


def _mark_no_pupil(parsed: list[Parsed]) -> None:
    """Records whose row has no pupil (no number, and no name found) are set aside."""
    for p in parsed:
        if p.kind != KIND_PUPILS and len(p.rec_row):
            p.rec_reason[(p.rec_reason == 0) & (p.row_pid[p.rec_row] < 0)] = R[lr.REASON_NO_PUPIL]


def _loaded_rows(p: Parsed) -> np.ndarray:
    """The table rows with a loaded record (a pupil list: the rows with a pupil)."""
    if p.kind == KIND_PUPILS:
        return np.flatnonzero((p.row_reason == 0) & (p.row_pid >= 0))
    if len(p.rec_row) == p.n_rows:  # one record per row (the records are the rows in order)
        return np.flatnonzero(p.rec_reason == 0)
    m = np.zeros(p.n_rows, dtype=bool)
    m[p.rec_row[p.rec_reason == 0]] = True
    return np.flatnonzero(m)


class _PupilsAhead:
    """The pupils frame, made in a second thread while the scores are assembled (a large read).

    It is made from the rows loaded before duplicates are removed; :meth:`frame` uses it only
    when removing the duplicates left every file's loaded rows as they were (a duplicate whose
    row keeps another loaded record changes nothing), else makes it again: the result is always
    that of :func:`_pupils_frame` on the final rows.
    """

    def __init__(self, parsed: list[Parsed], registry: PupilRegistry):
        self.parsed, self.registry = parsed, registry
        self.rows = [_loaded_rows(p) for p in parsed]
        self.ahead = None
        if threads.large(sum(p.n_rows for p in parsed)):
            self.ahead = threads.beside(_pupils_frame, parsed, registry, self.rows)

    def frame(self, loaded_rows: list[np.ndarray]) -> pd.DataFrame:
        if self.ahead is not None:
            ahead = self.ahead()
            if all(np.array_equal(a, b) for a, b in zip(self.rows, loaded_rows)):
                return ahead
        return _pupils_frame(self.parsed, self.registry, loaded_rows)


def _at_rows(columns: dict[str, object], rows: np.ndarray) -> dict[str, object]:
    """Every column at ``rows``; a large table's columns half in a second thread (numpy's take
    releases the GIL)."""

    def take(names: list[str]) -> dict[str, object]:
        out: dict[str, object] = {}
        for k in names:
            v = columns[k]
            if isinstance(v, pd.Categorical):
                out[k] = pd.Categorical.from_codes(np.asarray(v.codes)[rows], categories=v.categories, validate=False)
            else:
                out[k] = np.asarray(v)[rows]
        return out

    names = list(columns)
    if not threads.large(len(rows)):
        return take(names)
    other = threads.beside(take, names[1::2])
    return {**take(names[::2]), **other()}


def _scores_frame(parsed: list[Parsed], registry: PupilRegistry) -> tuple[pd.DataFrame, list[tuple[int, np.ndarray]]]:
    """Canonical scores of all loaded candidate records, with duplicates marked in the parsed reasons."""
    pieces = []
    positions = []
    for fi, p in enumerate(parsed):
        if p.kind == KIND_PUPILS or not len(p.rec_row):
            continue
        ok = np.flatnonzero(p.rec_reason == 0)
        if not len(ok):
            continue
        all_ok = len(ok) == len(p.rec_row)
        rows_ok = p.rec_row if all_ok else p.rec_row[ok]
        cols = dict(p.rec) if all_ok else _at_rows(p.rec, ok)
        cols["pupil_id"] = p.row_pid[rows_ok]
        cols["source_file"] = p.raw.source
        cols["source_row"] = p.row_numbers[rows_ok]
        pieces.append(cols)
        positions.append((fi, ok))
    if not pieces:
        return schema.empty_table(schema.SCORE_COLUMNS, schema.SCORE_DTYPES), positions
    n_total = sum(len(pc["pupil_id"]) for pc in pieces)
    out: dict[str, object] = {}
    codes = np.concatenate([pc["pupil_id"] for pc in pieces]) if len(pieces) > 1 else pieces[0]["pupil_id"]
    out["pupil_id"] = _used_categories(codes, registry.ids)
    for k in ("school", "school_year"):
        out[k] = _concat_cat([pc[k] for pc in pieces])
    out["groep"] = _int8(_join(pieces, "groep", np.float64))
    for k in ("class_name", "subject", "test_name", "scale", "moment", "period"):
        out[k] = _concat_cat([pc[k] for pc in pieces])
    out["test_level"] = _int8(_join(pieces, "test_level", np.float64))
    out["date"] = _join(pieces, "date", "datetime64[ns]")
    out["score"] = _join(pieces, "score", np.float64)
    out["level"] = _concat_cat([pc["level"] for pc in pieces])
    out["percentile"] = _join(pieces, "percentile", np.float64)
    out["func_level"] = _concat_cat([pc["func_level"] for pc in pieces])
    out["dle"] = _join(pieces, "dle", np.float64)
    src_names = [pc["source_file"] for pc in pieces]
    src_codes = np.concatenate([np.full(len(pc["pupil_id"]), i, dtype=np.int64) for i, pc in enumerate(pieces)])
    out["source_file"] = _concat_cat([pd.Categorical.from_codes(src_codes, categories=pd.Index(src_names, dtype=object))])
    out["source_row"] = _join(pieces, "source_row", np.int32)
    df = pd.DataFrame(out, copy=False)
    assert len(df) == n_total
    return df, positions


def _join(pieces: list[dict], key: str, dtype) -> np.ndarray:
    """One column of all pieces as one array of ``dtype`` (no copy for a single piece of that dtype)."""
    if len(pieces) == 1:
        return np.asarray(pieces[0][key]).astype(dtype, copy=False)
    return np.concatenate([pc[key] for pc in pieces]).astype(dtype, copy=False)


def _int8(values: np.ndarray):
    values = np.asarray(values, dtype=np.float64)
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int8), mask)


def _duplicated(df: pd.DataFrame, subset: list[str] | None = None) -> np.ndarray:
    """``df.duplicated(subset=subset, keep="first")`` on one int64 key made from the columns' codes.

    Categorical columns contribute their codes, the others their factorized values
    (missing values compare equal, as in :meth:`pandas.DataFrame.duplicated`).
    """
    subset = DUP_KEY if subset is None else subset
    key = np.zeros(len(df), dtype=np.int64)
    room = 1
    for c in subset:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes = np.asarray(s.cat.codes, dtype=np.int64) + 1
            size = len(s.cat.categories) + 1
        else:
            values = s.to_numpy()
            if values.dtype.kind == "M":
                values = values.view(np.int64)  # NaT is one fixed value
            codes, uniq = pd.factorize(values, use_na_sentinel=True)
            codes = codes.astype(np.int64) + 1
            size = len(uniq) + 1
        if room * size >= 2**62:
            return df.duplicated(subset=subset, keep="first").to_numpy()
        key += codes * room
        room *= size
    return _duplicated_keys(key)


def _duplicated_keys(key: np.ndarray) -> np.ndarray:
    """``pd.Series(key).duplicated(keep="first")`` for int64 keys, hashing only the keys that can collide.

    Keys are spread over a table about four times the number of rows; a key alone
    in its slot cannot repeat, so only keys sharing a slot go through pandas.
    """
    n = len(key)
    if n < 100_000:
        return pd.Series(key, copy=False).duplicated(keep="first").to_numpy()
    bits = int(n * 4).bit_length()
    slot = ((key.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)
    shared = np.bincount(slot, minlength=1 << bits)[slot] > 1
    idx = np.flatnonzero(shared)
    dup = np.zeros(n, dtype=bool)
    if len(idx):
        dup[idx] = pd.Series(key[idx], copy=False).duplicated(keep="first").to_numpy()
    return dup


def _mark_duplicates(
    df: pd.DataFrame, positions: list[tuple[int, np.ndarray]], parsed: list[Parsed], dup: np.ndarray
) -> pd.DataFrame:
    """The loaded records without the duplicates ``dup`` (:func:`_duplicated`), which are marked
    in the parsed reasons."""
    if df.empty or not dup.any():
        return df
    start = 0
    for fi, ok in positions:
        d = dup[start : start + len(ok)]
        parsed[fi].rec_reason[ok[d]] = R[lr.REASON_DUPLICATE]
        start += len(ok)
    out = df.loc[~dup].reset_index(drop=True)
    pid = out["pupil_id"].array
    out["pupil_id"] = _used_categories(np.asarray(pid.codes), list(pid.categories))
    return out


def _validated_without_duplicates(
    scores: pd.DataFrame, positions: list[tuple[int, np.ndarray]], parsed: list[Parsed]
) -> pd.DataFrame:
    """:func:`_mark_duplicates`, with the scores validated against the canonical schema.

    A large table is validated while its duplicates are found in a second thread (both are
    mostly numpy and pandas work that releases the GIL): the table validated is then the one
    with the duplicates still in it, a superset of the rows kept, and every check of the schema
    is one per row or one per column's dtype, so it holds for the rows kept as well.
    """
    if not threads.large(len(scores)):
        scores = _mark_duplicates(scores, positions, parsed, _duplicated(scores) if len(scores) else np.zeros(0, bool))
        schema.SCORES_EXACT.validate(scores[list(schema.SCORE_COLUMNS)], inplace=True)
        return scores
    dup = threads.beside(_duplicated, scores)
    try:
        schema.SCORES_EXACT.validate(scores[list(schema.SCORE_COLUMNS)], inplace=True)
    except BaseException:
        threads.settle(dup)
        raise
    return _mark_duplicates(scores, positions, parsed, dup())


def _file_report(p: Parsed) -> FileReport:
    fr = FileReport(source=p.raw.source, kind=p.kind)
    fr.notes.extend(p.notes)
    n = p.n_rows
    if p.kind == KIND_PUPILS:
        row_code = p.row_reason.astype(np.int64).copy()
        row_code[(row_code == 0) & (p.row_pid < 0)] = R[lr.REASON_NO_PUPIL]
    elif len(p.rec_row) == n:
        row_code = p.rec_reason.astype(np.int64)
    else:
        row_code = np.full(n, 127, dtype=np.int64)
        np.minimum.at(row_code, p.rec_row, p.rec_reason.astype(np.int64))
    row_numbers = p.row_numbers
    if len(p.raw.folded_rows):  # rows folded into another row's result share its fate (io/scores/spread.py)
        row_code = np.concatenate([row_code, row_code[p.raw.folded_into]])
        row_numbers = np.concatenate([row_numbers, p.raw.folded_rows])
    fr.rows_read = p.raw.rows_read
    fr.rows_loaded = int((row_code == 0).sum())
    fr.add_set_aside(lr.REASON_BAD_ROW, p.raw.bad_rows)
    fr.add_set_aside(lr.REASON_UNCLOSED_QUOTE, p.raw.quote_rows)
    for reason, rows in p.raw.folded_aside.items():
        fr.add_set_aside(reason, rows)
    if fr.rows_loaded < len(row_code):
        codes, counts = np.unique(row_code[row_code > 0], return_counts=True)
        for c in codes:
            idx = np.flatnonzero(row_code == c)
            fr.add_set_aside(REASONS[int(c)], row_numbers[idx])
    if fr.rows_loaded == 0 and n:
        fr.notes.append("geen enkele regel ingelezen: zie de redenen hierboven")
    return fr


def _first_per_pupil(d: dict[str, object], n_codes: int) -> pd.DataFrame:
    """One row per pupil code (ascending) with each column's first non-missing value."""
    code = np.asarray(d["code"], dtype=np.int64)
    n = len(code)
    present = np.zeros(n_codes, dtype=bool)
    present[code] = True
    keep = np.flatnonzero(present)
    pos = np.arange(n, dtype=np.int64)
    out: dict[str, object] = {"code": keep}
    first_row = None  # each pupil's first row: the same for every column without missing values
    for k, v in d.items():
        if k == "code":
            continue
        if isinstance(v, pd.Categorical):
            vals = np.asarray(v.codes)
            valid = vals >= 0
        else:
            vals = np.asarray(v, dtype=np.float64)
            valid = ~np.isnan(vals)
        if valid.all():
            if first_row is None:
                first_row = np.full(n_codes, n, dtype=np.int64)
                np.minimum.at(first_row, code, pos)
            first = first_row
        else:
            first = np.full(n_codes, n, dtype=np.int64)
            if valid.any():
                np.minimum.at(first, code[valid], pos[valid])
        at = first[keep]
        found = at < n
        picked = vals[np.minimum(at, n - 1)]
        if isinstance(v, pd.Categorical):
            out[k] = pd.Categorical.from_codes(np.where(found, picked, -1), categories=v.categories)
        else:
            out[k] = np.where(found, picked, np.nan)
    return pd.DataFrame(out)


def _pupils_frame(parsed: list[Parsed], registry: PupilRegistry, loaded_rows: list[np.ndarray]) -> pd.DataFrame:
    frames = []
    for p, rows in zip(parsed, loaded_rows):
        if not len(rows):
            continue
        pid = p.row_pid[rows]
        bg = p.background
        d = {"code": pid}
        for k in ("school", "gender", "thuistaal", "instroom"):
            v = bg.get(k)
            if v is None:
                d[k] = pd.Categorical.from_codes(np.full(len(rows), -1, dtype=np.int64), categories=pd.Index([], dtype=object))
            else:
                d[k] = pd.Categorical.from_codes(np.asarray(v.codes)[rows], categories=v.categories, validate=False)
        d["birth_year"] = np.asarray(bg["birth_year"])[rows]
        # reduce early: one row per pupil with the first value present per column
        # (exactly what the groupby(...).first() below keeps)
        frames.append(_first_per_pupil(d, len(registry.ids)))
    if not frames:
        return schema.empty_table(schema.PUPIL_COLUMNS, schema.PUPIL_DTYPES)
    for k in ("school", "gender", "thuistaal", "instroom"):
        u = _concat_cat([f[k].array for f in frames])
        start = 0
        for f in frames:
            f[k] = u[start : start + len(f)]
            start += len(f)
    allf = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(frames) == 1:
        g = allf.set_index("code")  # already one row per pupil, ascending, first values
    else:
        # groupby("code", sort=True).first(): per pupil the first value present per column
        d = {k: (allf[k].array if isinstance(allf[k].dtype, pd.CategoricalDtype) else allf[k].to_numpy()) for k in allf.columns}
        g = _first_per_pupil(d, len(registry.ids)).set_index("code")
    ids = np.array(registry.ids, dtype=object)[g.index.to_numpy()]
    id_basis = np.where(np.isin(g.index.to_numpy(), list(registry.name_only)), "naam+geboortedatum", "leerlingnummer")
    out = pd.DataFrame(
        {
            "pupil_id": pd.array(ids, dtype=schema.STRING),
            "school": pd.Categorical(g["school"].astype(object).to_numpy()),
            "gender": pd.Categorical(g["gender"].astype(object).to_numpy(), categories=["J", "M", "X"]),
            "birth_year": pd.array(g["birth_year"].to_numpy(), dtype="Float64").astype("Int16"),
            "thuistaal": pd.Categorical(g["thuistaal"].astype(object).to_numpy()),
            "instroom": pd.Categorical(g["instroom"].astype(object).to_numpy()),
            "id_basis": pd.Categorical(id_basis, categories=["leerlingnummer", "naam+geboortedatum"]),
        }
    )
    return out.reset_index(drop=True)


def _nothing_to_read(t: RawTable) -> FileReport:
    """The report of a table without one readable row (its lines, if any, are set aside)."""
    fr = FileReport(source=t.source, rows_read=t.rows_read)
    fr.add_set_aside(lr.REASON_BAD_ROW, t.bad_rows)
    fr.add_set_aside(lr.REASON_UNCLOSED_QUOTE, t.quote_rows)
    if t.rows_read == 0:
        fr.error = f"{t.source} bevat alleen een kopregel en geen regels met leerlingen. Controleer of de export de goede groep en periode bevat."
    else:
        reasons = "; ".join(f"{reason}: {n} regel(s)" for reason, n in fr.set_aside.items() if n)
        fr.error = (
            f"{t.source}: geen enkele regel onder de kopregel kon worden gelezen ({reasons or 'reden onbekend'}). "
            "Maak de export opnieuw en lees hem daarna in."
        )
    return fr


def _open_tables(files: list[Path], mapping: Mapping | None) -> list:
    """Per file, in order: a FileReport (could not be read) or (table, context or FileReport, notes)."""
    out: list = []
    for path in files:
        try:
            tables, notes = read_tables(path, mapping.headers if mapping is not None else frozenset())
        except ReadError as exc:
            out.append(FileReport(source=path.name, error=exc.message))
            continue
        except (OSError, MemoryError) as exc:  # pragma: no cover - disk trouble
            out.append(
                FileReport(source=path.name, error=f"Het bestand {path.name} kon niet worden gelezen ({type(exc).__name__}).")
            )
            continue
        for t in tables:
            if len(t.rows) == 0:
                out.append(_nothing_to_read(t))
                continue
            try:
                ctx = open_table(t, mapping=mapping)
            except ReadError as exc:
                out.append(FileReport(source=t.source, error=exc.message))
                continue
            out.append((t, ctx, notes))
            notes = []
    return out


def _default_school(opened: list, school: str | None, pseudonymiser: Pseudonymiser) -> tuple[str | None, str]:
    """The school of the tables that name none, and the Dutch note that says how it was chosen.

    A pupil is a school plus a number.  The ``school`` argument wins; else the one school
    the other files name; else the one school the key file knows; else the tables are one
    school without a name (then files of several schools must each name theirs).
    """
    if school:
        return school, f"dit bestand noemt geen school: de leerlingen zijn gelezen als leerlingen van {school} (opgegeven school)"
    named = {s for e in opened if isinstance(e, tuple) for s in named_schools(e[1])}
    if len(named) == 1:
        (only,) = named
        return (
            only,
            f"dit bestand noemt geen school: de leerlingen zijn gelezen als leerlingen van {only} (de enige school in deze bestanden)",
        )
    known = pseudonymiser.known_schools() if not named else set()
    if len(known) == 1:
        (only,) = known
        return (
            only,
            f"dit bestand noemt geen school: de leerlingen zijn gelezen als leerlingen van {only} (de enige school in het sleutelbestand)",
        )
    more = (
        f" De andere bestanden noemen {len(named)} scholen; een leerling is een school plus een leerlingnummer, "
        "dus geef de school op (met --school, of als vaste waarde 'school' in een koppelbestand)."
        if named
        else ""
    )
    return None, "dit bestand noemt geen school: alle leerlingen zijn gelezen als leerlingen van één school." + more


def _read(paths, pseudonymiser: Pseudonymiser, mapping: Mapping | None, school: str | None) -> Dataset:
    files, skipped = discover(paths)
    opened = _open_tables(files, mapping)
    n_rows = sum(e[0].table.num_rows for e in opened if not isinstance(e, FileReport))
    with threads.quick_switching(n_rows):
        return _clean(paths, files, skipped, opened, pseudonymiser, school)


def _clean(paths, files, skipped, opened, pseudonymiser: Pseudonymiser, school: str | None) -> Dataset:
    """The opened tables cleaned into one Dataset (canonical scores and pupils, the load report)."""
    registry = PupilRegistry(pseudonymiser)
    default, default_note = _default_school(opened, school, pseudonymiser)
    pseudonymiser.school = default  # also for the interventions read after these files
    entries: list[FileReport | Parsed] = []
    for e in opened:
        if isinstance(e, FileReport):
            entries.append(e)
            continue
        t, ctx, notes = e
        unnamed = not named_schools(ctx)
        ctx.school = default
        try:
            p = process_table(t, registry, ctx=ctx)
        except ReadError as exc:
            entries.append(FileReport(source=t.source, error=exc.message))
            continue
        p.notes = notes + p.notes + ([default_note] if unnamed else [])  # what the file says first
        entries.append(p)
    parsed = [e for e in entries if isinstance(e, Parsed)]
    _resolve_names(parsed, registry)
    for p in parsed:  # the cells' text is not needed any more: free it before the frames are built
        p.raw.table, p.numbered_names = p.raw.table.schema.empty_table(), None
    _mark_no_pupil(parsed)
    pupils_ahead = _PupilsAhead(parsed, registry)
    scores, positions = _scores_frame(parsed, registry)
    scores = _validated_without_duplicates(scores, positions, parsed)
    report = LoadReport()
    loaded_rows: list[np.ndarray] = []
    for e in entries:
        if isinstance(e, Parsed):
            report.add(_file_report(e))
            loaded_rows.append(_loaded_rows(e))
        else:
            report.add(e)
    for fr in skipped:
        report.add(fr)
    if not parsed:
        errors = [f for f in report.files if f.error]
        if not files and not errors:
            where = ", ".join(str(p) for p in _as_list(paths)) or "(geen pad opgegeven)"
            raise ReadError(
                f"Geen exportbestanden gevonden in {where}. Zet de CSV- of Excel-exports (.csv, .xlsx) uit het "
                "leerlingvolgsysteem in deze map, of geef de bestanden zelf op."
            )
        lines = "\n".join(f"- {f.error}" for f in errors)
        raise ReadError(
            "Geen enkel bestand kon worden ingelezen.\n" + lines + "\n"
            "Wat nu: los de genoemde problemen op (of maak een koppelbestand) en lees de bestanden opnieuw in.",
            report=report,
        )
    pupils = pupils_ahead.frame(loaded_rows)
    scores = scores[list(schema.SCORE_COLUMNS)]
    ds = Dataset(scores=scores, pupils=pupils, report=report)
    if pseudonymiser.keeps_lookup:
        ds.key_fingerprint, ds.key_created = pseudonymiser.fingerprint, pseudonymiser.created_key
    # the tables are built in the canonical dtypes: nothing to coerce (the scores are validated above)
    schema.PUPILS_EXACT.validate(ds.pupils, inplace=True)
    pseudonymiser.save()  # the local look-up in the key file (for plgdata zoek / privacycheck)
    return ds


def read_scores(paths, *, key_file=None, secret: bytes | None = None, mapping=None, school: str | None = None) -> Dataset:
    """Read LVS exports (CSV/XLSX; Cito/LiB, IEP, Boom, or any table with a mapping) into a Dataset.

    Parameters
    ----------
    paths : path or list of paths
        Files and/or directories (all ``*.csv``/``*.xlsx`` result files in them are read;
        intervention and participation files are skipped with a note).
    key_file : path, optional
        The school's key file for pseudonyms (see :mod:`plgdata.io.pseudonyms`).
    secret : bytes, optional
        The secret itself (tests); overrides ``key_file``.
    mapping : path or dict, optional
        A mapping file (YAML) or dict naming which column holds which field.
    school : str, optional
        School name for files that do not name the school.

    Returns
    -------
    Dataset
        ``scores`` and ``pupils`` in the canonical schema (validated) and ``report``.

    Raises
    ------
    ReadError
        When no file at all could be read (Dutch message that says what to do).

    Notes
    -----
    Every data row below a header is either loaded or set aside with a Dutch
    reason, so ``rows_read == rows_loaded + rows_set_aside`` per file and in total.
    The same result (pupil, subject, scale, moment, date, score) read twice is
    loaded once.
    """
    p = Pseudonymiser(key_file, secret=secret)
    return _read(paths, p, load_mapping(mapping), school)


def _find_interventions(paths) -> Path | None:
    for p in _as_list(paths):
        d = p if p.is_dir() else None
        if d is None:
            continue
        for name in ("interventies.xlsx", "interventies.csv"):
            if (d / name).exists():
                return d / name
    return None


def load(
    paths, *, interventions=None, key_file=None, secret: bytes | None = None, mapping=None, school: str | None = None
) -> Dataset:
    """:func:`read_scores`, then the interventions file (given, or found as ``interventies.xlsx/.csv``).

    Pass ``interventions=False`` to skip interventions.
    """
    p = Pseudonymiser(key_file, secret=secret)
    ds = _read(paths, p, load_mapping(mapping), school)
    path = _find_interventions(paths) if interventions is None else (None if interventions is False else Path(interventions))
    if path is None:
        return ds
    try:
        from plgdata.io.interventions import read_interventions
    except ImportError:
        fr = FileReport(source=path.name, kind="interventies")
        fr.notes.append("interventies niet ingelezen: de module plgdata.io.interventions ontbreekt")
        ds.report.add(fr)
        return ds
    inter, part, reports = read_interventions(path, pseudonymiser=p)
    p.save()
    ds.interventions = inter
    ds.participation = part
    read_now = {fr.source.split(":")[0] for fr in reports}
    ds.report.files = [f for f in ds.report.files if not (f.kind == "overgeslagen" and f.source in read_now)]
    for fr in reports:
        ds.report.add(fr)
    return ds
