"""The privacy check of a rendered report (``plgdata privacycheck``).

Finds, in an HTML file:

* references to anything outside the file (``http://``, ``https://``, ``//host``,
  ``@import``, ``url(...)`` to a remote address) in ``src``, ``href``, CSS or
  ``<link>`` — a report must load nothing from the internet;
* any ``<script>`` element (plgdata reports contain none, so one is either a template
  leak or unescaped user text) and inline event handlers (``onerror=`` …);
* any pupil number or name known in the school's key file (its local look-up).

Embedded data (``data:`` URIs, e.g. the PNG plots) is skipped before searching, so
digits inside an image never count as a pupil number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+", re.I)
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.I,
)
_SCRIPT = re.compile(r"<\s*script\b", re.I)
_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class PrivacyFinding:
    file: str
    kind: str  # "extern", "script", "leerlingnummer", "naam", "vertrouwelijk"
    message: str


def check_html(html: str, *, numbers: set[str] = frozenset(), names: set[str] = frozenset(), file: str = "") -> list[PrivacyFinding]:
    """All privacy problems in one HTML text (empty list when it is clean)."""
    found: list[PrivacyFinding] = []
    text = _DATA_URI.sub("data:", html)
    for m in _EXTERNAL.finditer(text):
        snippet = text[m.start() : m.start() + 60].split()[0]
        found.append(PrivacyFinding(file, "extern", f"verwijzing naar buiten het bestand: {snippet}"))
    n_script = len(_SCRIPT.findall(text))
    if n_script:
        found.append(PrivacyFinding(file, "script", f"{n_script} script-element(en) in het rapport"))
    n_handler = len(_HANDLER.findall(text))
    if n_handler:
        found.append(PrivacyFinding(file, "script", f"{n_handler} HTML-element(en) met een script-attribuut (on...=)"))
    visible = _TAGS.sub(" ", text)
    for nr in sorted(numbers):
        if re.search(rf"(?<![\w-]){re.escape(nr)}(?![\w-])", visible):
            # never print the number itself: say only that one was found
            found.append(PrivacyFinding(file, "leerlingnummer", "een leerlingnummer uit het sleutelbestand staat in het rapport"))
            break
    lowered = visible.lower()
    n_names = sum(1 for nm in names if len(nm) >= 4 and nm.lower() in lowered)
    if n_names:
        found.append(PrivacyFinding(file, "naam", f"{n_names} leerlingnaam/-namen uit het sleutelbestand staan in het rapport"))
    return found


def check_files(paths, key_file=None) -> list[PrivacyFinding]:
    """Check HTML files; names and numbers come from the key file's look-up when it exists."""
    from plgdata.io.pseudonyms import key_file_path, known_identities
    from plgdata.reporting.names import CONFIDENTIAL_MARK

    numbers: set[str] = set()
    names: set[str] = set()
    if key_file is not None or key_file_path(None).exists():
        numbers, names = known_identities(key_file)
    found: list[PrivacyFinding] = []
    for p in paths:
        p = Path(p)
        html = p.read_text(encoding="utf-8", errors="replace")
        found.extend(check_html(html, numbers=numbers, names=names, file=p.name))
        if CONFIDENTIAL_MARK in html:  # a class teacher's overview with names: never to be shared
            found.append(PrivacyFinding(p.name, "vertrouwelijk", "vertrouwelijk overzicht met leerlingnamen: niet delen"))
    return found
