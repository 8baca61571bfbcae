"""Every error plgdata raises for a teacher reaches the command line as its Dutch message.

Issue 21 item 9: an interventions file refused with a clear Dutch message printed "Er ging iets
mis dat plgdata niet verwachtte (InterventionFileError)", because most exception classes had no
common base.  Every user-facing exception class now derives from
:class:`plgdata.model.errors.PlgdataError`; these tests find every exception class the package
defines and push each through the CLI.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from faults.helpers import CITO, run_cli

import plgdata
from plgdata import cli
from plgdata.model.errors import PlgdataError

UNEXPECTED = "plgdata niet verwachtte"


def _exception_classes() -> list[type[BaseException]]:
    """Every exception class (not warning) defined in a plgdata module, imported fresh."""
    found = {}
    for info in pkgutil.walk_packages(plgdata.__path__, "plgdata."):
        if ".notebooks" in info.name or ".sample.voorbeeldschool" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Exception) and not issubclass(obj, Warning) and obj.__module__.startswith("plgdata."):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


CLASSES = _exception_classes()


def test_the_package_defines_its_error_classes():
    names = {c.__name__ for c in CLASSES}
    assert {"InterventionFileError", "ReadError", "CycleError", "SignaleringError", "FolderBusy"} <= names
    assert len(CLASSES) >= 14


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_has_the_dutch_base(cls):
    assert issubclass(cls, PlgdataError), f"{cls.__module__}.{cls.__name__} does not derive from PlgdataError"


def _make(cls, message: str):
    """An instance of ``cls`` carrying ``message`` (FolderBusy also takes the folder)."""
    if "folder" in inspect.signature(cls.__init__).parameters:
        return cls(Path("rapporten"), message)
    return cls(message)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_reaches_the_teacher_as_its_dutch_message(cls, monkeypatch):
    message = f"Proefmelding {CLASSES.index(cls)}: kolom 'Groep' ontbreekt in toets.csv."

    def raising(args):
        raise _make(cls, message)

    monkeypatch.setitem(cli.COMMANDS, "zoek", raising)
    code, out, err = run_cli("zoek", "L-0000000000")
    assert code == cli.EXIT_NOTHING_READ
    assert message in err
    assert UNEXPECTED not in err and "Traceback" not in err and cls.__name__ not in err


def test_an_unexpected_error_still_shows_only_its_kind(monkeypatch):
    def raising(args):
        raise KeyError("Jan Jansen 123456")  # the text of a foreign error may hold file contents

    monkeypatch.setitem(cli.COMMANDS, "zoek", raising)
    code, out, err = run_cli("zoek", "L-0000000000")
    assert code == cli.EXIT_NOTHING_READ
    assert UNEXPECTED in err and "(KeyError)" in err and "Jansen" not in err


def test_a_refused_interventions_file_prints_its_own_message(tmp_path):
    """The case from the issue: a real interventions file with unknown columns, through `controleer`."""
    bad = tmp_path / "interventies.csv"
    bad.write_text("Wat;Wanneer\nRT-groep;maandag\n", encoding="utf-8")
    (tmp_path / "deelname.csv").write_text("Leerling;Wat\nx;y\n", encoding="utf-8")
    code, out, err = run_cli("controleer", "--sleutel", tmp_path / "k.key", "--interventies", bad, CITO)
    assert code == cli.EXIT_NOTHING_READ
    assert "zijn niet herkend" in err and "Gevonden kolommen: Wat, Wanneer" in err
    assert UNEXPECTED not in err and "InterventionFileError" not in err


def test_a_refused_signaleringswaarden_table_in_a_report_kernel_keeps_its_dutch_reason():
    """A report notebook that stops on plgdata's own error names the Dutch reason, not only the class."""
    from plgdata.reporting.render import ReportJob, _cell_failure

    job = ReportJob(Path("opbrengsten.ipynb"), Path("uit.html"), "Opbrengsten")
    own = SimpleNamespace(ename="SignaleringError", evalue="In regel 3 staat bij Rekenen '120%': dat is geen percentage.")
    assert "In regel 3 staat bij Rekenen '120%': dat is geen percentage" in _cell_failure(job, own)
    foreign = SimpleNamespace(ename="KeyError", evalue="'Jan Jansen'")
    text = _cell_failure(job, foreign)
    assert "liep vast (KeyError)" in text and "Jansen" not in text
