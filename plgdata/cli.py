"""The ``plgdata`` command line, in Dutch.

Every command returns an exit code; no traceback ever reaches the user (set
``PLGDATA_DEBUG=1`` to see one while developing).  Output never contains a pupil name
or number: everything printed comes from the canonical tables, the load report or
the quality findings, which hold pseudonyms only.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from plgdata.startup import skip_slow_imports

# argparse's own words, in Dutch (argparse looks these up through its module-level ``_``)
_ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "verwacht één waarde",
    "not allowed with argument %s": "mag niet samen met %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}


@contextmanager
def _dutch_argparse():
    """argparse's words in Dutch while our parser is built and used, and only then."""
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: _ARGPARSE_NL.get(text, text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2


class DutchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\nTyp '{self.prog} --help' voor uitleg.\n")


def _add_indicator_parsers(sub) -> None:
    """``plgdata indicator``, ``samenvatting`` and ``bestuur``: the Inspectie indicator and the board's view."""
    ind = sub.add_parser("indicator", help="de referentieniveau-indicator van de Inspectie (1F en 1S/2F over drie jaar)")
    ind.add_argument("files", nargs="+", metavar="BESTAND", help="doorstroomtoets-uitslagen, een lange tabel of LVS-exports")
    sw = ind.add_mutually_exclusive_group()
    sw.add_argument(
        "--schoolweging",
        type=_dutch_float,
        action="append",
        metavar="X",
        help="schoolweging van je school (gemiddelde van drie jaar, bijv. 31,47; of drie keer voor drie jaren)",
    )
    sw.add_argument(
        "--signaleringswaarde",
        type=_dutch_float,
        metavar="Y",
        help="signaleringswaarde 1S/2F van je Inspectie-pagina, bijv. 43,5",
    )
    ind.add_argument("--inspectiebestand", metavar="PAD", help="open-databestand van de Inspectie om mee te vergelijken")
    ind.add_argument(
        "--brin",
        metavar="CODE",
        help="BRIN-code van je school (bijv. 00AP): haar rij in het inspectiebestand, haar leerlingen in een bestand met meer scholen",
    )
    ind.add_argument("--ambitie", type=_dutch_float, metavar="PCT", help="eigen ambitie voor 1S/2F (bijv. 55)")
    ind.add_argument("--json", action="store_true", help="uitvoer als JSON (voor andere programma's)")
    ind.add_argument("--sleutel", metavar="PAD", help="sleutelbestand voor de pseudoniemen")
    sa = sub.add_parser("samenvatting", help="schrijf de samenvatting van je school voor het bestuur (zonder leerlinggegevens)")
    sa.add_argument("files", nargs="+", metavar="BESTAND", help="exportbestanden, doorstroomtoets-uitslagen of mappen")
    sa.add_argument(
        "--uit", required=True, metavar="PAD", help="waar de samenvatting komt (JSON), bijv. samenvatting_school.json"
    )
    sa.add_argument("--school", required=True, metavar="NAAM", help="naam van de school zoals het bestuur hem leest")
    sw2 = sa.add_mutually_exclusive_group()
    sw2.add_argument("--schoolweging", type=_dutch_float, action="append", metavar="X", help="schoolweging (bijv. 31,47)")
    sw2.add_argument("--signaleringswaarde", type=_dutch_float, metavar="Y", help="signaleringswaarde 1S/2F (bijv. 43,5)")
    sa.add_argument("--interventies", metavar="PAD", help="ingevuld interventiesjabloon (Excel of CSV)")
    sa.add_argument("--min-n", type=int, default=5, metavar="N", help="geen cijfers voor groepen kleiner dan N (standaard 5)")
    sa.add_argument("--sleutel", metavar="PAD", help="sleutelbestand voor de pseudoniemen")
    bs = sub.add_parser("bestuur", help="maak het bestuursrapport uit de samenvattingen van de scholen")
    bs.add_argument("files", nargs="+", metavar="SAMENVATTING", help="samenvattingen (JSON) van 'plgdata samenvatting'")
    bs.add_argument("--out", default="reports/bestuursrapport.html", metavar="PAD", help="het rapport (HTML)")


def _parser() -> argparse.ArgumentParser:
    p = DutchArgumentParser(
        prog="plgdata",
        description="plgdata: toetsgegevens uit het leerlingvolgsysteem inlezen, controleren en analyseren "
        "voor de datateammethode. Namen en leerlingnummers worden direct vervangen door pseudoniemen.",
    )
    sub = p.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=DutchArgumentParser)

    c = sub.add_parser("controleer", help="lees exportbestanden in en toon het inleesverslag en de datakwaliteit (stap 4)")
    c.add_argument("files", nargs="+", metavar="BESTAND", help="exportbestanden (CSV of Excel) of mappen")
    c.add_argument("--json", action="store_true", help="uitvoer als JSON (voor andere programma's)")
    c.add_argument("--sleutel", metavar="PAD", help="sleutelbestand voor de pseudoniemen (standaard ~/.plgdata/sleutel.key)")
    c.add_argument("--koppeling", metavar="PAD", help="koppelbestand (YAML) dat zegt welke kolom wat is")
    c.add_argument("--interventies", metavar="PAD", help="interventiebestand (Excel of CSV)")
    c.add_argument(
        "--school",
        metavar="NAAM",
        help="school van de bestanden die zelf geen school noemen (een leerling is een school plus een leerlingnummer)",
    )

    s = sub.add_parser("sjabloon", help="schrijf een invulsjabloon")
    s.add_argument("soort", choices=["interventies", "plgscan", "signaleringswaarden"], help="welk sjabloon")
    s.add_argument(
        "pad", metavar="PAD", help="waar het sjabloon komt (bijv. interventies.xlsx, plgscan.xlsx, signaleringswaarden.csv)"
    )

    d = sub.add_parser("demo", help="draai de hele voorbeeldcyclus op de voorbeeldschool en schrijf de rapporten")
    d.add_argument("--out", default="reports", metavar="MAP", help="map voor de rapporten (standaard: reports)")
    d.add_argument("--data", default=None, metavar="MAP", help="map met de voorbeeldgegevens (standaard: data/sample)")
    r = sub.add_parser("rapport", help="maak de rapporten voor de teamvergadering van je eigen gegevens")
    r.add_argument("files", nargs="+", metavar="BESTAND", help="exportbestanden (CSV of Excel) of mappen")
    r.add_argument("--interventies", metavar="PAD", help="ingevuld interventiesjabloon (Excel of CSV)")
    r.add_argument("--cyclus", metavar="PAD", action="append", default=[], help="cyclusverslag (YAML); mag vaker")
    r.add_argument("--out", default="reports", metavar="MAP", help="map voor de rapporten (standaard: reports)")
    r.add_argument("--sleutel", metavar="PAD", help="sleutelbestand voor de pseudoniemen")
    r.add_argument("--koppeling", metavar="PAD", help="koppelbestand (YAML) dat zegt welke kolom wat is")
    r.add_argument(
        "--school",
        metavar="NAAM",
        help="school van de bestanden die zelf geen school noemen (een leerling is een school plus een leerlingnummer)",
    )
    r.add_argument("--min-n", type=int, default=5, metavar="N", help="geen cijfers voor groepen kleiner dan N (standaard 5)")
    r.add_argument(
        "--tijdslimiet",
        type=int,
        default=300,
        metavar="SECONDEN",
        help="hoe lang één rapport mag duren voordat het wordt gestopt (standaard 300)",
    )
    r.add_argument(
        "--signaleringswaarde-2f",
        type=float,
        default=None,
        metavar="AANDEEL",
        help="de signaleringswaarde 2F/1S van je school, bijv. 0.55",
    )
    r.add_argument("--signaleringswaarden", metavar="PAD", help="ingevulde tabel signaleringswaarden 2F/1S per vak (CSV)")
    r.add_argument("--plgscan", metavar="PAD", help="ingevulde PLG-scan (Excel)")
    r.add_argument(
        "--met-namen",
        action="store_true",
        help="ook een groepsoverzicht met namen per groep, alleen voor de eigen leerkracht, in MAP/vertrouwelijk/ "
        "(niet in index.html; niet delen)",
    )

    _add_indicator_parsers(sub)
    pc = sub.add_parser("privacycheck", help="controleer rapporten op verwijzingen naar internet, scripts en leerlinggegevens")
    pc.add_argument("files", nargs="+", metavar="RAPPORT", help="HTML- of Excel-rapporten, of een map met rapporten")
    pc.add_argument("--sleutel", metavar="PAD", help="sleutelbestand met de namen en nummers om naar te zoeken")

    _app_parser(sub)
    lb = sub.add_parser("lab", help="start JupyterLab (in het Nederlands) in de map met notebooks")
    lb.add_argument("--map", default=None, metavar="MAP", help="map met notebooks (standaard: notebooks/ hier)")
    lb.add_argument("--poort", type=int, default=8888, metavar="N", help="poort op deze computer (standaard 8888)")

    z = sub.add_parser("zoek", help="zoek de leerling achter een pseudoniem (alleen voor de IB'er, op deze computer)")
    z.add_argument("pseudoniemen", nargs="+", metavar="PSEUDONIEM", help="bijv. L-3fa2b1c4d5")
    z.add_argument("--sleutel", metavar="PAD", help="sleutelbestand (standaard ~/.plgdata/sleutel.key)")
    return p


def _printable(text: str) -> str:
    """``text`` without the surrogates of a file name that is no UTF-8 (they cannot be printed)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _dutch_float(text: str) -> float:
    """``'31,47'`` or ``'31.47'`` or ``'43,5%'`` -> float (argparse type; Dutch error)."""
    try:
        return float(str(text).strip().rstrip("%").replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen getal (schrijf bijvoorbeeld 31,47)") from None


def _app_parser(sub) -> None:
    from plgdata.app_pages import APP_CYCLE, APP_WORKDIR

    a = sub.add_parser("app", help="open de datateamcyclus als webpagina zonder code (alleen op deze computer)")
    a.add_argument("--data", default=None, metavar="MAP", help="map met de exports (standaard: de voorbeeldschool)")
    a.add_argument(
        "--interventies", metavar="PAD", help="ingevuld interventiesjabloon (standaard: interventies.xlsx in de datamap)"
    )
    a.add_argument(
        "--werkmap",
        default=APP_WORKDIR,
        metavar="MAP",
        help=f"waar de ingelezen gegevens komen (standaard {APP_WORKDIR}, als de notebooks)",
    )
    a.add_argument(
        "--cyclus",
        default=APP_CYCLE,
        metavar="PAD",
        help=f"het cyclusverslag (YAML; standaard {APP_CYCLE}, hetzelfde als de notebooks)",
    )
    a.add_argument("--sleutel", metavar="PAD", help="sleutelbestand voor de pseudoniemen")
    a.add_argument(
        "--rapporten",
        default="reports",
        metavar="MAP",
        help="map voor de rapporten die 'Maak het rapport' maakt (standaard: reports, als plgdata rapport)",
    )
    for option, name in (
        ("actieonderzoek", "actieonderzoek.yaml"),
        ("lessonstudy", "lessonstudy.yaml"),
        ("jaarplan", "jaarplan.yaml"),
    ):
        a.add_argument(f"--{option}", metavar="PAD", help=f"verslag van {option} (standaard: {name} naast het cyclusverslag)")
    a.add_argument("--poort", type=int, default=8866, metavar="N", help="poort op deze computer (standaard 8866)")
    a.add_argument("--geen-browser", action="store_true", help="open geen browser")


def _print(text: str = "") -> None:
    sys.stdout.write(_printable(text) + "\n")


def _err(text: str) -> None:
    sys.stderr.write(_printable(text) + "\n")


class ReportProgress:
    """Says each report as it finishes: one line per report, and a tqdm bar when stdout is a terminal.

    Called as ``progress(job, message)`` (``message`` is ``None`` for a report written, else the
    Dutch reason it was not made); ``expect(n)`` sets how many reports are coming.
    """

    def __init__(self, total: int = 0, stream=None):
        self.stream = stream or sys.stdout
        self.total, self.n = total, 0
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total or None, desc="Rapporten", unit="rapport", file=self.stream, leave=False)

    def expect(self, total: int) -> None:
        self.total = total
        if self.bar is not None:
            self.bar.total = total
            self.bar.refresh()

    def __call__(self, job, message: str | None) -> None:
        self.n += 1
        count = f"{self.n}/{self.total}" if self.total else str(self.n)
        self.step(f"[{count}] {'klaar' if message is None else 'niet gemaakt'}: {job.title} ({job.out_html.name})")
        if self.bar is not None:
            self.bar.update()

    def step(self, text: str) -> None:
        """One line now (above the bar in a terminal)."""
        if self.bar is not None:
            self.bar.write("  " + text, file=self.stream)
        else:
            self.stream.write("  " + text + "\n")
            self.stream.flush()  # piped or in a log: the line shows now, not when the command ends

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _warn_new_key(ds, key_file) -> None:
    """Say loudly that a new key was made: every pseudonym then differs from earlier work."""
    from plgdata.io.pseudonyms import key_file_path, restore_hint

    if ds.key_created:
        _err(
            f"LET OP: er was geen sleutelbestand op {key_file_path(key_file)}; plgdata heeft een nieuwe sleutel gemaakt. "
            "Werk je voor het eerst met plgdata op deze computer, dan is dat goed. Heb je eerder met plgdata gewerkt, "
            "dan krijgen alle leerlingen nu andere pseudoniemen en past eerder werk er niet meer bij. " + restore_hint()
        )


def _preview(args):
    """ "Zo heeft plgdata je bestand gelezen" for the files of ``controleer`` (None when the mapping is unreadable)."""
    from plgdata.io.scores import ReadError
    from plgdata.io.scores.preview import read_preview

    try:
        return read_preview(args.files, mapping=args.koppeling)
    except ReadError:
        return None


def cmd_controleer(args) -> int:
    from plgdata.analysis.quality import check_quality, findings_to_text
    from plgdata.io.scores import ReadError, load
    from plgdata.io.scores.preview import preview_text

    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        _err(f"Bestand of map niet gevonden: {', '.join(missing)}. Controleer het pad en probeer het opnieuw.")
        return EXIT_NOTHING_READ
    try:
        ds = load(args.files, interventions=args.interventies, key_file=args.sleutel, mapping=args.koppeling, school=args.school)
    except ReadError as exc:
        _err(exc.message)
        preview = _preview(args)
        if args.json:  # a program reading the output still gets JSON: the error and what was tried
            out = exc.report.to_dict() if exc.report is not None else {"rows_read": 0, "rows_loaded": 0, "rows_set_aside": 0}
            out["fout"] = exc.message
            out["gelezen_als"] = preview.to_dict(orient="records") if preview is not None else []
            _print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        elif preview is not None and (preview["Kolom"] != "—").any():  # columns to correct: show how they were read
            _print(preview_text(preview))
        return EXIT_NOTHING_READ
    _warn_new_key(ds, args.sleutel)
    findings = check_quality(ds)
    preview = _preview(args)
    if args.json:
        out = ds.report.to_dict()
        out["findings"] = findings.to_dict(orient="records")
        out["gelezen_als"] = preview.to_dict(orient="records") if preview is not None else []
        _print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print("Inleesverslag")
        _print("=============")
        _print(ds.report.to_text())
        _print("")
        if preview is not None and len(preview):
            _print(preview_text(preview))
            _print("")
        _print("Datakwaliteit (stap 4)")
        _print("======================")
        _print(findings_to_text(findings))
    return EXIT_OK if ds.report.rows_loaded > 0 else EXIT_NOTHING_READ


def cmd_sjabloon(args) -> int:
    import shutil

    from plgdata.io.interventions import write_intervention_template
    from plgdata.io.plgscan import write_plg_scan_template
    from plgdata.io.signalering import TEMPLATE_PATH

    if args.soort == "signaleringswaarden":
        Path(args.pad).parent.mkdir(parents=True, exist_ok=True)
        path = shutil.copyfile(TEMPLATE_PATH, args.pad)
        how = "Zoek op de pagina van je school bij de Inspectie de signaleringswaarde 1S/2F op (één waarde, bij de schoolweging) en vul die in."
    elif args.soort == "plgscan":
        path = write_plg_scan_template(args.pad)
        how = "Elke leerkracht vult één regel in op het tabblad 'Antwoorden' (anoniem, een code); het tabblad 'Uitleg' zegt hoe."
    else:
        path = write_intervention_template(args.pad)
        how = "Vul het tabblad 'Interventies' en 'Deelname' in; het tabblad 'Uitleg' zegt hoe."
    _print(f"Sjabloon geschreven: {path}")
    _print(how)
    return EXIT_OK


def _sample_dir(given: str | None) -> Path:
    """The folder the demo reads: ``--data``, else ``data/sample`` here, else the shipped sample."""
    if given:
        return Path(given)
    here = Path.cwd() / "data" / "sample"
    if here.exists():
        return here
    from plgdata.sample import SAMPLE_DIR

    return SAMPLE_DIR


def cmd_demo(args) -> int:
    from plgdata.demo import run_demo

    data = _sample_dir(args.data)
    if not data.exists():
        _err(f"De map met voorbeeldgegevens bestaat niet: {data}. Geef een map op met --data.")
        return EXIT_NOTHING_READ
    _print(f"Voorbeeldcyclus draaien op {data}; de rapporten komen in {Path(args.out).resolve()} ...")
    sys.stdout.flush()
    progress = ReportProgress()
    try:
        result = run_demo(data, Path(args.out), progress=progress)
    finally:
        progress.close()
    _print(result.to_text())
    return EXIT_NOTHING_READ if result.failed else EXIT_OK


def cmd_rapport(args) -> int:
    from plgdata.cycle import CycleError, load_cycle
    from plgdata.io.scores import ReadError
    from plgdata.reporting import write_index
    from plgdata.reporting.indicator import read_sources
    from plgdata.reporting.jobs import WORK_SUBDIR, remove_old_work_dir, work_dir
    from plgdata.reporting.lock import staged_output

    extra = [f for f in (args.plgscan, args.signaleringswaarden) if f]
    missing = [f for f in list(args.files) + list(args.cyclus) + extra if not Path(f).exists()]
    if missing:
        _err(f"Bestand of map niet gevonden: {', '.join(missing)}. Controleer het pad en probeer het opnieuw.")
        return EXIT_NOTHING_READ
    try:
        # doorstroomtoets lists among the files are kept apart (Dataset.doorstroom): every report counts them
        _, ds, _, _ = read_sources(
            args.files, args.sleutel, interventions=args.interventies, mapping=args.koppeling, school=args.school
        )
        if ds is None:
            raise ReadError("Er staan alleen uitslagen van de doorstroomtoets tussen de bestanden; geef ook de LVS-exports op.")
        for c in args.cyclus:
            load_cycle(c)  # a broken record gives its Dutch message before any report is made
    except (ReadError, CycleError) as exc:
        _err(getattr(exc, "message", str(exc)))
        return EXIT_NOTHING_READ
    _warn_new_key(ds, args.sleutel)
    out = Path(args.out).resolve()
    from plgdata.io.pseudonyms import check_same_key

    check_same_key(work_dir(out) / "gegevens", ds.key_fingerprint)
    if remove_old_work_dir(out):
        _print(f"De oude werkmap met leerlinggegevens in {out / WORK_SUBDIR} is verwijderd: die hoort niet in de gedeelde map.")
    werkmap = ds.save(work_dir(out) / "gegevens")
    with staged_output(out) as stage:  # stopped halfway, the old reports and index stay as they were
        outcome, jobs, confidential = _render_reports(args, ds, werkmap, stage)
        write_index(stage, jobs, failed=[j for j, _ in outcome.failed if j in jobs])
        for j, _ in outcome.failed:  # an earlier run's report (or its workbook) must not stay beside "niet gemaakt"
            for stale in (j.out_html, j.out_html.with_suffix(".xlsx")):
                (out / stale.relative_to(stage)).unlink(missing_ok=True)
    index = out / "index.html"
    for _, message in outcome.failed:
        _err(message)
    if outcome.failed:
        _err(
            f"{len(outcome.failed)} van de {len(jobs) + len(confidential)} rapporten zijn niet gemaakt (zie hierboven); "
            f"de andere {len(outcome.done)} staan klaar. Open {index} in je browser."
        )
        return EXIT_NOTHING_READ
    _print(f"Klaar: {len(outcome.done)} rapporten. Open {index} in je browser.")
    if confidential:
        _print(
            f"Let op: {out / confidential[0].out_html.parent.name} bevat namen. Alleen voor de eigen leerkracht; niet delen "
            "en niet in index.html."
        )
    return EXIT_OK


def _render_reports(args, ds, werkmap: Path, out: Path):
    """Every report of ``rapport`` rendered into ``out``: (outcome, jobs in the index, confidential jobs)."""
    from plgdata.cycle import load_cycle
    from plgdata.reporting import render_all
    from plgdata.reporting.jobs import (
        CYCLE_REPORT_METHODS,
        cycle_report_entry,
        cycle_report_jobs,
        data_report_jobs,
        groepen_of,
        interventions_of,
        leerteam_report_jobs,
    )

    jobs = data_report_jobs(werkmap, out, groepen_of(ds), interventions_of(ds), args.min_n, args.signaleringswaarde_2f)
    records = {c: load_cycle(c) for c in args.cyclus}
    cycles = [cycle_report_entry(c, r.title) for c, r in records.items() if r.method in CYCLE_REPORT_METHODS]
    jobs += cycle_report_jobs(werkmap, out, cycles, args.min_n)
    jobs += leerteam_report_jobs(
        werkmap, out, list(records), signaleringswaarden=args.signaleringswaarden, plgscan=args.plgscan, min_n=args.min_n
    )
    confidential = []
    if args.met_namen:
        from plgdata.reporting.names import confidential_jobs

        confidential = confidential_jobs(werkmap, out, groepen_of(ds), args.sleutel, args.min_n)
    _print(
        f"{len(ds.scores)} resultaten ingelezen; {len(jobs) + len(confidential)} rapporten maken in {Path(args.out).resolve()} ..."
    )
    sys.stdout.flush()
    progress = ReportProgress(len(jobs) + len(confidential))
    try:
        outcome = render_all(jobs + confidential, workers=2, progress=False, timeout=args.tijdslimiet, on_done=progress)
    finally:
        progress.close()
    return outcome, jobs, confidential


def _all_exist(paths) -> bool:
    """True when every path exists; else the Dutch message (the paths only) and False."""
    missing = [str(f) for f in paths if f and not Path(f).exists()]
    if missing:
        _err(f"Bestand of map niet gevonden: {', '.join(missing)}. Controleer het pad en probeer het opnieuw.")
    return not missing


def cmd_indicator(args) -> int:
    from plgdata.reporting.indicator import build_indicator

    if not _all_exist([*args.files, args.inspectiebestand]):
        return EXIT_NOTHING_READ
    report = build_indicator(
        args.files,
        schoolweging=args.schoolweging,
        signaleringswaarde=args.signaleringswaarde,
        inspectiebestand=args.inspectiebestand,
        brin=args.brin,
        ambitie=args.ambitie,
        key_file=args.sleutel,
    )
    _print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) if args.json else report.to_text())
    return EXIT_OK


def cmd_samenvatting(args) -> int:
    from plgdata.reporting.indicator import read_sources
    from plgdata.reporting.samenvatting import school_summary, write_summary

    if not _all_exist([*args.files, args.interventies]):
        return EXIT_NOTHING_READ
    doorstroom, ds, _, _ = read_sources(args.files, args.sleutel, interventions=args.interventies or None)
    summary = school_summary(
        args.school,
        doorstroom=doorstroom,
        ds=ds,
        schoolweging=args.schoolweging,
        signaleringswaarde=args.signaleringswaarde,
        min_n=args.min_n,
    )
    path = write_summary(summary, args.uit)
    _print(f"Samenvatting geschreven: {path} (zonder leerlinggegevens; groepen kleiner dan {args.min_n} zonder cijfers).")
    return EXIT_OK


def cmd_bestuur(args) -> int:
    from plgdata.reporting.bestuur import bestuur_report, write_bestuur_html
    from plgdata.reporting.samenvatting import read_summary

    if not _all_exist(args.files):
        return EXIT_NOTHING_READ
    path = write_bestuur_html(bestuur_report([read_summary(f) for f in args.files]), args.out)
    _print(f"Bestuursrapport geschreven: {path}")
    return EXIT_OK


def cmd_privacycheck(args) -> int:
    from plgdata.reporting.privacy import check_files, short_numbers_note

    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        _err(f"Bestand of map niet gevonden: {', '.join(missing)}. Controleer het pad en probeer het opnieuw.")
        return EXIT_NOTHING_READ
    files = _report_files(args.files)
    if not files:
        _err(f"In {', '.join(args.files)} staan geen bestanden (rapporten of andere) om te controleren.")
        return EXIT_NOTHING_READ
    found = check_files(files, key_file=args.sleutel)
    for f in found:
        _print(f"{f.file}: {f.message}")
    note = short_numbers_note(args.sleutel)
    if note:
        _print(note)
    if found:
        _print(f"Privacycontrole: {len(found)} probleem/problemen gevonden in {len({f.file for f in found})} bestand(en).")
        return 1
    _print(f"Privacycontrole: geen problemen in {len(files)} bestand(en).")
    return EXIT_OK


def _report_files(paths: list[str]) -> list[Path]:
    """Files as given; a folder gives every file in it, hidden ones too (what is not a report is
    checked as text or said to be unchecked, never skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        out += [q for q in sorted(p.rglob("*")) if q.is_file() and q.name != ".plgdata-bezig.lock"]
    return out


def cmd_zoek(args) -> int:
    from plgdata.io.pseudonyms import key_file_path, lookup

    if not key_file_path(args.sleutel).exists():
        _err("Er is nog geen sleutelbestand op deze computer; lees eerst exports in.")
        return EXIT_NOTHING_READ
    _print("Let op: hieronder staan persoonsgegevens. Deel ze niet en zet ze niet in een rapport.")
    code = EXIT_OK
    for p in args.pseudoniemen:
        entry = lookup(p, args.sleutel)
        if entry is None:
            _print(f"{p}: niet gevonden in het sleutelbestand")
            code = EXIT_NOTHING_READ
        else:
            school = f", school {entry['school']}" if entry.get("school") else ""
            _print(f"{p}: leerlingnummer {entry.get('nummer', '-')}, naam {entry.get('naam', '-')}{school}")
    return code


def cmd_app(args) -> int:
    from plgdata.app import AppPaths, run_app

    data = _sample_dir(args.data)
    if not data.exists():
        _err(f"De map met exports bestaat niet: {data}. Geef een map op met --data.")
        return EXIT_NOTHING_READ
    iv = Path(args.interventies) if args.interventies else data / "interventies.xlsx"
    paths = AppPaths(
        data.resolve(),
        iv.resolve() if iv.exists() else None,
        Path(args.werkmap).resolve(),
        Path(args.cyclus).resolve(),
        Path(args.sleutel).resolve() if args.sleutel else None,
        {k: Path(v).resolve() for k in ("actieonderzoek", "lessonstudy", "jaarplan") if (v := getattr(args, k))},
        Path(args.rapporten).resolve(),
    )
    return run_app(paths, port=args.poort, open_browser=not args.geen_browser, say=_print)


def cmd_lab(args) -> int:
    from plgdata.app import run_lab
    from plgdata.reporting.notebooks import NOTEBOOK_DIR

    here = Path.cwd() / "notebooks"
    folder = Path(args.map) if args.map else (here if here.is_dir() else NOTEBOOK_DIR)
    return run_lab(folder.resolve(), port=args.poort, say=_print)


COMMANDS = {
    "controleer": cmd_controleer,
    "sjabloon": cmd_sjabloon,
    "demo": cmd_demo,
    "rapport": cmd_rapport,
    "indicator": cmd_indicator,
    "samenvatting": cmd_samenvatting,
    "bestuur": cmd_bestuur,
    "privacycheck": cmd_privacycheck,
    "zoek": cmd_zoek,
    "app": cmd_app,
    "lab": cmd_lab,
}


#: commands that clear and refill their --out folder: one run at a time per folder
WRITES_OUTPUT_FOLDER = ("demo", "rapport")


#: errors that mean "cannot write here" (a read-only folder, no rights, a full disk)
_NO_WRITE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def _what_changed(args) -> str:
    """What an unexpected error left behind, honestly: commands that write a folder may have written part of it."""
    out = getattr(args, "out", None)
    if args.command in WRITES_OUTPUT_FOLDER and out:
        return f"Je exportbestanden zijn niet veranderd, maar de map {out} kan onvolledig zijn: maak de rapporten opnieuw. "
    if args.command == "sjabloon":
        return "Het sjabloon is mogelijk niet (helemaal) geschreven. "
    return "Er is niets veranderd aan je bestanden. "


def main(argv: list[str] | None = None) -> int:
    skip_slow_imports()
    with _dutch_argparse():
        parser = _parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
    try:
        if getattr(args, "sleutel", None) is not None or args.command in ("controleer", "rapport", "zoek", "privacycheck"):
            from plgdata.io.pseudonyms import loose_key_file_note

            note = loose_key_file_note(getattr(args, "sleutel", None))
            if note:
                _err(note)
        if args.command in WRITES_OUTPUT_FOLDER:
            from plgdata.reporting.lock import output_folder_lock, stop_on_sigterm

            with output_folder_lock(args.out), stop_on_sigterm():
                return COMMANDS[args.command](args)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _err("Afgebroken.")
        return 130
    except Exception as exc:  # never a traceback for a teacher
        if os.environ.get("PLGDATA_DEBUG"):
            raise
        from plgdata.model.errors import PlgdataError

        if isinstance(exc, PlgdataError):
            _err(exc.message)  # plgdata's own errors carry a Dutch message without pupil data
            return EXIT_NOTHING_READ
        if isinstance(exc, OSError) and exc.errno in _NO_WRITE:
            where = f" in {Path(exc.filename).parent}" if exc.filename else ""
            _err(
                f"plgdata kon niet schrijven{where}: {os.strerror(exc.errno)} (alleen-lezen, geen schrijfrechten of schijf "
                f"vol). {_what_changed(args)}Kies een map waarin je mag schrijven, of maak ruimte, en probeer het opnieuw."
            )
            return EXIT_NOTHING_READ
        # the exception text may hold file contents, so only its kind is shown
        _err(
            "Er ging iets mis dat plgdata niet verwachtte "
            f"({type(exc).__name__}). {_what_changed(args)}"
            "Probeer het opnieuw of vraag hulp aan de beheerder van plgdata "
            "(zet PLGDATA_DEBUG=1 om details te zien)."
        )
        return EXIT_NOTHING_READ


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
