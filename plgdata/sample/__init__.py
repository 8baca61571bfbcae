"""The sample school (OBS De Vlonder): its seeded generator and its files, for ``plgdata demo``.

``SAMPLE_DIR`` is the repository's ``data/sample`` folder (a link in the source tree, real files
in an installed wheel), so ``plgdata demo`` works from any folder after a plain ``pip install``.
"""

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "voorbeeldschool"

#: the example filling of the notebooks' forms (see ``plgdata.forms.filling``)
FILLING_NAME = "voorbeeldinvulling.yaml"
