"""What plgdata's own processes do first: leave out one import that costs 0.7 s and checks nothing we use.

jsonschema's format checker imports ``rfc3987_syntax`` when it is installed (nbformat and
jupyter_server bring it in through ``jsonschema[format-nongpl]``).  That module compiles about 35
Lark grammars when it is imported: 0.72 s on the reference machine, for the ``iri`` and
``iri-reference`` formats, which no notebook, Jupyter or plgdata schema uses (jupyter_server issue
1559, jsonschema issue 1428).  Every process that imports nbformat or jupyter_server paid it:
``plgdata demo`` and ``plgdata rapport``, and the app's Voilà server before its first page.
Without the module, jsonschema leaves those two formats unchecked (format checks are optional
in JSON Schema); every other check of a notebook stays.

``python -m plgdata.startup voila ARGS`` is ``python -m voila ARGS`` without that import, and
``python -m plgdata.startup jupyterlab ARGS`` the same for ``python -m jupyterlab``
(:func:`plgdata.app.voila_command`, :func:`plgdata.app.lab_command`).
"""

from __future__ import annotations

import sys

#: modules plgdata's processes do without (``import`` of them raises ImportError)
SKIPPED = ("rfc3987_syntax",)


def skip_slow_imports() -> None:
    """Make importing :data:`SKIPPED` fail (an ImportError, which jsonschema expects), unless already imported."""
    for name in SKIPPED:
        sys.modules.setdefault(name, None)


#: the servers :func:`main` starts: their command-line entry points
SERVERS = {"voila": ("voila.app", "main"), "jupyterlab": ("jupyterlab.labapp", "main")}


def main() -> None:
    """The server named by the first argument, with the rest as its own command line, without :data:`SKIPPED`."""
    import importlib

    skip_slow_imports()
    module, function = SERVERS[sys.argv.pop(1)]
    sys.exit(getattr(importlib.import_module(module), function)())


if __name__ == "__main__":
    main()
