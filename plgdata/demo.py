"""The main job: the whole sample cycle on the sample school (``plgdata demo``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class DemoResult:
    """What the demo did: the load report, the quality findings and the files written."""

    data_dir: Path
    out_dir: Path
    report: object
    findings: pd.DataFrame
    written: list[Path] = field(default_factory=list)

    def to_text(self) -> str:
        from .quality import findings_to_text

        lines = [
            f"Voorbeeldschool ingelezen uit {self.data_dir}",
            self.report.to_text(),
            "",
            "Datakwaliteit (stap 4)",
            findings_to_text(self.findings),
        ]
        if self.written:
            lines += ["", f"Geschreven in {self.out_dir}:"] + [f"- {p.name}" for p in self.written]
        return "\n".join(lines)


def run_demo(data_dir: Path, out_dir: Path) -> DemoResult:
    """Read the sample school, check its quality and write what exists of the reports."""
    from .quality import check_quality
    from .readers import load

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ds = load([data_dir])
    findings = check_quality(ds)
    written = []
    summary = out_dir / "datakwaliteit.csv"
    findings.assign(examples=findings["examples"].map("; ".join)).to_csv(summary, sep=";", index=False, encoding="utf-8-sig")
    written.append(summary)
    return DemoResult(data_dir, out_dir, ds.report, findings, written)
