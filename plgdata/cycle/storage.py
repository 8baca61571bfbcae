"""Reading and writing a cycle file: safe YAML in, atomic YAML out with a backup.

``save_cycle`` never leaves a half-written record behind: the YAML is written to a
temporary file in the same folder, flushed and fsynced; the current file is copied
to ``<naam>.vorige.yaml``; only then does ``os.replace`` put the new file in place
(an atomic rename on POSIX and Windows).  When anything fails on the way, the
temporary file is removed and the previous record is untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from glob import escape as glob_escape
from pathlib import Path

import yaml

from plgdata.cycle.errors import CycleError
from plgdata.cycle.fields import kind_of
from plgdata.cycle.record import Cycle
from plgdata.model.errors import PlgdataError

BACKUP_TAG = ".vorige"
#: a cycle file larger than this is refused before it is parsed
MAX_CYCLE_BYTES = 2 * 1024 * 1024
#: top-level fields :func:`save_cycle` always writes, the last ones last
_WHOLE_RECORD_KEYS = ("stappen", "lussen", "geschiedenis")


class _Refused(PlgdataError):
    """YAML that is valid but refused (aliases); ``message`` is Dutch."""


class _PlainLoader(yaml.SafeLoader):
    """``yaml.safe_load`` without anchors and aliases (``&naam`` / ``*naam``).

    A cycle record never needs them, and nested aliases expand exponentially (a
    "billion laughs" file of a few hundred bytes fills the memory).
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(f"gebruikt een verwijzing (*naam) op regel {mark.line + 1}; schrijf de tekst voluit")
        return super().compose_node(parent, index)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as a ``|`` block and ``None`` as an empty value."""


def _represent_str(dumper: yaml.SafeDumper, data: str):
    # the emitter falls back to a quoted style on its own when a block cannot hold the text exactly
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_none(dumper: yaml.SafeDumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(type(None), _represent_none)

_HEADER = (
    "# Cyclusbestand van plgdata. Je mag dit bestand met de hand aanpassen;\n"
    "# controleer daarna met plgdata.cycle.check_cycle. De vorige versie staat in '{backup}'.\n"
)


def backup_path(path: str | os.PathLike) -> Path:
    """Where :func:`save_cycle` keeps the previous version: ``cyclus.yaml`` -> ``cyclus.vorige.yaml``."""
    p = Path(path)
    return p.with_name(p.stem + BACKUP_TAG + (p.suffix or ".yaml"))


def dump_yaml(data: dict, stream) -> None:
    """Write the record mapping as YAML (UTF-8 text, keys in record order)."""
    yaml.dump(data, stream, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100, indent=2)


def cycle_to_yaml(cycle: Cycle) -> str:
    """The YAML text of a record (without the header comment)."""
    return cycle_to_yaml_text(cycle.to_dict())


def cycle_to_yaml_text(data: dict) -> str:
    """The YAML text of a record mapping (without the header comment)."""
    import io

    buf = io.StringIO()
    dump_yaml(data, buf)
    return buf.getvalue()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on Windows; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: a temporary file of a save this old was left by a run that was killed (kill -9, power cut)
ORPHAN_TEMP_SECONDS = 60


def _mode_for(path: Path) -> int:
    """The record keeps its permissions; a new record gets the usual ones (0644 less the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_orphan_temps(folder: Path, path: Path) -> None:
    """Temporary files of an earlier save of this record that was killed halfway."""
    import time

    now = time.time()
    for stale in folder.glob(f".{glob_escape(path.name)}.*.tmp"):
        try:
            if now - stale.stat().st_mtime > ORPHAN_TEMP_SECONDS:
                stale.unlink()
        except OSError:
            pass


def save_cycle(cycle: Cycle, path: str | os.PathLike) -> Path:
    """Store ``cycle`` at ``path`` atomically, keeping the previous version as a backup.

    Parameters
    ----------
    cycle : Cycle
    path : str or Path
        The ``.yaml`` file.  Its folder must exist.

    Returns
    -------
    Path
        ``path``.  The previous version (if any) is at :func:`backup_path` ``(path)``.

    Raises
    ------
    CycleError
        When writing fails; the previous record is then unchanged and no temporary
        file is left behind.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CycleError(f"De map '{folder}' bestaat niet; de cyclus '{path.name}' is niet opgeslagen.")
    data = cycle.to_dict()  # fails before the disk is touched when a value is not plain
    backup = backup_path(path)
    try:
        text = _HEADER.format(backup=backup.name) + cycle_to_yaml_text(data)
    except Exception as exc:  # nothing is written yet: the previous record stays as it was
        raise CycleError(
            f"Het opslaan van de cyclus in '{path.name}' is mislukt ({type(exc).__name__}: {exc}). "
            "Het vorige cyclusbestand is ongewijzigd."
        ) from exc
    if len(text.encode("utf-8")) > MAX_CYCLE_BYTES:  # what is saved, the loader must accept
        raise CycleError(
            f"De cyclus '{path.name}' wordt te groot (meer dan {MAX_CYCLE_BYTES // (1024 * 1024)} MB) en is niet opgeslagen; "
            "maak de lange teksten korter (zet een lang stuk in een apart document)."
        )
    _remove_orphan_temps(folder, path)
    temps: list[str] = []
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        temps.append(tmp)
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            fd_b, tmp_b = tempfile.mkstemp(dir=folder, prefix=f".{backup.name}.", suffix=".tmp")
            os.close(fd_b)
            temps.append(tmp_b)
            shutil.copyfile(path, tmp_b)
            os.replace(tmp_b, backup)
            temps.remove(tmp_b)
        os.replace(tmp, path)
        temps.remove(tmp)
        _fsync_dir(folder)
    except BaseException as exc:
        for t in temps:
            try:
                os.unlink(t)
            except OSError:
                pass
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise CycleError(
            f"Het opslaan van de cyclus in '{path.name}' is mislukt ({type(exc).__name__}: {exc}). "
            "Het vorige cyclusbestand is ongewijzigd."
        ) from exc
    return path


def _yaml_error_message(path: Path, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""
    return (
        f"Het cyclusbestand '{path.name}' is geen geldige YAML{where}. "
        "Kijk daar naar de inspringing (spaties, geen tabs), een ontbrekende of extra dubbele punt, "
        "of aanhalingstekens die niet gesloten zijn. De vorige versie staat in "
        f"'{backup_path(path).name}'."
    )


def load_cycle(path: str | os.PathLike) -> Cycle:
    """Read a cycle file (``yaml.safe_load``) into a :class:`Cycle`.

    Raises
    ------
    CycleError
        Dutch message naming the file: missing file, not UTF-8, a YAML syntax error
        (with line and column), a file that is empty or not a mapping, or a field whose
        shape cannot be read.  Whether the record *holds together* is checked
        separately by :func:`validate_cycle`.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CYCLE_BYTES:
            raise CycleError(f"Het cyclusbestand '{path.name}' is te groot (meer dan 2 MB); dat kan geen cyclus zijn.")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CycleError(f"Het cyclusbestand '{path}' bestaat niet.") from None
    except OSError as exc:
        raise CycleError(f"Het cyclusbestand '{path}' kan niet worden gelezen ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CycleError(
            f"Het cyclusbestand '{path.name}' is niet als UTF-8 opgeslagen; sla het in je editor op als UTF-8."
        ) from None
    data = _parse_yaml(path, text)
    if data is None:
        raise CycleError(f"Het cyclusbestand '{path.name}' is leeg.")
    if not isinstance(data, dict):
        raise CycleError(
            f"Het cyclusbestand '{path.name}' bevat geen cyclus: bovenaan horen velden zoals "
            f"'methode: datateam', maar het bestand is {kind_of(data)}."
        )
    _check_whole(path, text, data)
    try:
        return Cycle.from_dict(data)
    except CycleError as exc:
        raise CycleError(f"{path.name}: {exc}") from None


#: deeper than this a record is refused before it is built (a real one is about 6 levels deep)
MAX_NESTING = 100
#: libyaml's parser when PyYAML has it: every page of ``plgdata app`` reads the record 2-6 times, and
#: the pure-Python loader spent about 35 ms on each (the sample's record) against 6 ms here
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _load_plain(text: str):
    """``safe_load`` of ``text`` refusing aliases (:class:`_Refused`) and very deep nesting (``RecursionError``).

    With libyaml the events are read first (in C, about a third of the load) to find an alias or
    a nesting deeper than :data:`MAX_NESTING` before anything is built; then libyaml's loader
    builds the values with PyYAML's own safe constructor (the same types and dates).
    """
    if _FAST_LOADER is None:
        return yaml.load(text, Loader=_PlainLoader)  # a SafeLoader subclass
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1
                raise _Refused(f"gebruikt een verwijzing (*naam) op regel {line}; schrijf de tekst voluit")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise RecursionError
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, met before ours in flow style ([[[…)
            raise RecursionError from None
        raise
    return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - libyaml's SafeLoader: only plain types


def _parse_yaml(path: Path, text: str):
    """``safe_load`` without aliases; every refusal is a Dutch :class:`CycleError`."""
    try:
        return _load_plain(text)
    except _Refused as exc:
        raise CycleError(
            f"Het cyclusbestand '{path.name}' {exc}. De vorige versie staat in '{backup_path(path).name}'."
        ) from None
    except yaml.YAMLError as exc:
        raise CycleError(_yaml_error_message(path, exc)) from None
    except RecursionError:
        raise CycleError(
            f"Het cyclusbestand '{path.name}' is te diep genest (lijsten in lijsten); dat kan geen cyclus zijn."
        ) from None
    except ValueError:  # e.g. deadline: 2026-02-30, a date that does not exist
        raise CycleError(
            f"Het cyclusbestand '{path.name}' bevat een datum die niet bestaat (bijvoorbeeld 30 februari). "
            "Verbeter de datum (schrijf hem als dd-mm-jjjj of tussen aanhalingstekens)."
        ) from None


def _check_whole(path: Path, text: str, data: dict) -> None:
    """A record written by plgdata always ends with its history: one cut off is refused."""
    if text.lstrip("\ufeff").startswith(_HEADER.split(";")[0]) and not all(k in data for k in _WHOLE_RECORD_KEYS):
        raise CycleError(
            f"Het cyclusbestand '{path.name}' lijkt afgebroken: het einde (lussen en geschiedenis) ontbreekt. "
            f"Zet de vorige versie terug ('{backup_path(path).name}')."
        )
