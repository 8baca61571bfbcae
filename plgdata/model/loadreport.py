"""The load report: every row read is either loaded or set aside with a Dutch reason.

``rows_read == rows_loaded + rows_set_aside`` holds per file and in total; the
:class:`LoadReport` refuses to be built otherwise (see :meth:`FileReport.check`).
Examples name the file and row number only, never a pupil.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: Dutch reasons a row is set aside (one vocabulary for every reader)
REASON_NO_RESULT = "geen resultaat (leeg, afw, ziek, n.v.t. of -)"
REASON_SUMMARY = "samenvattingsregel (bijv. Groepsgemiddelde, Aantal leerlingen)"
REASON_EMPTY = "lege regel"
REASON_NO_PUPIL = "geen leerlingnummer en geen naam"
REASON_BAD_SCORE = "score is geen getal"
REASON_BAD_DATE = "datum niet te lezen"
REASON_NO_SUBJECT = "vak onbekend of ontbreekt"
REASON_DUPLICATE = "dubbel resultaat (zelfde leerling, toets, moment en score al ingelezen)"
REASON_BAD_GROEP = "groep niet te lezen (verwacht 1 t/m 8)"
REASON_BAD_ROW = "regel heeft een ander aantal kolommen dan de kop"
REASON_UNCLOSED_QUOTE = "aanhalingsteken niet gesloten"
REASON_BAD_LEVEL = "niveau niet te lezen"
REASON_BAD_PERCENTILE = "percentiel buiten 0-100"
REASON_REPEATED_HEADER = "herhaalde kopregel"
REASON_CONFLICT = (
    "tegenstrijdige waarden: twee verschillende waarden voor hetzelfde gegeven van één resultaat (leerling, toets en moment)"
)
REASON_UNKNOWN_FIELD = "soort gegeven onbekend (een regel per gegeven: plgdata kent dit gegeven niet)"
REASON_UNKNOWN_INTERVENTION = "interventie onbekend"

#: how notes the quality check turns into findings begin (one wording for reader and check)
NOTE_SCALE_ASSUMED = "geen toetsversie vermeld"
NOTE_TWO_NAMES = "leerlingnummer bij twee verschillende namen"


@dataclass
class FileReport:
    """Counts for one file (or one sheet of a workbook)."""

    source: str
    kind: str = ""  # e.g. "Cito (lang)", "IEP", "Boom", "interventies"
    rows_read: int = 0
    rows_loaded: int = 0
    set_aside: Counter = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # a Dutch message when the file could not be read at all

    @property
    def rows_set_aside(self) -> int:
        return int(sum(self.set_aside.values()))

    def add_set_aside(self, reason: str, rows, max_examples: int = 5) -> None:
        """Record rows (1-based row numbers) set aside for ``reason``."""
        rows = list(rows)
        if not rows:
            return
        self.set_aside[reason] += len(rows)
        ex = self.examples.setdefault(reason, [])
        ex.extend(int(r) for r in rows[: max(0, max_examples - len(ex))])

    def check(self) -> None:
        if self.rows_read != self.rows_loaded + self.rows_set_aside:
            raise AssertionError(
                f"telregel geschonden voor {self.source}: {self.rows_read} gelezen, "
                f"{self.rows_loaded} ingelezen, {self.rows_set_aside} apart gezet"
            )

    def to_dict(self) -> dict:
        return {
            "bestand": self.source,
            "soort": self.kind,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_set_aside": self.rows_set_aside,
            "set_aside_reasons": dict(self.set_aside),
            "voorbeelden": {k: list(v) for k, v in self.examples.items()},
            "opmerkingen": list(self.notes),
            "fout": self.error,
        }


@dataclass
class LoadReport:
    """The load report over all files read in one call."""

    files: list[FileReport] = field(default_factory=list)

    def add(self, report: FileReport) -> FileReport:
        report.check()
        self.files.append(report)
        return report

    def extend(self, other: LoadReport) -> None:
        for f in other.files:
            self.add(f)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_set_aside(self) -> int:
        return sum(f.rows_set_aside for f in self.files)

    @property
    def set_aside_reasons(self) -> dict[str, int]:
        total: Counter = Counter()
        for f in self.files:
            total.update(f.set_aside)
        return dict(total)

    @property
    def errors(self) -> list[str]:
        return [f"{f.source}: {f.error}" for f in self.files if f.error]

    def to_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_set_aside": self.rows_set_aside,
            "set_aside_reasons": self.set_aside_reasons,
            "bestanden": [f.to_dict() for f in self.files],
        }

    def to_frame(self):
        """One row per file plus a total row, with Dutch column labels."""
        import pandas as pd

        rows = [
            {
                "Bestand": f.source,
                "Soort": f.kind,
                "Gelezen": f.rows_read,
                "Ingelezen": f.rows_loaded,
                "Apart gezet": f.rows_set_aside,
            }
            for f in self.files
        ]
        rows.append(
            {
                "Bestand": "Totaal",
                "Soort": "",
                "Gelezen": self.rows_read,
                "Ingelezen": self.rows_loaded,
                "Apart gezet": self.rows_set_aside,
            }
        )
        return pd.DataFrame(rows)

    def to_text(self) -> str:
        """The report as Dutch text for the command line."""
        lines = [f"Gelezen: {self.rows_read} regels; ingelezen: {self.rows_loaded}; apart gezet: {self.rows_set_aside}."]
        for f in self.files:
            status = (
                f"FOUT: {f.error}"
                if f.error
                else f"{f.rows_read} gelezen, {f.rows_loaded} ingelezen, {f.rows_set_aside} apart gezet"
            )
            lines.append(f"- {f.source}" + (f" ({f.kind})" if f.kind else "") + f": {status}")
            for reason, count in f.set_aside.most_common():
                ex = ", ".join(str(r) for r in f.examples.get(reason, []))
                lines.append(f"    {count} x {reason}" + (f" (bijv. regel {ex})" if ex else ""))
            for note in f.notes:
                lines.append(f"    let op: {note}")
        return "\n".join(lines)


# reasons used by the interventions reader (plgdata.io.interventions)
REASON_EXAMPLE_ROW = "voorbeeldregel uit het sjabloon (ID begint met VOORBEELD)"
REASON_NO_INTERVENTION_ID = "geen interventie-ID"
REASON_NO_INTERVENTION_NAME = "naam van de interventie ontbreekt"
REASON_DUPLICATE_INTERVENTION = "interventie-ID komt meer dan één keer voor (eerste regel ingelezen)"
REASON_END_BEFORE_START = "einddatum ligt voor de startdatum"
REASON_NO_PUPIL_NUMBER = "geen leerlingnummer"
REASON_NUMBER_AT_TWO_SCHOOLS = (
    "leerlingnummer komt bij meer dan één school voor (een leerling is een school plus een nummer): zet de school erbij"
)
REASON_DUPLICATE_PARTICIPATION = "leerling staat al bij deze interventie met dezelfde startdatum"


def report_from_dict(data: dict) -> LoadReport:
    """Rebuild a :class:`LoadReport` from :meth:`LoadReport.to_dict` output."""
    rep = LoadReport()
    for f in data.get("bestanden", []):
        fr = FileReport(
            source=f["bestand"],
            kind=f.get("soort", ""),
            rows_read=f["rows_read"],
            rows_loaded=f["rows_loaded"],
            set_aside=Counter(f.get("set_aside_reasons", {})),
            examples={k: list(v) for k, v in f.get("voorbeelden", {}).items()},
            notes=list(f.get("opmerkingen", [])),
            error=f.get("fout"),
        )
        rep.add(fr)
    return rep
