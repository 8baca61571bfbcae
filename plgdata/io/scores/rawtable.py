"""The intermediate every file format is turned into before cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa


@dataclass
class RawTable:
    """One table of an export as text cells, with the row number of each row.

    Attributes
    ----------
    source : str
        Name shown in the load report and stored in ``scores.source_file``
        (file name, or ``file.xlsx:Sheet`` for a workbook sheet).
    file_name : str
        The file name without a path.
    headers : list of str
        Unique column names (the file's header, de-duplicated).
    table : pyarrow.Table
        All columns as strings, empty cells as ``""`` (never null).
    rows : numpy.ndarray
        1-based row number in the file (or sheet) of each table row.
    bad_rows : list of int
        Rows that could not be split into the header's columns.
    quote_rows : list of int
        Rows whose quoted field does not close on the row itself (set aside whole:
        no text of them becomes a cell).
    title : str
        Text of the rows above the header (may name the test, school, year).
    sheet : str or None
        Sheet name for workbooks.
    notes : list of str
        Dutch remarks made while reading (encoding, header rows ...).
    folded_rows, folded_into : numpy.ndarray
        Rows folded into another row (one result spread over several rows, see
        :mod:`plgdata.io.scores.spread`) and the index of the table row each went into: they count
        as loaded when that row's result is.
    folded_aside : dict of str to list of int
        Rows set aside while folding, by Dutch reason (the rows of a result with two different
        values for one field; a row naming a field plgdata does not know).
    """

    source: str
    file_name: str
    headers: list[str]
    table: pa.Table
    rows: np.ndarray
    bad_rows: list[int] = field(default_factory=list)
    quote_rows: list[int] = field(default_factory=list)
    title: str = ""
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)
    encoding: str | None = None  # set when the columns are binary in a single-byte encoding
    folded_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    folded_into: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    folded_aside: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        aside = sum(len(r) for r in self.folded_aside.values())
        return int(len(self.rows) + len(self.bad_rows) + len(self.quote_rows) + len(self.folded_rows) + aside)
